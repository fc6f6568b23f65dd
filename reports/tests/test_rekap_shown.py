"""A frozen rekap's cells as a page shows them."""


def test_a_frozen_rekap_share_reads_as_the_map_beside_it():
    from django.utils import translation

    from reports.rekap.files import shown

    with translation.override("id"):
        assert shown(76.92, "percent") == "76,92%"
    with translation.override("en"):
        # The map read "76.9%" beside a table reading "76,92%".
        assert shown(76.92, "percent") == "76.92%"
