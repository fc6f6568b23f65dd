"""R3 and R4 (registered by campaigns into the rekap) against independent counts:
Python over plainly fetched rows, no grouping or join shared with the report."""

import datetime
import random
import uuid
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role
from campaigns.models import (
    CampaignItem,
    CampaignLetter,
    Evidence,
    EvidenceKind,
    EvidenceState,
    EvidenceStatus,
    Objection,
    ObjectionStatus,
    VisitChoice,
)
from campaigns.rules import LADDER
from cooperatives.models import Cooperative, Kecamatan, Kelurahan
from reports.rekap.definitions import DEFINITIONS
from reports.tests.rekap_testing import YEAR, build_registry, freeze
from tests.personas import make_user

from .base import open_campaign

CLASSES = ["A", "B", "C", "D", "E", "F"]


def build_campaign(seed: int = 34):
    """The varied registry, a 2025 campaign opened over it, then classes, evidence
    states, visits (some rejected or superseded), letters (some cancelled) and
    objections spread at random. Deterministic for a seed."""
    build_registry()
    campaign = open_campaign(YEAR)
    rng = random.Random(seed)
    for n, item in enumerate(CampaignItem.objects.filter(campaign=campaign)):
        CampaignItem.objects.filter(pk=item.pk).update(
            proposed_class=rng.choice(CLASSES),
            evidence_state=rng.choice(list(EvidenceState)),
        )
        for _visit in range(rng.choice([0, 0, 1, 2])):
            Evidence.objects.create(
                item=item,
                kind=EvidenceKind.KUNJUNGAN,
                status=rng.choice([EvidenceStatus.DITERIMA, EvidenceStatus.DITOLAK]),
                on=datetime.date(2026, rng.randint(1, 6), rng.randint(1, 28)),
                visit_result=rng.choice(list(VisitChoice)),
            )
        for step, kind in enumerate(LADDER[: rng.randint(0, 4)]):
            CampaignLetter.objects.create(
                item=item,
                kind=kind,
                sequence=n * 10 + step,
                number=f"{n}-{step}/UJI/{YEAR}",
                issued_on=datetime.date(2026, 1 + step, 5),
                verification_token=uuid.uuid4(),
                cancelled_at=(
                    datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)
                    if rng.random() < 0.1
                    else None
                ),
            )
        for _objection in range(rng.choice([0, 0, 0, 1, 2])):
            Objection.objects.create(
                item=item,
                name="Anggota",
                contact="0812",
                text="Masih aktif",
                status=rng.choice(list(ObjectionStatus)),
            )
    return campaign


def expected_r3_rows(campaign):
    """The R3 rows, one cooperative at a time."""
    items = {i["cooperative_id"]: i for i in campaign.items.values()}
    visits = defaultdict(list)
    for e in Evidence.objects.filter(item__campaign=campaign).values():
        if e["kind"] == "kunjungan" and e["status"] == "diterima":
            visits[e["item_id"]].append(e)
    letters = defaultdict(dict)
    for letter in CampaignLetter.objects.values():
        if letter["cancelled_at"] is None:
            letters[letter["item_id"]][letter["kind"]] = letter
    objections = defaultdict(lambda: defaultdict(int))
    for o in Objection.objects.values():
        objections[o["item_id"]][o["status"]] += 1
    status_labels = {
        "aktif": "Aktif",
        "tidak_aktif": "Tidak Aktif",
        "dalam_pembubaran": "Dalam Proses Pembubaran",
    }
    visit_labels = dict(VisitChoice.choices)
    objection_labels = dict(ObjectionStatus.choices)
    rows = {}
    for coop in Cooperative.objects.values(
        "id", "name", "nik", "status", "last_rat_year", "kelurahan_id"
    ):
        if coop["status"] == "dibubarkan":
            continue
        item = items.get(coop["id"])
        if coop["status"] == "aktif" and (
            item is None or item["proposed_class"] in ("A", "B")
        ):
            continue
        kelurahan = Kelurahan.objects.get(pk=coop["kelurahan_id"])
        visit = max(
            visits.get(item["id"] if item else 0, []),
            key=lambda e: (e["on"], e["id"]),
            default=None,
        )
        row = [
            coop["name"],
            coop["nik"] or "",
            kelurahan.kecamatan.name,
            kelurahan.name,
            status_labels[coop["status"]],
            item["rat_year"] if item else coop["last_rat_year"],
            item["proposed_class"] if item else "",
            visit["on"].isoformat() if visit else "",
            str(visit_labels[visit["visit_result"]]) if visit else "",
        ]
        sent = letters.get(item["id"], {}) if item else {}
        for kind in LADDER:
            letter = sent.get(kind)
            row += (
                [letter["number"], letter["issued_on"].isoformat()]
                if letter
                else ["", ""]
            )
        by_status = objections.get(item["id"], {}) if item else {}
        outcome = ", ".join(
            f"{by_status[s]} {objection_labels[s]}"
            for s in ("terbuka", "diterima", "ditolak")
            if s in by_status
        )
        row.append(outcome or ("Tidak ada" if item else ""))
        rows[str(coop["id"])] = row
    return rows


