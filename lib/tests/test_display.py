"""lib.display: every kind of value as a person reads it. DB-free tables."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import models
from django.utils import translation

from lib.display import EMPTY, field_shown, help_text, shown

JENIS = [("konsumen", "Konsumen"), ("simpan_pinjam", "Simpan Pinjam")]
WITA = ZoneInfo("Asia/Makassar")


@pytest.fixture(autouse=True)
def _bahasa_indonesia():
    with translation.override("id"):
        yield


@pytest.mark.parametrize(
    ("value", "options", "expected"),
    [
        (None, {}, EMPTY),
        ("", {}, EMPTY),
        (True, {}, "Ya"),
        (False, {}, "Tidak"),
        (Decimal("1250000.00"), {}, "Rp 1.250.000"),
        (Decimal("2317301000"), {}, "Rp 2.317.301.000"),
        (Decimal("1250000.50"), {}, "Rp 1.250.000,50"),
        (Decimal("-5000"), {}, "-Rp 5.000"),
        (Decimal("0"), {}, "Rp 0"),
        (datetime.date(2024, 5, 1), {}, "1 Mei 2024"),
        (datetime.date(2019, 7, 12), {}, "12 Juli 2019"),
        (
            datetime.datetime(2024, 5, 1, 5, 5, tzinfo=datetime.UTC),
            {},
            "1 Mei 2024 13:05",
        ),
        (datetime.datetime(2024, 5, 1, 13, 5), {}, "1 Mei 2024 13:05"),
        ("konsumen", {"choices": JENIS}, "Konsumen"),
        ("konsumen", {"choices": dict(JENIS)}, "Konsumen"),
        ("hilang", {"choices": JENIS}, "hilang"),
        (1250, {"count": True}, "1.250"),
        (-1250, {"count": True}, "-1.250"),
        (587, {"count": True}, "587"),
        (2024, {}, "2024"),
        ("Koperasi Alpha", {}, "Koperasi Alpha"),
        (0, {}, "0"),
    ],
)
def test_a_value_reads_the_indonesian_way(value, options, expected):
    assert shown(value, **options) == expected


def test_english_reads_english_words():
    with translation.override("en"):
        assert shown(True) == "Yes"
        assert shown(datetime.date(2024, 5, 1)) == "1 May 2024"
        assert shown(Decimal("1250000")) == "Rp 1.250.000"


MONEY = models.DecimalField(max_digits=18, decimal_places=2, null=True)
SCORE = models.DecimalField(max_digits=5, decimal_places=2, null=True)
MEMBERS = models.PositiveIntegerField(null=True)
YEAR = models.PositiveSmallIntegerField()
JENIS_FIELD = models.CharField(max_length=16, choices=JENIS)
GROUPED = models.CharField(
    max_length=16, choices=[("Simpan pinjam", JENIS[1:]), ("Riil", JENIS[:1])]
)
FLAG = models.BooleanField(default=False)
DAY = models.DateField(null=True)
NAME = models.CharField(max_length=50)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        (MONEY, Decimal("2317301000.00"), "Rp 2.317.301.000"),
        (MONEY, "2317301000.00", "Rp 2.317.301.000"),  # a JSON copy's text
        (MONEY, None, EMPTY),
        (SCORE, Decimal("73.5"), "73,50"),
        (MEMBERS, 1250, "1.250"),
        (MEMBERS, None, EMPTY),
        (YEAR, 2024, "2024"),
        (JENIS_FIELD, "simpan_pinjam", "Simpan Pinjam"),
        (GROUPED, "konsumen", "Konsumen"),
        (FLAG, True, "Ya"),
        (DAY, datetime.date(2024, 5, 1), "1 Mei 2024"),
        (DAY, "2024-05-01", "1 Mei 2024"),  # a JSON copy's text
        (NAME, "", EMPTY),
        (NAME, "KSP Beta", "KSP Beta"),
    ],
)
def test_a_field_value_reads_by_the_kind_of_field(field, value, expected):
    assert field_shown(field, value) == expected


def test_a_relation_reads_as_the_related_object():
    class Related:
        def __str__(self):
            return "Klandasan Ulu"

    relation = models.ForeignKey("auth.User", on_delete=models.CASCADE)
    assert field_shown(relation, Related()) == "Klandasan Ulu"
    assert field_shown(relation, None) == EMPTY


def test_help_text_escapes_the_values_it_is_given():
    text = help_text("Tercatat: %(board)s & lainnya.", board="<b>A</b> & B")
    assert text == "Tercatat: &lt;b&gt;A&lt;/b&gt; &amp; B &amp; lainnya."
    # Safe already: a template that escapes does not escape it twice.
    assert text.__html__() == text


def test_a_moment_names_the_office_s_zone():
    from django.test import override_settings

    from lib.templatetags.idformat import waktu

    moment = datetime.datetime(2026, 12, 6, 6, 35, tzinfo=datetime.UTC)
    with translation.override("id"):
        assert waktu(moment) == "6 Desember 2026 14:35 WITA"
        assert waktu(moment, "j M Y H:i") == "6 Des 2026 14:35 WITA"
        with override_settings(TIME_ZONE="Asia/Jakarta"):
            assert waktu(moment) == "6 Desember 2026 13:35 WIB"
    assert waktu(None) == ""


def test_a_field_name_written_as_a_label_reads_in_the_readers_words():
    # A RAT return's notes named "Anggota hadir", "Kewajiban" on English pages.
    from lib.display import frozen_label

    with translation.override("en"):
        assert frozen_label("Anggota hadir") == "Members present"
        assert frozen_label("anggota hadir") == "members present"
        assert frozen_label("Budi Santoso") == "Budi Santoso"
    with translation.override("id"):
        assert frozen_label("Anggota hadir") == "Anggota hadir"
