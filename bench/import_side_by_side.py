"""The ODS import of several checkouts side by side, alternating, on the same file.

    python bench/import_side_by_side.py ROUNDS LABEL=CHECKOUT [LABEL=CHECKOUT ...]

e.g. ``python bench/import_side_by_side.py 3 before=/tmp/ab-old after=.`` after
``git worktree add /tmp/ab-old <commit>`` (with a ``.venv`` link in it). Each round
runs every checkout in turn, from its own folder (Celery's Django fix-up puts the
working folder first on ``sys.path``: run from elsewhere, a checkout would import
another's modules), against a fresh database of its own
(``koperasi_side_by_side_<label>``): the first import of the city file of
``bench/ods_import.py`` (generated there first) into the empty registry, then the
same file again. Prints for each run the wall time, the CPU time of the command and
its reading child (user + system, from ``wait4``; PostgreSQL's own work is not in
it), the load average, python-calamine's read of the sheet before and after (this
machine's speed at the time) and the job's phases.
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

CITY = BASE_DIR / "var" / "bench" / "ods-ministry-150000.xlsx"
SERVER = os.environ.get("BENCH_SERVER_URL", "postgres://postgres@127.0.0.1:5432")


def calamine_seconds() -> float:
    import python_calamine

    started = time.perf_counter()
    workbook = python_calamine.CalamineWorkbook.from_path(str(CITY))
    workbook.get_sheet_by_name("Data").to_python()
    return time.perf_counter() - started


def manage(folder: str, url: str, *args: str) -> tuple[float, float, str]:
    """``manage.py ARGS`` run in ``folder``: wall seconds, CPU seconds, stdout."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "false"}
    python = str(Path(folder) / ".venv" / "bin" / "python")
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            [python, "manage.py", *args], cwd=folder, env=env, stdout=out, stderr=err
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here
        out.seek(0)
        err.seek(0)
        if process.returncode:
            raise SystemExit(f"{folder} {args}:\n{err.read()[-3000:]}")
        return elapsed, usage.ru_utime + usage.ru_stime, out.read()


def phases(folder: str, url: str, job_id: int) -> str:
    _wall, _cpu, out = manage(
        folder,
        url,
        "shell",
        "-c",
        "import json; from cooperatives.models import ImportJob; "
        f"print(json.dumps(ImportJob.objects.get(pk={job_id}).timings))",
    )
    timings = json.loads(out.strip().splitlines()[-1])
    return "; ".join(
        f"{step}: " + " ".join(f"{name} {value:.1f}" for name, value in laps.items())
        for step, laps in timings.items()
    )


def main() -> None:
    rounds = int(sys.argv[1])
    checkouts = [argument.split("=", 1) for argument in sys.argv[2:]]
    if not CITY.exists():
        subprocess.run(
            [
                sys.executable,
                *("-m", "bench.ods_files", "150000", str(CITY)),
                *("--layout", "ministry", "--errors", "3"),
            ],
            cwd=BASE_DIR,
            check=True,
        )
    for number in range(1, rounds + 1):
        for label, folder in checkouts:
            url = f"{SERVER}/koperasi_side_by_side_{label}"
            ensure_database(url, fresh=True)
            manage(folder, url, "migrate", "--noinput", "-v", "0")
            for run in ("first import", "re-import"):
                before = calamine_seconds()
                wall, cpu, out = manage(
                    folder, url, "import_ods", str(CITY), "--apply", "--json"
                )
                after = calamine_seconds()
                result = json.loads(out)
                print(
                    f"round {number} | {label} | {run} | {wall:.1f} s | CPU {cpu:.1f} s"
                    f" | load {os.getloadavg()[0]:.1f} | calamine {before:.1f} / "
                    f"{after:.1f} s | created {result['created']}, errors "
                    f"{len(result['errors'])} | {phases(folder, url, result['batch'])}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