@pytest.mark.django_db
def test_r3_lists_exactly_the_not_active_with_their_evidence():
    campaign = build_campaign()
    staff = make_user("staf-rekap", Role.STAFF)
    summary, table = freeze("R3", staff).tables
    expected = expected_r3_rows(campaign)
    assert len(table["rows"]) == len(expected) > 20
    assert dict(zip(table["row_keys"], table["rows"], strict=True)) == expected
    keys = [c["key"] for c in table["columns"]]
    assert keys[:9] == [
        "nama",
        "nik",
        "kecamatan",
        "kelurahan",
        "status",
        "rat_terakhir",
        "kelas",
        "kunjungan_tanggal",
        "kunjungan_hasil",
    ]
    # Every evidence kind shows up somewhere, so the comparison above means it.
    assert any(row[7] for row in table["rows"])
    assert any(row[keys.index("peringatan_nomor")] for row in table["rows"])
    assert any("ditolak" in row[-1] for row in table["rows"])
    # The summary counts the list by class and status, and adds up to it.
    from collections import Counter

    listed = Counter((row[6] or "-", row[4]) for row in table["rows"])
    statuses = [c["label"] for c in summary["columns"][1:-1]]
    assert statuses == ["Aktif", "Tidak Aktif", "Dalam Proses Pembubaran"]
    for key, row in zip(summary["row_keys"], summary["rows"], strict=True):
        assert row[1:-1] == [listed[(key, status)] for status in statuses]
        assert row[-1] == sum(row[1:-1])
    assert summary["total"][-1] == len(table["rows"])
    assert sum(listed.values()) == len(table["rows"])


def expected_r4(campaign, region_of):
    """Counts per region of each item, its region where its cooperative is now
    (read from the two tables apart, no join shared with the report)."""
    counts = defaultdict(lambda: defaultdict(int))
    kecamatan_of = dict(Kelurahan.objects.values_list("pk", "kecamatan_id"))
    kelurahan_of = dict(Cooperative.objects.values_list("pk", "kelurahan_id"))
    for item in CampaignItem.objects.filter(campaign=campaign).values(
        "proposed_class", "evidence_state", "cooperative_id"
    ):
        item["kecamatan_id"] = kecamatan_of[kelurahan_of[item["cooperative_id"]]]
        cells = counts[region_of(item)]
        cells[item["proposed_class"]] += 1
        cells["jumlah"] += 1
        cells["terverifikasi"] += item["evidence_state"] == "terverifikasi"
    return counts


def check_r4(table, counts, names):
    assert [row[0] for row in table["rows"]] == names
    for row in table["rows"]:
        cells = counts.get(row[0], {})
        want = [cells.get(c, 0) for c in CLASSES]
        want += [cells.get("jumlah", 0), cells.get("terverifikasi", 0)]
        assert row[1:9] == want, row[0]
        share = (
            (Decimal(want[7]) * 100 / want[6]).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
            if want[6]
            else Decimal("0.00")
        )
        assert Decimal(row[9]) == share
    for i in range(1, 9):
        assert sum(row[i] for row in table["rows"]) == table["total"][i]


@pytest.mark.django_db
def test_r4_counts_every_class_per_kecamatan_and_adds_up_to_the_campaign():
    campaign = build_campaign()
    # Five moved to another kecamatan after the campaign opened count where they
    # are now, as R1 and the maps count them: they had stayed where they were.
    timur = Kelurahan.objects.get(name="Teritip")
    moved = list(
        Cooperative.objects.exclude(kelurahan__kecamatan=timur.kecamatan)
        .order_by("pk")
        .values_list("pk", flat=True)[:5]
    )
    Cooperative.objects.filter(pk__in=moved).update(kelurahan=timur)
    staff = make_user("staf-rekap", Role.STAFF)
    table = freeze("R4", staff).tables[0]
    kecamatan = dict(Kecamatan.objects.values_list("pk", "name"))
    names = list(
        Kecamatan.objects.filter(kabkota__kemendagri_code="64.71")
        .order_by("kemendagri_code")
        .values_list("name", flat=True)
    )
    check_r4(
        table, expected_r4(campaign, lambda i: kecamatan[i["kecamatan_id"]]), names
    )
    assert table["total"][7] == CampaignItem.objects.filter(campaign=campaign).count()
    assert table["total"][7] == Cooperative.objects.exclude(status="dibubarkan").count()


@pytest.mark.django_db
def test_r4_for_a_kecamatan_lists_its_kelurahan():
    campaign = build_campaign()
    staff = make_user("staf-rekap", Role.STAFF)
    table = freeze("R4", staff, scope="64.71.01").tables[0]
    kelurahan_of = dict(Cooperative.objects.values_list("pk", "kelurahan__name"))
    names = list(
        Kelurahan.objects.filter(kecamatan__kemendagri_code="64.71.01")
        .order_by("kemendagri_code")
        .values_list("name", flat=True)
    )
    counts = expected_r4(
        campaign,
        lambda i: (
            kelurahan_of[i["cooperative_id"]]
            if i["kecamatan_id"] == Kecamatan.objects.get(kemendagri_code="64.71.01").pk
            else None
        ),
    )
    check_r4(table, counts, names)


@pytest.mark.django_db
def test_r3_and_r4_are_refused_without_an_opened_campaign():
    build_registry(n=5)
    staff = make_user("staf-rekap", Role.STAFF)
    assert list(DEFINITIONS) == ["R1", "R2", "R3", "R4", "R5"]
    for code in ("R3", "R4"):
        with pytest.raises(ValidationError, match="Belum ada pemutakhiran"):
            freeze(code, staff)
