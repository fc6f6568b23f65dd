"""Registry list benchmark: 150,000 cooperatives in PostgreSQL, search and filters.

Run with `make bench`. Needs a PostgreSQL server; uses its own database so that it
never touches the development or test data. Prints a Markdown table.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

TARGET = int(os.environ.get("BENCH_COOPERATIVES", "150000"))
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/koperasi_bench"
)


def ensure_database(url: str, *, fresh: bool = False) -> None:
    """Create the database of ``url`` if missing; ``fresh`` drops it first."""
    import psycopg2

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        if fresh:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def setup_django() -> None:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koperasi_registry.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load(target: int) -> None:
    from cooperatives import demo
    from cooperatives.models import (
        Cooperative,
        CooperativeStatus,
        Jenis,
        Kelompok,
        Kelurahan,
        Pola,
        RecordSource,
    )

    have = Cooperative.objects.count()
    if have >= target:
        print(f"{have} cooperatives already loaded")
        return
    rng = random.Random(150_000)
    kelurahan = list(Kelurahan.objects.all())
    kelompok = list(Kelompok.objects.all()) + [None] * 5
    words = demo.WORDS
    prefixes = [
        "Koperasi Konsumen",
        "Koperasi Karyawan",
        "KSP",
        "KSPPS",
        "Koperasi Jasa",
        "Koperasi Produsen",
        "Koperasi Pemasaran",
        "KPRI",
    ]
    statuses = [CooperativeStatus.AKTIF] * 3 + [CooperativeStatus.TIDAK_AKTIF]
    batch = []
    started = time.perf_counter()
    for number in range(have, target):
        batch.append(
            Cooperative(
                nik=f"64{number:014d}" if number % 10 else None,
                name=" ".join(
                    (
                        rng.choice(prefixes),
                        rng.choice(words),
                        rng.choice(words),
                        str(number),
                    )
                ),
                nomor_badan_hukum=f"{number}/BH/XVI/{rng.randint(1980, 2024)}",
                kelurahan=rng.choice(kelurahan),
                jenis=rng.choice(Jenis.values),
                pola=Pola.SYARIAH if number % 17 == 0 else Pola.KONVENSIONAL,
                kelompok=rng.choice(kelompok),
                status=rng.choice(statuses),
                source=RecordSource.DEMO,
            )
        )
        if len(batch) == 5000:
            Cooperative.objects.bulk_create(batch)
            batch = []
    Cooperative.objects.bulk_create(batch)
    from django.db import connection

    # What autovacuum does soon after a bulk load: statistics, the visibility map and
    # the GIN pending lists merged. Measuring before it would time a transient state.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE cooperatives_cooperative")
    print(
        f"loaded {target - have} cooperatives in {time.perf_counter() - started:.0f} s"
    )


def measure() -> list[tuple[str, float, float, int, int]]:
    from django.db import connection, reset_queries
    from django.http import QueryDict
    from django.test import Client
    from django.test.utils import override_settings

    from accounts.models import Role, User
    from cooperatives.models import Kecamatan, Kelurahan
    from cooperatives.selectors import cooperative_filter

    user, _ = User.objects.get_or_create(
        username="bench-staff", defaults={"role": Role.STAFF}
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    utara = Kecamatan.objects.get(name="Balikpapan Utara").pk
    damai = Kelurahan.objects.get(name="Damai").pk
    scenarios = [
        ("list, first page (25)", {}),
        ("list, page 100 of 6,000", {"page": 100}),
        ("list, 100 per page", {"per_page": 100}),
        ("search name 'sejahtera makmur'", {"q": "sejahtera makmur"}),
        ("search name 'bahari'", {"q": "bahari"}),
        ("search NIK prefix", {"q": "640000000012"}),
        ("search nomor badan hukum", {"q": "12345/BH"}),
        ("filter kecamatan + jenis", {"kecamatan": utara, "jenis": "konsumen"}),
        (
            "filter kelurahan + status, sort by RAT",
            {"kelurahan": damai, "status": "aktif", "o": "-rat"},
        ),
        (
            "search + kecamatan + status",
            {"q": "jaya", "kecamatan": utara, "status": "aktif"},
        ),
        ("filter pola syariah, sort by name desc", {"pola": "syariah", "o": "-nama"}),
    ]
    results = []
    with override_settings(DEBUG=True):
        for label, params in scenarios:
            for _ in range(3):
                assert client.get("/koperasi/", params).status_code == 200
            timings = []
            for _ in range(RUNS):
                reset_queries()
                started = time.perf_counter()
                response = client.get("/koperasi/", params)
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
            queries = len(connection.queries)
            count = cooperative_filter(
                user=user, params=QueryDict(urlencode(params))
            ).qs.count()
            timings.sort()
            p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
            results.append((label, statistics.median(timings), p95, queries, count))
    return results


def main() -> None:
    ensure_database(DATABASE_URL)
    setup_django()
    load(TARGET)
    from cooperatives.models import Cooperative

    total = Cooperative.objects.count()
    print(f"\nRegistry list with {total:,} cooperatives, {RUNS} timed requests each\n")
    print("| request | median ms | p95 ms | queries | rows matched |")
    print("|---|---:|---:|---:|---:|")
    for label, median, p95, queries, count in measure():
        print(f"| {label} | {median:.1f} | {p95:.1f} | {queries} | {count:,} |")


if __name__ == "__main__":
    main()
