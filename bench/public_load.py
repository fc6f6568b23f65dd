"""Public site load benchmark: gunicorn serving the public search and cooperative
pages with 150,000 cooperatives in PostgreSQL, 20 concurrent clients (wrk), beside a
trivial Django view served the same way as the ceiling.

Run with `make bench` (needs PostgreSQL and Debian's wrk). Uses the benchmark
database of bench/registry_list.py. Prints a Markdown table.
"""

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.registry_list import (  # noqa: E402
    DATABASE_URL,
    TARGET,
    ensure_database,
    load,
    setup_django,
)

PORT = int(os.environ.get("BENCH_PORT", "8765"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "20"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
SEARCH_WORDS = ["sejahtera", "makmur", "jaya", "bahari", "karya", "mandiri", "damai"]


STATIC_ROOT = Path(tempfile.gettempdir()) / "koperasi-bench-static"
SERVER_LOG = Path(tempfile.gettempdir()) / "koperasi-bench-gunicorn.log"


def server_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_STATIC_ROOT": str(STATIC_ROOT),
            "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": "bench-only-" + "x" * 50,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_COOKIES": "false",
            "DATABASE_URL": DATABASE_URL,
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
            # As docker-compose.yml: one cache shared by the workers.
            "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/1"),
        }
    )
    return env


