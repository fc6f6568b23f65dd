"""ODS import benchmark: preview and apply of ministry-style .xlsx files on PostgreSQL.

Run with `make bench` (or `python bench/ods_import.py [ROWS]`). Needs a PostgreSQL
server; recreates its own database (`koperasi_bench_import`, or
BENCH_IMPORT_DATABASE_URL) for each run so that the first import meets an empty
registry. Generates its files once under var/bench/ with bench/ods_files.py:

- the city file: ROWS rows laid out as the ministry's export writes them (its
  kelompok labels, jenis left blank where the kelompok implies it) with 3 % faulty
  rows;
- the national file: ROWS rows of which about 99 % belong to 37 other kab/kota.

Then runs, each in a fresh process so that peak memory is per run (the child that
parses the file included):

1. first import of the city file: preview + apply into the empty registry;
2. re-import of the same file: preview + apply, nothing changes;
3. the national file: preview + apply (its few Balikpapan rows match the city's).

The floor is measured in the same run: python-calamine reading the city sheet, the
cleaning of its rows (RowCleaner, no database) and a bare COPY of the cooperative
rows; the issue asks for a first import within 3 floors.

Prints rows per second, seconds per phase (from ImportJob.timings), peak RSS and
the share of rejected rows.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.registry_list import ensure_database  # noqa: E402

ROWS = (
    int(sys.argv[1])
    if len(sys.argv) > 1
    else int(os.environ.get("BENCH_ROWS", "150000"))
)
DATABASE_URL = os.environ.get(
    "BENCH_IMPORT_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/koperasi_bench_import",
)


def recreate_database(url: str) -> None:
    ensure_database(url, fresh=True)


def run(*args: str) -> tuple[float, str, int]:
    """One management command in a fresh process: wall seconds, stdout, peak KB."""
    env = {**os.environ, "DATABASE_URL": DATABASE_URL, "DJANGO_DEBUG": "false"}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, str(BASE_DIR / "manage.py"), *args],
            stdout=out,
            stderr=err,
            text=True,
            env=env,
        )
        # wait4 rather than wait: it also gives this process's own peak memory.
        _pid, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here
        out.seek(0)
        err.seek(0)
        if process.returncode:
            raise SystemExit(f"{args} failed:\n{err.read()}")
        peak = usage.ru_maxrss
        text_out = out.read()
    return elapsed, text_out, peak


def bench_file(rows: int, layout: str = "ministry") -> Path:
    """The .xlsx of ``rows`` rows in ``layout`` under var/bench/, generated once.

    In a process of its own: a child forked from this process would otherwise report
    the generator's memory as its own peak (Linux counts the pages a child shares
    with its parent at the fork until it execs)."""
    folder = BASE_DIR / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"ods-{layout}-{rows}.xlsx"
    errors = "3" if layout == "ministry" else "0"
    if not path.exists():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.ods_files",
                str(rows),
                str(path),
                "--layout",
                layout,
                "--errors",
                errors,
            ],
            cwd=BASE_DIR,
            check=True,
        )
    return path


def clean_seconds(path: Path) -> float:
    """Seconds for RowCleaner to clean the city sheet's rows (read beforehand), in a
    fresh process against the benchmark database's regions and kelompok."""
    code = (
        "import time, python_calamine, datetime; "
        "from cooperatives.ods.cleaning import RowCleaner; "
        "from cooperatives.ods.columns import find_header; "
        "from cooperatives.imports import import_reference; "
        f"rows = python_calamine.CalamineWorkbook.from_path({str(path)!r})"
        ".get_sheet_by_name('Data').to_python(); "
        "header = find_header(rows[:30]); "
        "clean = RowCleaner(columns=header.columns, reference=import_reference(), "
        "today=datetime.date.today(), tahun_buku=None, default_year=2025); "
        "started = time.perf_counter(); "
        "[clean(n, r) for n, r in enumerate(rows[header.row_index + 1:], 2)]; "
        "print(time.perf_counter() - started)"
    )
    _s, out, _p = run("shell", "-c", code)
    return float(out.strip().splitlines()[-1])


