"""Horizontal bar charts as SVG markup, drawn on the server (pages and PDFs alike).

Pure: plain labels and numbers in, escaped markup out.
"""

from collections.abc import Sequence
from html import escape


def render_bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    value_labels: Sequence[str] | None = None,
    width: int = 640,
    bar_height: int = 18,
    label_width: int = 230,
    colour: str = "#3182bd",
) -> str:
    """One bar per label, scaled to the largest value; the value written after it."""
    shown = value_labels or [f"{v:g}" for v in values]
    top = max(values, default=0) or 1
    row = bar_height + 8
    height = row * len(labels) + 30
    bar_space = width - label_width - 90
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" style="max-width:{width}px;height:auto">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-size="14" font-weight="bold" '
        f'font-family="DejaVu Sans, sans-serif">{escape(title)}</text>',
    ]
    for i, (label, value, text) in enumerate(zip(labels, values, shown, strict=True)):
        y = 28 + i * row
        length = max(0.0, value) / top * bar_space
        out.append(
            f'<text x="{label_width - 6}" y="{y + bar_height - 5}" font-size="12" '
            'text-anchor="end" font-family="DejaVu Sans, sans-serif">'
            f"{escape(label)}</text>"
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" '
            f'height="{bar_height}" fill="{colour}"/>'
            f'<text x="{label_width + length + 4:.1f}" y="{y + bar_height - 5}" '
            f'font-size="12" font-family="DejaVu Sans, sans-serif">'
            f"{escape(text)}</text>"
        )
    out.append("</svg>")
    return "".join(out)
