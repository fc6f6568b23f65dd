"""WCAG contrast of an element's text against the background it stands on, read
from the browser's computed styles (for browser tests)."""

import re

# The element's text colour and the first opaque background behind it.
TEXT_AND_BACKGROUND = """e => {
  const colour = getComputedStyle(e).color;
  for (let node = e; node; node = node.parentElement) {
    const bg = getComputedStyle(node).backgroundColor;
    if (bg && bg !== "transparent" && !/, 0\\)$/.test(bg)) { return [colour, bg]; }
  }
  return [colour, "rgb(255, 255, 255)"];
}"""


def _luminance(css: str) -> float:
    red, green, blue = (int(n) / 255 for n in re.findall(r"\d+", css)[:3])

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(pair: list[str]) -> float:
    """The contrast ratio of ``[text colour, background colour]`` (CSS rgb())."""
    lighter, darker = sorted((_luminance(c) for c in pair), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
