"""A choropleth map drawn as SVG markup on the server, from plain data.

The same markup goes into a page, a PDF (WeasyPrint draws inline SVG) and a saved
file, so the map looks alike everywhere and needs no script or tile server. Pure:
no Django, no database. Areas are MultiPolygon coordinates (longitude, latitude),
projected equirectangularly with the longitude scaled by cos(latitude), which is
faithful enough over a city or a province near the equator.
"""

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

# A MultiPolygon's coordinates: polygons -> rings -> [lon, lat] points.
MultiPolygon = Sequence[Sequence[Sequence[Sequence[float]]]]

# Sequential blues (ColorBrewer "Blues", 5 classes) and a grey for "no data".
SEQUENTIAL = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
NO_DATA = "#e0e0e0"


@dataclass(frozen=True)
class LegendEntry:
    colour: str
    label: str


@dataclass(frozen=True)
class MapArea:
    code: str
    name: str
    polygons: MultiPolygon | None
    class_index: int | None  # index into the legend; None: no data
    value_label: str
    href: str


def share_legend(breaks: Sequence[float], *, percent_label: str = "%") -> list[str]:
    """Labels for the classes that ``classify`` gives with ``breaks`` (0..1):
    ``< 25%``, ``25–50%``, ..., ``≥ 75%``."""

    def pct(x: float) -> str:
        return f"{round(x * 100)}{percent_label}"

    labels = [f"< {pct(breaks[0])}"]
    labels += [f"{pct(a)}–{pct(b)}" for a, b in itertools.pairwise(breaks)]
    labels.append(f"≥ {pct(breaks[-1])}")
    return labels


def classify(value: float | None, breaks: Sequence[float]) -> int | None:
    """The class of ``value``: the number of breaks it reaches (so len(breaks) + 1
    classes); None stays None."""
    if value is None:
        return None
    return sum(1 for b in breaks if value >= b)


def _bounds(areas: Sequence[MapArea]) -> tuple[float, float, float, float] | None:
    points = [
        (p[0], p[1])
        for area in areas
        if area.polygons
        for polygon in area.polygons
        for ring in polygon
        for p in ring
    ]
    if not points:
        return None
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return min(lons), min(lats), max(lons), max(lats)


def _path(polygons: MultiPolygon, project: "Projection") -> str:
    parts = []
    for polygon in polygons:
        for ring in polygon:
            xy = [project(p[0], p[1]) for p in ring]
            head, *tail = xy
            parts.append(
                f"M{head[0]:.1f},{head[1]:.1f}"
                + "".join(f"L{x:.1f},{y:.1f}" for x, y in tail)
                + "Z"
            )
    return "".join(parts)


class Projection:
    """Longitude/latitude to SVG pixels inside ``width`` x ``height`` minus a
    margin, keeping the aspect ratio (x scaled by cos of the middle latitude)."""

    def __init__(
        self,
        bounds: tuple[float, float, float, float],
        width: float,
        height: float,
        margin: float,
    ) -> None:
        west, south, east, north = bounds
        self.kx = math.cos(math.radians((south + north) / 2))
        span_x = max((east - west) * self.kx, 1e-9)
        span_y = max(north - south, 1e-9)
        self.scale = min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y)
        self.west, self.north = west, north
        # Centre the drawing in the box.
        self.dx = margin + ((width - 2 * margin) - span_x * self.scale) / 2
        self.dy = margin + ((height - 2 * margin) - span_y * self.scale) / 2

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x = self.dx + (lon - self.west) * self.kx * self.scale
        y = self.dy + (self.north - lat) * self.scale
        return x, y


def render_choropleth(
    areas: Sequence[MapArea],
    *,
    legend: Sequence[LegendEntry],
    title: str,
    no_data_label: str,
    width: int = 640,
    height: int = 480,
    element_id: str = "peta",
) -> str:
    """SVG markup: one linked, titled path per area with a polygon, coloured by its
    class, and a legend below. Areas without a polygon are left out of the drawing
    (the table beside the map lists every area). All text is escaped."""
    legend_height = 22 * (len(legend) + 1) + 10
    total_height = height + legend_height
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(element_id)}" '
        f'viewBox="0 0 {width} {total_height}" width="100%" role="img" '
        f'aria-labelledby="{escape(element_id)}-title" class="choropleth" '
        f'style="max-width:{width}px;height:auto">',
        f'<title id="{escape(element_id)}-title">{escape(title)}</title>',
    ]
    bounds = _bounds(areas)
    if bounds is not None:
        project = Projection(bounds, width, height, margin=8)
        for area in areas:
            if not area.polygons:
                continue
            colour = (
                legend[area.class_index].colour
                if area.class_index is not None
                else NO_DATA
            )
            out.append(
                f'<a href="{escape(area.href)}" data-code="{escape(area.code)}">'
                f'<path d="{_path(area.polygons, project)}" fill="{colour}" '
                'stroke="#ffffff" stroke-width="1" fill-rule="evenodd">'
                f"<title>{escape(area.name)}: {escape(area.value_label)}</title>"
                "</path></a>"
            )
    y = height + 10
    for entry in (*legend, LegendEntry(NO_DATA, no_data_label)):
        out.append(
            f'<rect x="10" y="{y}" width="18" height="14" fill="{entry.colour}" '
            'stroke="#888888" stroke-width="0.5"/>'
            f'<text x="36" y="{y + 11}" font-size="13" '
            f'font-family="DejaVu Sans, sans-serif">{escape(entry.label)}</text>'
        )
        y += 22
    out.append("</svg>")
    return "".join(out)
