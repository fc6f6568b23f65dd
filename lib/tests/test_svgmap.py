import re

import pytest

from lib.svgchart import render_bar_chart
from lib.svgmap import (
    NO_DATA,
    LegendEntry,
    MapArea,
    Projection,
    classify,
    render_choropleth,
    share_legend,
)

SQUARE = [[[[116.0, -1.0], [116.1, -1.0], [116.1, -1.1], [116.0, -1.1], [116.0, -1.0]]]]
EAST = [[[[116.1, -1.0], [116.2, -1.0], [116.2, -1.1], [116.1, -1.1], [116.1, -1.0]]]]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), (0.0, 0), (0.19, 0), (0.2, 1), (0.59, 2), (0.8, 4), (1.0, 4)],
)
def test_values_fall_in_the_class_of_the_breaks_they_reach(value, expected):
    assert classify(value, (0.2, 0.4, 0.6, 0.8)) == expected


def test_the_legend_labels_every_class():
    assert share_legend((0.25, 0.5)) == ["< 25%", "25%–50%", "≥ 50%"]


def test_the_projection_keeps_north_up_and_fits_the_box():
    project = Projection((116.0, -1.1, 116.2, -1.0), 200, 100, margin=0)
    west_north = project(116.0, -1.0)
    east_south = project(116.2, -1.1)
    assert west_north[0] < east_south[0] and west_north[1] < east_south[1]
    assert 0 <= east_south[0] <= 200 and 0 <= east_south[1] <= 100


def areas():
    return [
        MapArea("64.71.01", "Timur <&>", SQUARE, 1, "50,0%", "/koperasi/?kecamatan=1"),
        MapArea("64.71.02", "Barat", EAST, None, "–", "/koperasi/?kecamatan=2"),
        MapArea("64.71.03", "Tanpa Poligon", None, 0, "0,0%", "/koperasi/?kecamatan=3"),
    ]


def test_each_area_with_a_polygon_is_a_link_coloured_by_its_class():
    legend = [LegendEntry("#111111", "rendah"), LegendEntry("#222222", "tinggi")]
    svg = render_choropleth(
        areas(), legend=legend, title="Peta <uji>", no_data_label="Tidak ada"
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<a href=") == 2
    assert 'href="/koperasi/?kecamatan=1"' in svg
    assert 'fill="#222222"' in svg  # class 1
    assert f'fill="{NO_DATA}"' in svg  # no data
    assert "Tanpa Poligon" not in svg  # listed by the table beside, not drawn
    assert "Timur &lt;&amp;&gt;" in svg and "Peta &lt;uji&gt;" in svg
    assert "Tidak ada" in svg and "rendah" in svg


def test_a_map_with_no_polygon_at_all_still_draws_its_legend():
    svg = render_choropleth(
        [areas()[2]], legend=[LegendEntry("#111", "x")], title="t", no_data_label="-"
    )
    assert "<path" not in svg and "<rect" in svg


def test_bar_charts_scale_to_the_largest_value():
    svg = render_bar_chart(["A", "B<"], [5, 10], title="Jumlah", width=500)
    assert "B&lt;" in svg
    import re

    widths = [
        float(w) for w in re.findall(r'<rect x="\d+" y="\d+" width="([\d.]+)"', svg)
    ]
    assert widths[1] == pytest.approx(2 * widths[0])


def test_with_labels_each_drawn_area_is_named_over_its_middle():
    legend = [LegendEntry("#111111", "rendah"), LegendEntry("#222222", "tinggi")]
    plain = render_choropleth(areas(), legend=legend, title="t", no_data_label="-")
    assert 'text-anchor="middle"' not in plain
    svg = render_choropleth(
        areas(), legend=legend, title="t", no_data_label="-", labels="names"
    )
    named = re.findall(
        r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="middle"'
        r'[^>]*fill="#212529"[^>]*>([^<]*)<',
        svg,
    )
    assert [name for _, _, name in named] == ["Timur &lt;&amp;&gt;", "Barat"]
    # Timur's square is the western half of the drawing, Barat's the eastern.
    (x_timur, y_timur, _), (x_barat, y_barat, _) = named
    assert float(x_timur) < 320 < float(x_barat)
    assert abs(float(y_timur) - float(y_barat)) < 0.5
    assert "Tanpa Poligon" not in svg


def test_numbered_labels_give_each_drawn_area_its_place_in_the_list():
    # A city's 34 kelurahan: numbers keyed by the table, not names over each other.
    legend = [LegendEntry("#111111", "rendah"), LegendEntry("#222222", "tinggi")]
    timur, barat, without = areas()
    svg = render_choropleth(
        [without, timur, barat],
        legend=legend,
        title="t",
        no_data_label="-",
        labels="numbers",
    )
    marked = re.findall(
        r'<text x="([\d.]+)" y="[\d.]+" text-anchor="middle"'
        r'[^>]*fill="#212529"[^>]*>([^<]*)<',
        svg,
    )
    # The area without a polygon (first) is not drawn and keeps its number 1:
    # Timur is 2 and Barat 3, as the table numbers them.
    assert [number for _, number in marked] == ["2", "3"]
    assert float(marked[0][0]) < 320 < float(marked[1][0])
    assert "Timur" not in re.sub(r"<title>[^<]*</title>", "", svg)


@pytest.mark.parametrize(
    ("names", "shown"),
    [
        (["Balikpapan Barat", "Balikpapan Kota"], ["Barat", "Kota"]),
        (["Balikpapan Barat", "Samarinda Ulu"], ["Balikpapan Barat", "Samarinda Ulu"]),
        (["Balikpapan", "Balikpapan Kota"], ["Balikpapan", "Balikpapan Kota"]),
        (["Balikpapan Barat"], ["Balikpapan Barat"]),
    ],
)
def test_labels_leave_out_the_words_every_name_begins_with(names, shown):
    from lib.svgmap import _without_common_words

    assert _without_common_words(names) == shown


def test_numbers_whose_spots_collide_move_apart():
    # In the city centre "1" sat under "23": Baru Ilir could not be found.
    from lib.svgmap import _overlap, _placed

    def square(x, y, half):
        return [(x - half, y - half), (x + half, y - half), (x + half, y + half),
                (x - half, y + half)]  # fmt: skip

    wide = [(106, 60), (160, 60), (160, 140), (106, 140)]
    labels = [
        ("1", (100.0, 100.0, 50.0, square(100, 100, 5))),
        ("23", (103.0, 101.0, 40.0, square(103, 101, 5))),
        ("4", (108.0, 99.0, 900.0, wide)),
        ("5", None),  # no polygon: not drawn
    ]
    placed = _placed(labels, size=11, nudge=True)
    assert [label for label, _xy in placed] == ["1", "23", "4"]
    boxes = [
        (x - 0.35 * 11 * len(t) - 1, y - 6, x + 0.35 * 11 * len(t) + 1, y + 6)
        for t, (x, y) in placed
    ]
    assert not any(
        _overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :]
    ), placed
    # The smallest area keeps its spot; the others moved, "4" within itself,
    # "1" (no room in its small square) where no other area is.
    from lib.svgmap import _inside

    assert dict(placed)["23"] == (103.0, 101.0)
    assert _inside(wide, *dict(placed)["4"]) and dict(placed)["4"] != (108.0, 99.0)
    x1, y1 = dict(placed)["1"]
    assert (x1, y1) != (100.0, 100.0)
    assert not _inside(wide, x1, y1) and not _inside(square(103, 101, 5), x1, y1)
    # Names (a few large areas) are not moved.
    assert _placed(labels, size=16, nudge=False)[2] == ("4", (108.0, 99.0))
