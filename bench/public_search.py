"""Public search, one request at a time: the time of each kind of query of
bench/public_load.py's search mix, served in-process by Django's test client
(page query, capped count, template) without the page cache, beside the trivial
view measured in the same run.

Uses the benchmark database of bench/registry_list.py (BENCH_DATABASE_URL).
Prints a Markdown table: per kind, the median and p95 over every query of the kind,
each requested BENCH_RUNS times, and the queries each request ran.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.public_load import SEARCH_WORDS  # noqa: E402
from bench.registry_list import (  # noqa: E402
    DATABASE_URL,
    TARGET,
    ensure_database,
    load,
)

RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def kinds() -> dict[str, list[str]]:
    """A few queries of each kind of the load benchmark's search mix."""
    from cooperatives.models import Cooperative, Kecamatan, Kelurahan

    rng = random.Random(2026)
    kecamatan = list(Kecamatan.objects.order_by("pk").values_list("pk", flat=True))
    kelurahan = list(Kelurahan.objects.order_by("pk").values_list("name", flat=True))
    nik = list(
        Cooperative.objects.exclude(nik=None)
        .order_by("pk")
        .values_list("nik", flat=True)[:2000]
    )
    typos = []
    for word in SEARCH_WORDS:
        cut = rng.randrange(1, len(word) - 1)
        typos.append(f"{word[:cut]}{word[cut + 1 :]}")
    pairs = [rng.sample(SEARCH_WORDS, 2) for _ in SEARCH_WORDS]
    return {
        "trivial Django view (baseline)": ["/bench/trivial/"],
        "no query": ["/publik/koperasi/"],
        "one word": [f"/publik/koperasi/?q={w}" for w in SEARCH_WORDS],
        "NIK": [f"/publik/koperasi/?q={n}" for n in rng.sample(nik, 7)],
        "kelurahan name": [
            f"/publik/koperasi/?q={k.replace(' ', '+')}"
            for k in rng.sample(kelurahan, 7)
        ],
        "word + kecamatan + status": [
            f"/publik/koperasi/?q={w}&kecamatan={rng.choice(kecamatan)}&status=aktif"
            for w in SEARCH_WORDS
        ],
        "jenis, a page": [
            f"/publik/koperasi/?jenis=simpan_pinjam&page={rng.randint(1, 50)}"
            for _ in range(7)
        ],
        "a typo (one letter left out)": [f"/publik/koperasi/?q={t}" for t in typos],
        "two words, other order": [
            f"/publik/koperasi/?q={second}+{first}" for first, second in pairs
        ],
    }


def main() -> None:
    ensure_database(DATABASE_URL)
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bench_settings"
    os.environ["PUBLIC_CACHE_SECONDS"] = "0"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    load(TARGET)
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import override_settings

    client = Client(HTTP_HOST="localhost")
    print(f"\nPublic search, one request at a time, {RUNS} runs of each query\n")
    print("| kind | queries | median ms | p95 ms | max ms | SQL queries |")
    print("|---|---:|---:|---:|---:|---:|")
    with override_settings(DEBUG=True):
        for label, paths in kinds().items():
            timings = []
            for path in paths:
                assert client.get(path).status_code == 200, path  # warm
                for _ in range(RUNS):
                    reset_queries()
                    started = time.perf_counter()
                    response = client.get(path)
                    timings.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200, path
            queries = len(connection.queries)
            timings.sort()
            p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
            print(
                f"| {label} | {len(paths)} | {statistics.median(timings):.1f} "
                f"| {p95:.1f} | {timings[-1]:.1f} | {queries} |"
            )


if __name__ == "__main__":
    main()
