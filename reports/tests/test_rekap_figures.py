"""Every cell of R1, R2 and R5 against an independent count: Python over the rows
of each table, fetched plainly (no grouping, no join shared with the report)."""

import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest

from accounts.models import Role
from cooperatives.models import (
    Cooperative,
    CooperativeFigures,
    Kecamatan,
    RatHeld,
)
from cooperatives.rules import rat_tahun_buku
from health_assessment.models import Assessment
from reports.models import RatReport
from reports.rekap.definitions import MEASURE_COLUMNS
from tests.personas import make_user

from .rekap_testing import YEAR, build_registry, freeze

SUBMITTED = {"diajukan", "perlu_perbaikan", "diterima"}
HEALTH = ["sehat", "cukup_sehat", "dalam_pengawasan", "dalam_pengawasan_khusus"]


def expected_cells(group_of):
    """Cells per group, computed from the rows one cooperative at a time."""
    coops = {
        c["id"]: c
        for c in Cooperative.objects.values(
            "id",
            "status",
            "nik",
            "jenis",
            "pola",
            "kelurahan__kecamatan__name",
            "last_rat_year",
            "last_rat_date",
        )
        if c["status"] != "dibubarkan"
    }
    figures = {
        f["cooperative_id"]: f
        for f in CooperativeFigures.objects.filter(tahun_buku=YEAR).values()
    }
    rat = {
        r["cooperative_id"]
        for r in RatReport.objects.filter(tahun_buku=YEAR).values()
        if r["status"] in SUBMITTED
    } | {
        h["cooperative_id"] for h in RatHeld.objects.values() if h["tahun_buku"] == YEAR
    }
    health = {
        a["cooperative_id"]: a["predikat"]
        for a in Assessment.objects.filter(tahun_buku=YEAR).values()
        if a["status"] == "final" and a["is_current"]
    }
    groups = defaultdict(lambda: defaultdict(lambda: Decimal(0)))
    for coop_id, coop in coops.items():
        cells = groups[group_of(coop)]
        cells["jumlah"] += 1
        cells["aktif"] += coop["status"] == "aktif"
        cells["tidak_aktif"] += coop["status"] != "aktif"
        # Reported this year, held for it, or the registry's last RAT is this year's.
        cells["rat"] += coop_id in rat or (
            rat_tahun_buku(coop["last_rat_year"], coop["last_rat_date"]) == YEAR
        )
        cells["ber_nik"] += coop["nik"] is not None
        f = figures.get(coop_id, {})
        for key, field in [
            ("anggota_l", "members_male"),
            ("anggota_p", "members_female"),
            ("manajer", "managers"),
            ("karyawan", "employees"),
            ("modal_sendiri", "modal_sendiri"),
            ("modal_luar", "modal_luar"),
            ("aset", "aset"),
            ("volume_usaha", "volume_usaha"),
            ("shu", "shu"),
        ]:
            cells[key] += f.get(field) or 0
        cells["anggota_total"] += (f.get("members_male") or 0) + (
            f.get("members_female") or 0
        )
        predikat = health.get(coop_id)
        cells[predikat or "belum_dinilai"] += 1
    return groups


def as_number(value):
    return Decimal(str(value))


def check_table(table, expected, label_of_row):
    keys = [key for key, _label, _kind in MEASURE_COLUMNS]
    for row in table["rows"]:
        cells = expected.get(label_of_row(row[0]), {})
        for key, value in zip(keys, row[1:], strict=True):
            if key == "persen_aktif":
                want = (
                    (Decimal(cells.get("aktif", 0)) * 100 / cells["jumlah"]).quantize(
                        Decimal("0.01"), rounding=ROUND_HALF_UP
                    )
                    if cells.get("jumlah")
                    else Decimal("0.00")
                )
            else:
                want = Decimal(cells.get(key, 0))
            assert as_number(value) == want, (row[0], key, value, want)
    # Rows add up to the total row, column by column.
    for i, key in enumerate(keys, start=1):
        if key == "persen_aktif":
            continue
        assert sum(as_number(row[i]) for row in table["rows"]) == as_number(
            table["total"][i]
        ), key


@pytest.mark.django_db
def test_r1_every_cell_equals_an_independent_count_and_rows_add_up():
    build_registry()
    staff = make_user("staf-rekap", Role.STAFF)
    snapshot = freeze("R1", staff)
    table = snapshot.tables[0]
    names = list(
        Kecamatan.objects.filter(kabkota__kemendagri_code="64.71")
        .order_by("kemendagri_code")
        .values_list("name", flat=True)
    )
    assert [row[0] for row in table["rows"]] == names
    expected = expected_cells(lambda c: c["kelurahan__kecamatan__name"])
    check_table(table, expected, lambda label: label)
    everything = expected_cells(lambda c: "all")["all"]
    assert (
        table["total"][1]
        == everything["jumlah"]
        == Cooperative.objects.exclude(status="dibubarkan").count()
    )


