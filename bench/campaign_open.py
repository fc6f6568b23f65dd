"""Opening a pemutakhiran over 150,000 cooperatives (target: under 30 s).

Loads 150,000 cooperatives with a RAT history and three officers each into a
PostgreSQL database of its own (``koperasi_bench_campaign``, or
``BENCH_CAMPAIGN_DATABASE_URL``), then opens the 2025 campaign through the same
service as the page and the command, ``BENCH_RUNS`` times (each run deletes the
previous campaign first). Prints a Markdown table.
"""

import os
import random
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.registry_list import ensure_database  # noqa: E402

TARGET = int(os.environ.get("BENCH_COOPERATIVES", "150000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
DATABASE_URL = os.environ.get(
    "BENCH_CAMPAIGN_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/koperasi_bench_campaign",
)


def setup_django() -> None:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koperasi_registry.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load(target: int) -> None:
    from django.db import connection

    from cooperatives.models import (
        Cooperative,
        CooperativeStatus,
        Jenis,
        Kelurahan,
        Officer,
        Position,
        RecordSource,
    )

    have = Cooperative.objects.count()
    if have >= target:
        print(f"{have} cooperatives already loaded")
        return
    rng = random.Random(21)
    kelurahan = list(Kelurahan.objects.values_list("pk", flat=True))
    statuses = [CooperativeStatus.AKTIF] * 3 + [CooperativeStatus.TIDAK_AKTIF]
    started = time.perf_counter()
    for start in range(have, target, 5000):
        batch = [
            Cooperative(
                nik=f"65{number:014d}" if number % 10 else None,
                name=f"Koperasi Bench {number}",
                address=f"Jl. Bench No. {number % 300}",
                phone=f"0812{number:08d}",
                kelurahan_id=rng.choice(kelurahan),
                jenis=rng.choice(Jenis.values),
                status=rng.choice(statuses),
                last_rat_year=rng.choice([None, *range(2012, 2026)]),
                source=RecordSource.DEMO,
            )
            for number in range(start, min(start + 5000, target))
        ]
        created = Cooperative.objects.bulk_create(batch)
        Officer.objects.bulk_create(
            Officer(
                cooperative=coop,
                name=f"Pengurus {position} {coop.pk}",
                position=position,
                phone=f"0813{coop.pk:08d}",
            )
            for coop in created
            for position in (Position.KETUA, Position.SEKRETARIS, Position.BENDAHARA)
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE cooperatives_cooperative")
        cursor.execute("VACUUM ANALYZE cooperatives_officer")
    print(
        f"loaded {target - have} cooperatives in {time.perf_counter() - started:.0f} s"
    )


def measure() -> list[tuple[float, float, int, int]]:
    import resource

    from django.db import connection

    from campaigns.models import Campaign
    from campaigns.services import (
        campaign_create,
        campaign_open_execute,
        campaign_open_request,
    )

    results = []
    for _run in range(RUNS):
        # Raw deletes: Django's cascade would load 150,000 items into this
        # process and blur the memory figure of the opening itself.
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM campaigns_campaignitem WHERE campaign_id IN "
                "(SELECT id FROM campaigns_campaign WHERE year = 2025)"
            )
        Campaign.objects.filter(year=2025).delete()
        started = time.perf_counter()
        campaign = campaign_create(acting_user=None, year=2025)
        job = campaign_open_request(acting_user=None, campaign=campaign)
        job = campaign_open_execute(job_id=job.pk)
        elapsed = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        results.append((elapsed, job.seconds or 0.0, job.done, peak_mb))
    return results


def main() -> None:
    ensure_database(DATABASE_URL)
    setup_django()
    load(TARGET)
    print("| run | cooperatives | seconds (whole) | seconds (job) | peak RSS (MB) |")
    print("|---|---:|---:|---:|---:|")
    for number, (elapsed, job_s, done, peak) in enumerate(measure(), start=1):
        print(f"| {number} | {done:,} | {elapsed:.1f} | {job_s:.1f} | {peak} |")


if __name__ == "__main__":
    main()