def calamine_seconds(path: Path) -> float:
    """This machine's floor for reading the file, now: seconds for python-calamine
    to read the data sheet into Python rows (the issue's machine: about 3 s)."""
    import python_calamine

    started = time.perf_counter()
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    rows = workbook.get_sheet_by_name("Data").to_python()  # bench/ods_files.py
    read = time.perf_counter() - started
    assert len(rows) > ROWS, len(rows)
    return read


def copy_seconds() -> float:
    """Seconds for PostgreSQL to COPY the first import's cooperative rows into a
    bare table (no index, no constraint); the issue's machine: about 1 s."""
    import io
    from urllib.parse import urlparse

    import psycopg2

    parts = urlparse(DATABASE_URL)
    connection = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname=parts.path.lstrip("/"),
    )
    data = io.BytesIO()
    with connection, connection.cursor() as cursor:
        cursor.copy_expert("COPY cooperatives_cooperative TO STDOUT", data)
        cursor.execute(
            "CREATE TABLE bench_floor "
            "(LIKE cooperatives_cooperative INCLUDING DEFAULTS INCLUDING GENERATED)"
        )
    data.seek(0)
    with connection, connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.copy_expert("COPY bench_floor FROM STDIN", data)
    copy = time.perf_counter() - started
    with connection, connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_floor")
    connection.close()
    return copy


# The targets (seconds on its machine, and in floors).
TARGETS = {"first": 15.0, "again": 10.0, "national": 15.0}
MAX_FLOORS = 3.0


def main() -> None:
    city = bench_file(ROWS, "ministry")
    national = bench_file(ROWS, "national")
    recreate_database(DATABASE_URL)
    run("migrate", "--noinput", "-v", "0")
    for path in (city, national):
        print(f"File: {path.name}, {ROWS:,} rows, {path.stat().st_size / 1e6:.1f} MB")
    print(
        "\n| Run | End to end (s) | target (s) | Rows/s | Rejected | Skipped "
        "| Preview phases (s) | Apply phases (s) | Peak RSS (MB) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    calamine = [calamine_seconds(city)]
    cleaning = clean_seconds(city)
    runs = (
        ("first import, city file (empty registry)", "first", city),
        ("re-import of the city file, no changes", "again", city),
        ("national file", "national", national),
    )
    seconds_of: dict[str, float] = {}
    for label, run_key, path in runs:
        seconds, out, peak = run("import_ods", str(path), "--apply", "--json")
        seconds_of[run_key] = seconds
        if path == city:
            calamine.append(calamine_seconds(city))
        result = json.loads(out)
        _s, job_out, _p = run(
            "shell",
            "-c",
            (
                "import json; from cooperatives.models import ImportJob; "
                f"job = ImportJob.objects.get(pk={result['batch']}); "
                "print(json.dumps([job.timings, job.skipped_count]))"
            ),
        )
        timings, skipped = json.loads(job_out.strip().splitlines()[-1])
        phases = {
            key: " ".join(f"{k} {v:.1f}" for k, v in value.items())
            for key, value in timings.items()
        }
        rejected = len(result["errors"]) / ROWS
        print(
            f"| {label} | {seconds:.1f} | {TARGETS[run_key]:.0f} "
            f"| {ROWS / seconds:,.0f} | {rejected:.1%} | {skipped:,} "
            f"| {phases.get('preview', '')} | {phases.get('apply', '')} "
            f"| {peak / 1024:.0f} |"
        )
        assert rejected < 0.03, result["errors"][:3]
    read = sum(calamine) / len(calamine)
    copy = copy_seconds()
    floor = read + cleaning + copy
    print(
        f"\nFloor in this run: python-calamine reads the city sheet in {read:.1f} s "
        f"(mean of {', '.join(f'{c:.1f}' for c in calamine)}), RowCleaner cleans its "
        f"rows in {cleaning:.1f} s, PostgreSQL COPYs the cooperative rows into a bare "
        f"table in {copy:.1f} s: {floor:.1f} s. First import = "
        f"{seconds_of['first'] / floor:.2f} floors (target {MAX_FLOORS:.0f})."
    )


if __name__ == "__main__":
    main()
