"""A frozen rekap's cells as a page shows them."""


def test_a_frozen_rekap_share_reads_as_the_map_beside_it():
    from django.utils import translation

    from reports.rekap.files import shown

    with translation.override("id"):
        assert shown(76.92, "percent") == "76,92%"
    with translation.override("en"):
        # The map read "76.9%" beside a table reading "76,92%".
        assert shown(76.92, "percent") == "76.92%"


def test_a_frozen_label_made_with_a_value_reads_in_english():
    # R4's title and class columns stayed Indonesian on an English page, and so
    # did every table's "Jumlah".
    from django.utils import translation

    from reports.rekap.files import frozen_label

    with translation.override("en"):
        assert (
            frozen_label("Hasil pemutakhiran 2025 per wilayah dan kelas")
            == "Data update 2025 result per area and class"
        )
        assert frozen_label("Kelas A") == "Class A"
        assert frozen_label("Jumlah") == "Total"
        assert frozen_label("Balikpapan Kota") == "Balikpapan Kota"
        assert frozen_label("Koperasi 2025 Sejahtera") == "Koperasi 2025 Sejahtera"
    with translation.override("id"):
        assert frozen_label("Kelas A") == "Kelas A"


def test_the_map_table_says_a_share_as_the_rekap_table_does():
    # "76,6%" on the map beside R1's "76,60%".
    from django.utils import translation

    from reports.rekap.map import MapRow

    row = MapRow("64.71.01", "Balikpapan Kota", 36, 47, 36 / 47, "/", True)
    with translation.override("id"):
        assert row.share_label == "76,60%"
    assert MapRow("x", "x", 0, 0, None, "/", False).share_label == "–"
