"""Rekap and registry export over 150,000 cooperatives (issue: rekap and map).

Run with `make bench` or `python bench/rekap.py`. Uses a PostgreSQL database of its
own (`koperasi_bench_rekap`, or `BENCH_REKAP_DATABASE_URL`): 150,000 cooperatives as
in `registry_list.py`, each with figures for 2025, a RAT report for half of them
and a health result for a third. Prints a Markdown table of:

- freezing R1, R2 and R5 (the service the Celery task runs), targets < 30 s;
- rendering R1's PDF with its map, target < 10 s;
- after opening the 2025 pemutakhiran over them (classes and evidence spread as in
  the city: most in C, a fifth A/B, some D/E/F, visits, letters, objections),
  freezing R3 and R4, R4's PDF and R3's .xlsx (``python bench/rekap.py campaign``
  runs this part alone);
- the registry export of all 150,000 as .xlsx through the app's service, in a
  fresh process, against a bare xlsxwriter constant-memory write of the same cells
  (read into memory first, not timed), in another fresh process; target within
  1.2x, peak memory (the process's maximum RSS) under 150 MB.
"""

import datetime
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

TARGET = int(os.environ.get("BENCH_COOPERATIVES", "150000"))
DATABASE_URL = os.environ.get(
    "BENCH_REKAP_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/koperasi_bench_rekap",
)
YEAR = 2025


def setup() -> None:
    from bench.registry_list import ensure_database

    ensure_database(DATABASE_URL)
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koperasi_registry.settings")
    import django

    django.setup()


def load() -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bench.registry_list import load as load_cooperatives
    from cooperatives.models import Cooperative, CooperativeFigures
    from health_assessment.models import (
        Assessment,
        AssessmentKind,
        AssessmentStatus,
        Predikat,
    )
    from reports.models import RatReport, RatStatus

    call_command("migrate", verbosity=0)
    load_cooperatives(TARGET)
    if CooperativeFigures.objects.filter(tahun_buku=YEAR).exists():
        return
    started = time.perf_counter()
    rng = random.Random(22)
    ids = list(Cooperative.objects.values_list("id", flat=True))
    now = timezone.now()
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        CooperativeFigures.objects.bulk_create(
            CooperativeFigures(
                cooperative_id=pk,
                tahun_buku=YEAR,
                members_male=rng.randint(10, 500),
                members_female=rng.randint(10, 500),
                managers=rng.randint(0, 3),
                employees=rng.randint(0, 30),
                modal_sendiri=rng.randint(10**6, 10**9),
                modal_luar=rng.randint(0, 10**9),
                aset=rng.randint(10**6, 10**10),
                volume_usaha=rng.randint(0, 10**10),
                shu=rng.randint(-(10**7), 10**8),
            )
            for pk in chunk
        )
        RatReport.objects.bulk_create(
            RatReport(
                cooperative_id=pk,
                tahun_buku=YEAR,
                status=RatStatus.DITERIMA,
                receipt_number=f"RAT/{YEAR}/{pk:06d}",
                submitted_at=now,
            )
            for pk in chunk
            if pk % 2
        )
        Assessment.objects.bulk_create(
            Assessment(
                cooperative_id=pk,
                tahun_buku=YEAR,
                kind=AssessmentKind.HISTORIC,
                instrument="bench",
                status=AssessmentStatus.FINAL,
                predikat=rng.choice(Predikat.values),
            )
            for pk in chunk
            if pk % 3 == 0
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"loaded figures, RAT and health in {time.perf_counter() - started:.0f} s")


def freeze(code: str) -> tuple[float, object]:
    from reports.rekap.services import rekap_freeze_execute, rekap_freeze_request

    started = time.perf_counter()
    job = rekap_freeze_request(
        acting_user=None,
        code=code,
        tahun_buku=YEAR,
        as_of=datetime.date(YEAR, 12, 31),
        scope_code="64.71",
    )
    snapshot = rekap_freeze_execute(job_id=job.pk).snapshot
    return time.perf_counter() - started, snapshot


