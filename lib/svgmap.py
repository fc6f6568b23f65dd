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
from typing import Literal

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


# An area's label spot: x, y, its largest polygon's area and outer ring (pixels).
Spot = tuple[float, float, float, list[tuple[float, float]]]


def _label_point(polygons: MultiPolygon, project: "Projection") -> Spot | None:
    """Where an area's name goes: the centroid of the outer ring of its largest
    polygon (shoelace formula, in SVG pixels), that polygon's area and ring."""
    best: tuple[float, float, float, list[tuple[float, float]]] | None = None
    for polygon in polygons:
        if not polygon:
            continue
        xy = [project(p[0], p[1]) for p in polygon[0]]
        area = cx = cy = 0.0
        for (x0, y0), (x1, y1) in itertools.pairwise([*xy, xy[0]]):
            cross = x0 * y1 - x1 * y0
            area += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if area and (best is None or abs(area) > best[0]):
            best = (abs(area), cx / (3 * area), cy / (3 * area), xy)
    return None if best is None else (best[1], best[2], best[0], best[3])


def _without_common_words(names: Sequence[str]) -> list[str]:
    """The names without the words they all begin with ("Balikpapan Barat",
    "Balikpapan Kota" -> "Barat", "Kota"): the map's title names the city, and
    the small kecamatan's full names ran into each other. One name, or nothing
    left of one, keeps them whole."""
    split = [name.split() for name in names]
    common = 0
    while len(split) > 1 and all(
        len(words) > common + 1 and words[common] == split[0][common] for words in split
    ):
        common += 1
    return [" ".join(words[common:]) for words in split]


def _labels(
    areas: Sequence[MapArea], project: "Projection", *, numbered: bool
) -> list[str]:
    """Over each drawn area its name, or with ``numbered`` its place in
    ``areas`` counted from 1 (the number the table beside the map gives it: a
    city's kelurahan are too many and too small for their names). Drawn twice: a
    white outline first, so that it reads on the darkest blue, then the text (no
    ``paint-order``, which not every renderer of the PDF knows)."""
    out = []
    if numbered:
        shown = [str(number) for number in range(1, len(areas) + 1)]
        # A kecamatan's few kelurahan have room for larger numbers than the
        # city's 34.
        size = 11 if len(areas) > 12 else 15
    else:
        shown = _without_common_words([area.name for area in areas])
        size = 16
    placed = _placed(
        [
            (label, _label_point(area.polygons, project) if area.polygons else None)
            for area, label in zip(areas, shown, strict=True)
        ],
        size=size,
        nudge=numbered,
    )
    for label, (x, y) in placed:
        text = escape(label)
        common = (
            f'x="{x:.1f}" y="{y:.1f}" text-anchor="middle" dominant-baseline="middle" '
            f'font-size="{size}" font-weight="bold" '
            'font-family="DejaVu Sans, sans-serif" pointer-events="none"'
        )
        out.append(
            f'<text {common} fill="none" stroke="#ffffff" stroke-width="{size / 4:g}" '
            f'stroke-linejoin="round" aria-hidden="true">{text}</text>'
            f'<text {common} fill="#212529" aria-hidden="true">{text}</text>'
        )
    return out


# Where a number may move when its spot is taken, in label heights and widths:
# close first, so that it stays over (or beside) its own area.
_NUDGES = (
    (0, 0),
    (0, -0.5), (0, 0.5), (-0.5, 0), (0.5, 0),
    (-0.5, -0.5), (0.5, -0.5), (-0.5, 0.5), (0.5, 0.5),
    (0, -1), (0, 1), (-1, 0), (1, 0), (-1, -1), (1, -1), (-1, 1), (1, 1),
    (0, -1.5), (0, 1.5), (-1.5, 0), (1.5, 0),
    (0, -2), (0, 2), (-2, 0), (2, 0), (-2, -1), (2, -1), (-2, 1), (2, 1),
    (-3, 0), (3, 0), (0, -3), (0, 3),
)  # fmt: skip


def _placed(
    labels: list[tuple[str, Spot | None]],
    *,
    size: float,
    nudge: bool,
) -> list[tuple[str, tuple[float, float]]]:
    """Each label's place, in ``labels``' order, those without a point left out.
    With ``nudge``, the smallest areas are placed first, at their middle, and a
    label whose spot another has taken moves a little (``_NUDGES``) to the first
    free one that is still inside its own area: in the city centre "1" had sat
    under "23", Baru Ilir not to be found (and, moved anywhere, "1" then sat in
    Margo Mulyo). Boxes are estimated (a digit of DejaVu Sans Bold is about 0.7
    of the font size wide)."""
    points = [(label, point) for label, point in labels if point is not None]
    if not nudge:
        return [(label, (x, y)) for label, (x, y, _area, _ring) in points]
    rings = [(_bounds_of(spot[3]), spot[3]) for _label, spot in points]

    def on_another(own: int, x: float, y: float) -> bool:
        return any(
            i != own and b[0] <= x <= b[2] and b[1] <= y <= b[3] and _inside(r, x, y)
            for i, (b, r) in enumerate(rings)
        )

    boxes: list[tuple[float, float, float, float]] = []
    where: dict[int, tuple[float, float]] = {}
    for index in sorted(range(len(points)), key=lambda i: points[i][1][2]):
        label, (x, y, _area, ring) = points[index]
        width, height = 0.7 * size * len(label) + 2, size + 1
        for dx, dy in _NUDGES:
            cx, cy = x + dx * width, y + dy * height
            box4 = (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
            if any(_overlap(box4, other) for other in boxes):
                continue
            # Moved, it stays over its own area, or goes where no other is
            # (the sea beside a small coastal one): never onto a neighbour.
            if (dx, dy) == (0, 0) or _inside(ring, cx, cy):
                break
            if not on_another(index, cx, cy):
                break
        else:
            box4 = (x - width / 2, y - height / 2, x + width / 2, y + height / 2)
        boxes.append(box4)
        where[index] = ((box4[0] + box4[2]) / 2, (box4[1] + box4[3]) / 2)
    return [(points[i][0], where[i]) for i in range(len(points))]


def _overlap(
    a: tuple[float, float, float, float], b: tuple[float, float, float, float]
) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _bounds_of(ring: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs, ys = [x for x, _y in ring], [y for _x, y in ring]
    return min(xs), min(ys), max(xs), max(ys)


def _inside(ring: list[tuple[float, float]], x: float, y: float) -> bool:
    """Whether (x, y) lies inside the polygon ``ring`` (even-odd ray casting)."""
    inside = False
    for (x0, y0), (x1, y1) in itertools.pairwise([*ring, ring[0]]):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


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
    labels: Literal["names", "numbers"] | None = None,
) -> str:
    """SVG markup: one linked, titled path per area with a polygon, coloured by its
    class, and a legend below; with ``labels``, each area's name over it ("names",
    for a few large areas) or its number in ``areas`` from 1 ("numbers", for many
    small ones, keyed by the table beside the map). Areas without a polygon are
    left out of the drawing (the table beside the map lists every area). All text
    is escaped. A named group, not an image: an image's links are hidden from
    some screen readers."""
    legend_height = 22 * (len(legend) + 1) + 10
    total_height = height + legend_height
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(element_id)}" '
        f'viewBox="0 0 {width} {total_height}" width="100%" role="group" '
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
        if labels is not None:
            out.extend(_labels(areas, project, numbered=labels == "numbers"))
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
