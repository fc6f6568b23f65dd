"""Demo health results for `seed_demo`: the office's assessment of 2024.

26 active cooperatives, as the office assessed them in 2024 over tahun buku 2023:
6 Sehat, 14 Cukup Sehat, 6 Dalam Pengawasan. They are recorded as results given
(``assessment_record_historic``: final, with the instrument's name, no indicator
breakdown), so that a fresh install shows health categories on the dashboard, the
cooperatives' pages and the public site without loading a rule set first. The first
two demo cooperatives (the demo officers') are among them.
"""

from decimal import Decimal

from accounts.models import User
from cooperatives.models import Cooperative, CooperativeStatus, RecordSource

from .models import Assessment, Predikat
from .services import assessment_record_historic

TAHUN_BUKU = 2023
INSTRUMENT = "Permenkop 9/2020 (penilaian Dinas 2024)"
# (predikat, how many, lowest score, highest score): the bands of Permenkop 9/2020.
RESULTS = (
    (Predikat.SEHAT, 6, Decimal("80.00"), Decimal("92.00")),
    (Predikat.CUKUP_SEHAT, 14, Decimal("66.00"), Decimal("79.50")),
    (Predikat.DALAM_PENGAWASAN, 6, Decimal("51.00"), Decimal("65.50")),
)


def load_demo_assessments(*, staff: User) -> int:
    """Idempotent: nothing happens when tahun buku 2023 already has results.
    Returns how many were recorded."""
    if Assessment.objects.filter(tahun_buku=TAHUN_BUKU).exists():
        return 0
    total = sum(count for _, count, _, _ in RESULTS)
    aktif = list(
        Cooperative.objects.filter(
            source=RecordSource.DEMO, status=CooperativeStatus.AKTIF
        ).order_by("nik")[:total]
    )
    recorded = 0
    for predikat, count, low, high in RESULTS:
        for step in range(count):
            if recorded >= len(aktif):
                return recorded
            score = low + (high - low) * step / max(count - 1, 1)
            assessment_record_historic(
                cooperative=aktif[recorded],
                tahun_buku=TAHUN_BUKU,
                instrument=INSTRUMENT,
                final_score=score.quantize(Decimal("0.01")),
                label=predikat.value.replace("_", " ").title(),
                acting_user=staff,
            )
            recorded += 1
    return recorded