def open_campaign() -> None:
    """Open the 2025 campaign once, then spread classes and evidence over it in
    bulk (SQL, not timed): 20% A, 10% B, 50% C, 20% D/E/F; a quarter verified; a
    visit for every tenth item, a pemberitahuan for every third, an objection for
    every hundredth."""
    import uuid

    from django.db import connection

    from campaigns.models import Campaign, CampaignLetter, Evidence, Objection
    from campaigns.services import (
        campaign_create,
        campaign_open_execute,
        campaign_open_request,
    )

    if not Campaign.objects.filter(year=YEAR).exists():
        campaign = campaign_create(acting_user=None, year=YEAR)
        started = time.perf_counter()
        campaign_open_execute(
            job_id=campaign_open_request(acting_user=None, campaign=campaign).pk
        )
        print(f"opened the {YEAR} campaign in {time.perf_counter() - started:.1f} s")
    campaign = Campaign.objects.get(year=YEAR)
    if Evidence.objects.filter(item__campaign=campaign).exists():
        return  # spread by an earlier run
    with connection.cursor() as cursor:
        cursor.execute(
            """UPDATE campaigns_campaignitem SET
                 proposed_class = CASE id %% 10 WHEN 0 THEN 'A' WHEN 1 THEN 'A'
                   WHEN 2 THEN 'B' WHEN 7 THEN 'D' WHEN 8 THEN 'E' WHEN 9 THEN 'F'
                   ELSE 'C' END,
                 evidence_state = CASE WHEN id %% 4 = 0 THEN 'terverifikasi'
                   ELSE 'belum' END
               WHERE campaign_id = %s""",
            [campaign.pk],
        )
    items = list(campaign.items.values_list("id", flat=True))
    Evidence.objects.bulk_create(
        Evidence(
            item_id=pk,
            kind="kunjungan",
            status="diterima",
            on=datetime.date(YEAR + 1, 2, 1 + pk % 28),
            visit_result="ditemukan_tidak_aktif",
        )
        for pk in items
        if pk % 10 == 7
    )
    CampaignLetter.objects.bulk_create(
        CampaignLetter(
            item_id=pk,
            kind="pemberitahuan",
            sequence=n,
            number=f"{n:06d}/500.3.2/DKUMKMP/{YEAR + 1}",
            issued_on=datetime.date(YEAR + 1, 1, 15),
            verification_token=uuid.uuid4(),
        )
        for n, pk in enumerate(items)
        if pk % 3 == 0
    )
    Objection.objects.bulk_create(
        Objection(item_id=pk, name="Anggota", contact="0812", text="Masih aktif")
        for pk in items
        if pk % 100 == 9
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def campaign_reports() -> None:
    from reports.rekap.files import snapshot_pdf, snapshot_xlsx

    open_campaign()
    print(f"\nR3 and R4 over {TARGET:,} cooperatives, 2025 campaign\n")
    print("| what | seconds | peak RSS MB |")
    print("|---|---:|---:|")
    snapshots = {}
    for code in ("R3", "R4"):
        seconds, snapshots[code] = freeze(code)
        # The report's own table: R3 begins with its summary by class.
        tables = snapshots[code].tables  # type: ignore[attr-defined]
        rows = len(next(t for t in tables if t["key"] == code.lower())["rows"])
        print(f"| freeze {code} ({rows:,} rows) | {seconds:.2f} | {peak_mb():.0f} |")
    started = time.perf_counter()
    pdf = snapshot_pdf(snapshots["R4"])  # type: ignore[arg-type]
    print(
        f"| R4 PDF with the progress map ({len(pdf) // 1024} KB) | "
        f"{time.perf_counter() - started:.2f} | {peak_mb():.0f} |"
    )
    started = time.perf_counter()
    xlsx = snapshot_xlsx(snapshots["R3"])  # type: ignore[arg-type]
    print(
        f"| R3 .xlsx ({len(xlsx) // 1024 // 1024} MB) | "
        f"{time.perf_counter() - started:.2f} | {peak_mb():.0f} |"
    )
    campaign_page_counts()


def campaign_page_counts(rounds: int = 5) -> None:
    """The campaign page's counts per kecamatan, and its list filtered by one
    kecamatan, each the median of ``rounds``: both read the kecamatan through
    the cooperative's kelurahan (where it is now), since campaigns 0008."""
    from campaigns.models import Campaign
    from campaigns.selectors import campaign_items, campaign_summary
    from cooperatives.models import Kecamatan

    campaign = Campaign.objects.get(year=YEAR)
    kecamatan = Kecamatan.objects.order_by("name").first()
    assert kecamatan is not None
    params = {"kecamatan": str(kecamatan.pk)}

    def median_of(work: object) -> float:
        times = []
        for _round in range(rounds):
            started = time.perf_counter()
            work()  # type: ignore[operator]
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    summary = median_of(lambda: campaign_summary(campaign=campaign))
    listed = median_of(lambda: campaign_items(campaign=campaign, params=params).count())
    print(
        f"| campaign page: counts per kecamatan (median of {rounds}) | "
        f"{summary:.2f} | {peak_mb():.0f} |"
    )
    print(
        f"| campaign page: list of one kecamatan, its count (median of {rounds}) | "
        f"{listed:.2f} | {peak_mb():.0f} |"
    )


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def export_ours(path: str) -> None:
    """Child process: the app's export service over every cooperative."""
    setup()
    from cooperatives.filters import CooperativeFilter
    from cooperatives.models import Cooperative
    from reports.services.runs import registry_export_write

    cooperatives = CooperativeFilter({}, queryset=Cooperative.objects.with_region()).qs
    started, cpu = time.perf_counter(), time.process_time()
    count = registry_export_write(
        cooperatives=cooperatives, file_format="xlsx", path=Path(path)
    )
    report(time.perf_counter() - started, time.process_time() - cpu, count)


def export_bare(path: str, *, typed: bool = False) -> None:
    """Child process: the same cells, read into memory first (not timed), written by
    xlsxwriter in constant-memory mode with nothing else."""
    setup()
    import xlsxwriter

    from cooperatives.filters import CooperativeFilter
    from cooperatives.models import Cooperative
    from reports.exports import REGISTRY_COLUMNS, registry_rows

    cooperatives = CooperativeFilter({}, queryset=Cooperative.objects.with_region()).qs
    rows = [
        ["" if v is None else v for v in row] for row in registry_rows(cooperatives)
    ]
    started, cpu = time.perf_counter(), time.process_time()
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = workbook.add_worksheet("Koperasi")
    sheet.write_row(0, 0, [header for header, _getter in REGISTRY_COLUMNS])
    if typed:
        # The fastest plain xlsxwriter can be: each cell through its own writer.
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                if value == "":
                    continue
                if isinstance(value, str):
                    sheet.write_string(number, column, value)
                else:
                    sheet.write_datetime(number, column, value)
    else:
        for number, row in enumerate(rows, start=1):
            sheet.write_row(number, 0, row)
    workbook.close()
    report(time.perf_counter() - started, time.process_time() - cpu, len(rows))


def report(seconds: float, cpu: float, rows: int) -> None:
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {"seconds": seconds, "cpu": cpu, "rows": rows, "peak_mb": peak_mb}
    print(json.dumps(result))


def child(mode: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        out = subprocess.run(
            [sys.executable, __file__, mode, str(Path(folder) / "out.xlsx")],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "DJANGO_DEBUG": "false"},
        ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def compare_exports(rounds: int = 3) -> None:
    """Alternate the three writers ``rounds`` times (the machine is shared: a
    neighbour's load hits all three alike) and report medians."""
    modes = ("export-ours", "export-bare", "export-bare-typed")
    runs: dict[str, list[dict[str, float]]] = {mode: [] for mode in modes}
    for _round in range(rounds):
        for mode in modes:
            runs[mode].append(child(mode))

    def median(mode: str, key: str) -> float:
        return statistics.median(run[key] for run in runs[mode])

    labels = {
        "export-ours": "registry export .xlsx (the app's service, DB read included)",
        "export-bare": "bare xlsxwriter `write_row`, same cells already in memory",
        "export-bare-typed": (
            "bare xlsxwriter `write_string`/`write_datetime` per cell, same cells"
        ),
    }
    rows = int(runs["export-ours"][0]["rows"])
    print(f"\nRegistry export of {rows:,} rows, median of {rounds} alternated runs\n")
    print("| writer | wall s | CPU s | peak RSS MB |")
    print("|---|---:|---:|---:|")
    for mode in modes:
        print(
            f"| {labels[mode]} | {median(mode, 'seconds'):.1f} | "
            f"{median(mode, 'cpu'):.1f} | {median(mode, 'peak_mb'):.0f} |"
        )
    for bare in ("export-bare", "export-bare-typed"):
        print(
            f"\nours / {bare}: wall "
            f"{median('export-ours', 'seconds') / median(bare, 'seconds'):.2f}, CPU "
            f"{median('export-ours', 'cpu') / median(bare, 'cpu'):.2f}"
        )


def main() -> None:
    setup()
    load()
    from django.conf import settings

    from reports.rekap.files import snapshot_pdf

    settings.DEBUG = False
    print(f"\nRekap and export over {TARGET:,} cooperatives\n")
    print("| what | seconds | target |")
    print("|---|---:|---|")
    snapshot = None
    for code in ("R1", "R2", "R5"):
        seconds, made = freeze(code)
        snapshot = made if code == "R1" else snapshot
        print(f"| freeze {code} | {seconds:.2f} | < 30 s |")
    started = time.perf_counter()
    pdf = snapshot_pdf(snapshot)  # type: ignore[arg-type]
    print(
        f"| R1 PDF with map ({len(pdf) // 1024} KB) | "
        f"{time.perf_counter() - started:.2f} | < 10 s |"
    )
    campaign_reports()
    compare_exports()


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "export-ours":
        export_ours(sys.argv[2])
    elif len(sys.argv) > 2 and sys.argv[1] == "export-bare":
        export_bare(sys.argv[2])
    elif len(sys.argv) > 2 and sys.argv[1] == "export-bare-typed":
        export_bare(sys.argv[2], typed=True)
    elif len(sys.argv) > 1 and sys.argv[1] == "campaign":
        setup()
        load()
        campaign_reports()
    elif len(sys.argv) > 1 and sys.argv[1] == "exports":
        compare_exports()  # the export comparison alone (data already loaded)
    else:
        main()