@pytest.mark.django_db
def test_r2_reports_simpan_pinjam_konvensional_and_syariah_apart():
    build_registry()
    staff = make_user("staf-rekap", Role.STAFF)
    table = freeze("R2", staff).tables[0]
    labels = [row[0] for row in table["rows"]]
    assert labels == [
        "Konsumen",
        "Produsen",
        "Pemasaran",
        "Jasa",
        "Simpan Pinjam Konvensional",
        "Simpan Pinjam Syariah",
    ]

    def label(c):
        names = {
            "konsumen": "Konsumen",
            "produsen": "Produsen",
            "pemasaran": "Pemasaran",
            "jasa": "Jasa",
        }
        if c["jenis"] == "simpan_pinjam":
            return f"Simpan Pinjam {c['pola'].capitalize()}"
        return names[c["jenis"]]

    check_table(table, expected_cells(label), lambda name: name)


@pytest.mark.django_db
def test_r5_has_one_row_per_indicator_and_area_matching_r1():
    build_registry()
    staff = make_user("staf-rekap", Role.STAFF)
    r1 = freeze("R1", staff).tables[0]
    r5 = freeze("R5", staff).tables[0]
    assert [c["key"] for c in r5["columns"]] == [
        "kode_wilayah",
        "level_wilayah",
        "nama_wilayah",
        "judul",
        "satuan",
        "tahun",
        "periode",
        "data",
    ]
    assert len(r5["rows"]) == 7 * (1 + 6)
    jumlah = {
        row[2]: row[7]
        for row in r5["rows"]
        if row[3] == "Jumlah koperasi (belum dibubarkan)"
    }
    assert jumlah["Kota Balikpapan"] == r1["total"][1]
    for row in r1["rows"]:
        assert jumlah[row[0]] == row[1]
    aset = {row[0]: row[7] for row in r5["rows"] if row[3] == "Aset koperasi"}
    assert Decimal(aset["64.71"]) == Decimal(r1["total"][14])
    # Whole amounts are whole numbers for the city and its kecamatan alike; any
    # other keeps its two decimals (the sum of amounts with sen read
    # "28886340203.20000").
    for value in aset.values():
        assert isinstance(value, int) or re.fullmatch(r"\d+\.\d\d", value), value


@pytest.mark.django_db
def test_a_kecamatan_scope_lists_its_kelurahan():
    build_registry()
    staff = make_user("staf-rekap", Role.STAFF)
    table = freeze("R1", staff, scope="64.71.01").tables[0]
    assert [row[0] for row in table["rows"]] == [
        "Manggar",
        "Lamaru",
        "Teritip",
        "Manggar Baru",
    ]
    expected = expected_cells(lambda c: c["kelurahan__kecamatan__name"])
    assert table["total"][1] == expected["Balikpapan Timur"]["jumlah"]


@pytest.mark.django_db
def test_the_rat_map_counts_aktif_cooperatives_with_the_years_rat_among_the_aktif():
    # Its share is "% of aktif": a Tidak Aktif cooperative with a RAT counted
    # in the numerator and not in the denominator.
    from reports.rekap.map import region_map

    build_registry()
    coops = {
        c["id"]: c
        for c in Cooperative.objects.values(
            "id", "status", "last_rat_year", "last_rat_date"
        )
    }
    reported = set(
        RatReport.objects.filter(tahun_buku=YEAR, status__in=SUBMITTED).values_list(
            "cooperative_id", flat=True
        )
    )
    held = {
        pk
        for pk, c in coops.items()
        if pk in reported
        or rat_tahun_buku(c["last_rat_year"], c["last_rat_date"]) == YEAR
    }
    aktif = {pk for pk, c in coops.items() if c["status"] == "aktif"}
    assert held - aktif  # the case: some not aktif hold the year's RAT
    shown = region_map(level="kecamatan", measure="rat", tahun_buku=YEAR)
    assert sum(row.numerator for row in shown.rows) == len(held & aktif)
    assert sum(row.denominator for row in shown.rows) == len(aktif)


@pytest.mark.django_db
def test_a_years_rat_stays_counted_when_a_later_rat_is_recorded():
    # R1 2024 said 26, then 25 once a cooperative whose last RAT (February 2025,
    # tahun buku 2024) had its 2025 report accepted: its 2024 RAT was forgotten.
    import datetime

    from cooperatives.services import cooperative_last_rat_record
    from reports.rekap.aggregates import grouped_cells
    from tests.personas import make_cooperative

    coop = make_cooperative("KPRI Bersama Sinar", nik="6471000000000777")
    Cooperative.objects.filter(pk=coop.pk).update(
        last_rat_date=datetime.date(2025, 2, 20), last_rat_year=None
    )
    staff = make_user("staf-rat", Role.STAFF)
    # Recorded as the registry records it (a report accepted, a confirmation).
    cooperative_last_rat_record(
        acting_user=staff,
        cooperative=coop,
        rat_date=datetime.date(2025, 2, 20),
        tahun_buku=2024,
    )

    def held(year):
        (cells,) = grouped_cells(tahun_buku=year, group=()).values()
        return cells["rat"]

    assert held(2024) == 1
    cooperative_last_rat_record(
        acting_user=staff,
        cooperative=coop,
        rat_date=datetime.date(2026, 3, 14),
        tahun_buku=2025,
    )
    coop.refresh_from_db()
    assert coop.last_rat_tahun_buku == 2025
    assert (held(2024), held(2025)) == (1, 1)
