"""A registry with known, varied figures for the rekap tests."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from cooperatives.models import (
    Cooperative,
    CooperativeFigures,
    CooperativeStatus,
    Jenis,
    Kelurahan,
    Pola,
)
from health_assessment.models import (
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    Predikat,
)
from reports.models import RatReport, RatStatus

YEAR = 2025


def build_registry(n: int = 90, seed: int = 22) -> list[Cooperative]:
    """``n`` cooperatives over every kecamatan, jenis, pola and status, with figures
    for 2024 and 2025 (some missing), RAT reports in every state and assessments
    current, superseded and draft. Deterministic for a seed."""
    rng = random.Random(seed)
    kelurahan = list(
        Kelurahan.objects.filter(kecamatan__kabkota__kemendagri_code="64.71")
    )
    cooperatives = []
    for i in range(n):
        jenis = rng.choice(list(Jenis))
        cooperatives.append(
            Cooperative.objects.create(
                name=f"Koperasi Uji {i:03d}",
                nik=f"64710000{i:08d}" if rng.random() < 0.7 else None,
                kelurahan=rng.choice(kelurahan),
                jenis=jenis,
                pola=rng.choice(list(Pola))
                if jenis == Jenis.SIMPAN_PINJAM
                else Pola.KONVENSIONAL,
                status=rng.choice(list(CooperativeStatus)),
            )
        )
    # The registry's own last RAT, drawn apart so the other draws stay as they
    # were: that of YEAR as recorded or by its date, or an earlier one.
    rat_rng = random.Random(seed + 1)
    for coop in cooperatives:
        pick = rat_rng.random()
        if pick < 0.25:
            coop.last_rat_year = YEAR
        elif pick < 0.4:
            coop.last_rat_date = datetime.date(YEAR + 1, 3, 14)
        elif pick < 0.5:
            coop.last_rat_year = YEAR - 1
        else:
            continue
        coop.save(update_fields=["last_rat_year", "last_rat_date"])
    for coop in cooperatives:
        for year in (2024, YEAR):
            if rng.random() < 0.2:
                continue
            CooperativeFigures.objects.create(
                cooperative=coop,
                tahun_buku=year,
                members_male=rng.randint(0, 500),
                members_female=rng.choice([None, rng.randint(0, 500)]),
                managers=rng.randint(0, 3),
                employees=rng.randint(0, 20),
                modal_sendiri=Decimal(rng.randint(-5_000_000, 900_000_000)) / 100,
                modal_luar=rng.choice([None, Decimal(rng.randint(0, 10**9))]),
                aset=Decimal(rng.randint(0, 10**11)) / 100,
                volume_usaha=Decimal(rng.randint(0, 10**10)),
                shu=Decimal(rng.randint(-(10**7), 10**8)) / 100,
            )
        for year in (2024, YEAR):
            status = rng.choice([None, *RatStatus])
            if status is None:
                continue
            RatReport.objects.create(
                cooperative=coop,
                tahun_buku=year,
                status=status,
                receipt_number=None
                if status == RatStatus.DRAFT
                else f"R/{year}/{coop.pk}",
                submitted_at=None if status == RatStatus.DRAFT else timezone.now(),
            )
        predikat = rng.choice([None, *Predikat])
        if predikat is not None:
            first = Assessment.objects.create(
                cooperative=coop,
                tahun_buku=YEAR,
                kind=AssessmentKind.HISTORIC,
                instrument="uji",
                status=AssessmentStatus.FINAL,
                predikat=rng.choice(list(Predikat)),
                is_current=rng.random() < 0.3,
            )
            if not first.is_current:
                Assessment.objects.create(
                    cooperative=coop,
                    tahun_buku=YEAR,
                    kind=AssessmentKind.HISTORIC,
                    instrument="uji",
                    status=AssessmentStatus.FINAL,
                    predikat=predikat,
                    revision=2,
                    revision_of=first,
                )
        if rng.random() < 0.2:
            Assessment.objects.create(
                cooperative=coop,
                tahun_buku=2024,
                kind=AssessmentKind.HISTORIC,
                instrument="uji",
                status=AssessmentStatus.DRAFT,
            )
    return cooperatives


def freeze(code: str, user, year: int = YEAR, scope: str = "64.71"):
    from reports.rekap.services import rekap_freeze_execute, rekap_freeze_request

    job = rekap_freeze_request(
        acting_user=user,
        code=code,
        tahun_buku=year,
        as_of=datetime.date(year, 12, 31),
        scope_code=scope,
    )
    return rekap_freeze_execute(job_id=job.pk).snapshot