def start_server(cache_seconds: int) -> subprocess.Popen[bytes]:
    # Production settings serve hashed static files: collect them first, as a
    # deployment does.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=server_environment(),
        check=True,
    )
    gunicorn = shutil.which("gunicorn") or str(Path(sys.executable).parent / "gunicorn")
    log = open(SERVER_LOG, "a")  # noqa: SIM115 - the server's lifetime
    env = dict(server_environment(), PUBLIC_CACHE_SECONDS=str(cache_seconds))
    server = subprocess.Popen(
        [
            gunicorn,
            "koperasi_registry.wsgi",
            f"--bind=127.0.0.1:{PORT}",
            f"--workers={WORKERS}",
            "--log-level=warning",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/bench/trivial/", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"gunicorn did not start; see {SERVER_LOG}")


def scenarios() -> dict[str, list[str]]:
    """The paths each scenario cycles through, in a fixed shuffled order."""
    from cooperatives.models import Cooperative, Kecamatan, Kelurahan

    rng = random.Random(2026)
    ids = list(Cooperative.objects.values_list("pk", flat=True))
    kecamatan = list(Kecamatan.objects.values_list("pk", flat=True))
    kelurahan = list(Kelurahan.objects.values_list("name", flat=True))
    nik = list(
        Cooperative.objects.exclude(nik=None).values_list("nik", flat=True)[:2000]
    )
    searches = []
    for _ in range(2000):
        kind = rng.randrange(8)
        if kind == 0:
            searches.append(f"/publik/koperasi/?q={rng.choice(SEARCH_WORDS)}")
        elif kind == 1:
            searches.append(f"/publik/koperasi/?q={rng.choice(nik)}")
        elif kind == 2:
            searches.append(
                f"/publik/koperasi/?q={rng.choice(kelurahan).replace(' ', '+')}"
            )
        elif kind == 3:
            searches.append(
                f"/publik/koperasi/?q={rng.choice(SEARCH_WORDS)}"
                f"&kecamatan={rng.choice(kecamatan)}&status=aktif"
            )
        elif kind == 4:
            searches.append(
                f"/publik/koperasi/?jenis=simpan_pinjam&page={rng.randint(1, 50)}"
            )
        elif kind == 6:
            # A typo: one letter of a word left out ("sejahtra").
            word = rng.choice(SEARCH_WORDS)
            cut = rng.randrange(1, len(word) - 1)
            searches.append(f"/publik/koperasi/?q={word[:cut]}{word[cut + 1 :]}")
        elif kind == 7:
            # Two words of a name in another order than the name has them.
            first, second = rng.sample(SEARCH_WORDS, 2)
            searches.append(f"/publik/koperasi/?q={second}+{first}")
        else:
            searches.append("/publik/koperasi/")
    # Members look up their own cooperative: a few are looked up often, most
    # rarely. 20,000 requests over cooperatives drawn with a Zipf-like skew.
    popular = rng.sample(ids, 20_000)
    weights = [1 / (rank + 1) for rank in range(len(popular))]
    pages = [
        f"/publik/koperasi/{pk}/" for pk in rng.choices(popular, weights, k=20_000)
    ]
    return {
        "trivial Django view (ceiling)": ["/bench/trivial/"],
        "public search (mixed queries)": searches,
        "public cooperative page": pages,
        "public home": ["/publik/"],
    }


def run_wrk(paths: list[str], seconds: int = SECONDS) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(paths))
    env = dict(os.environ, PATHS=handle.name)
    script = str(BASE_DIR / "bench" / "load" / "public.lua")
    command = [
        "wrk",
        f"-t{min(2, CLIENTS)}",
        f"-c{CLIENTS}",
        f"-d{seconds}s",
        "--timeout=10s",
        "-s",
        script,
        f"http://127.0.0.1:{PORT}",
    ]
    output = subprocess.run(
        command, env=env, capture_output=True, text=True, check=True
    ).stdout
    os.unlink(handle.name)
    line = next(row for row in output.splitlines() if row.startswith("RESULT "))
    result = json.loads(line[len("RESULT ") :])
    result["rps"] = result["requests"] / result["seconds"]
    return result


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt install wrk")
    ensure_database(DATABASE_URL)
    setup_django()
    load(TARGET)
    from cooperatives.models import Cooperative

    total = Cooperative.objects.count()
    plans = scenarios()
    flush_cache()
    print(
        f"\nPublic site, {total:,} cooperatives, gunicorn {WORKERS} workers, "
        f"{CLIENTS} concurrent clients (wrk), {SECONDS} s per scenario"
    )
    runs = (("without the page cache", 0), ("with the page cache", 300))
    if os.environ.get("BENCH_UNCACHED_ONLY"):
        runs = runs[:1]
    for title, seconds in runs:
        print(f"\n**{title}**\n")
        report(measure(plans, seconds))


def flush_cache() -> None:
    """Empty the benchmark's cache database (the one of BENCH_CACHE_URL)."""
    url = server_environment()["CACHE_URL"]
    database = url.rsplit("/", 1)[-1] or "0"
    subprocess.run(
        ["redis-cli", "-n", database, "FLUSHDB"], check=False, capture_output=True
    )


def warm(paths: list[str]) -> float:
    """Request every distinct path once (20 at a time): the steady state of a page
    cache, which a short run would otherwise spend filling. Returns seconds."""
    started = time.perf_counter()

    def get(path: str) -> None:
        url = f"http://127.0.0.1:{PORT}{path}"
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        list(pool.map(get, sorted(set(paths))))
    return time.perf_counter() - started


def measure(plans: dict[str, list[str]], cache_seconds: int) -> dict[str, dict]:
    server = start_server(cache_seconds)
    try:
        # Warm every worker (imports, connections) on paths not measured after.
        for paths in plans.values():
            run_wrk(paths[-100:], seconds=2)
        if cache_seconds:
            for label, paths in plans.items():
                print(f"- warmed the cache for {label} in {warm(paths):.0f} s")
            print()
        return {label: run_wrk(paths) for label, paths in plans.items()}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        flush_cache()


def report(results: dict[str, dict]) -> None:
    errors = sum(r["errors"] for r in results.values())
    if errors:
        print(f"{errors} responses were errors; see {SERVER_LOG}")
    ceiling = results["trivial Django view (ceiling)"]["rps"]
    print("| scenario | median ms | p95 ms | p99 ms | req/s | of ceiling | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, r in results.items():
        print(
            f"| {label} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['p99_ms']:.1f} "
            f"| {r['rps']:.0f} | {r['rps'] / ceiling:.0%} | {r['errors']} |"
        )


if __name__ == "__main__":
    main()
