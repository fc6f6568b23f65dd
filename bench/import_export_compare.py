"""Side by side: the ODS import against django-import-export on the same rows.

Run with `make bench` (or `python bench/import_export_compare.py [ROWS]`, default
5,000 rows as in the issue). Needs PostgreSQL and `pip install -r
bench/requirements.txt` (django-import-export is not a dependency of the app).

django-import-export gets the easier job: the rows already cleaned by our cleaning
(kelurahan as an id, dates as ISO text, codes for jenis and status), cooperative
fields only, no figures, ketua or audit rows. It runs in its default mode (one row
at a time, with diffs) and in bulk mode on new rows (``use_bulk``, ``skip_diff``,
``force_init_instance``), each into an empty registry. The ODS import runs end to
end from the messy .xlsx (`import_ods FILE --apply`, preview + apply, figures,
ketua, audit trail), also into an empty registry. Prints a Markdown table.
"""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.ods_import import bench_file, recreate_database  # noqa: E402

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000
DATABASE_URL = os.environ.get(
    "BENCH_COMPARE_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/koperasi_bench_compare",
)


def fresh_database() -> None:
    recreate_database(DATABASE_URL)
    subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), "migrate", "--noinput", "-v0"],
        env={**os.environ, "DATABASE_URL": DATABASE_URL},
        check=True,
    )


def ours(path: Path) -> float:
    """End to end in a fresh process, as an office would run it."""
    from django.db import connection

    connection.close()
    fresh_database()
    env = {**os.environ, "DATABASE_URL": DATABASE_URL, "DJANGO_DEBUG": "false"}
    started = time.perf_counter()
    command = [sys.executable, str(BASE_DIR / "manage.py"), "import_ods"]
    subprocess.run(
        [*command, str(path), "--apply", "--json"],
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def dataset(path: Path):  # type: ignore[no-untyped-def]
    """The file's rows after our cleaning, as django-import-export takes them."""
    import tablib

    from cooperatives.imports import import_limits, import_reference
    from cooperatives.ods.cleaning import RowCleaner
    from cooperatives.ods.files import open_table

    table = open_table(path, limits=import_limits())
    reference = import_reference()
    from cooperatives.ods.planning import IMPORTED_FIELDS as FIELDS

    data = tablib.Dataset(headers=list(FIELDS))
    clean_row = RowCleaner(
        columns=table.header.columns,
        reference=reference,
        today=datetime.date.today(),
        tahun_buku=None,
        default_year=2024,
    )
    for number, cells in table.rows():
        result = clean_row(number, cells)
        assert result.record is not None, result.problems
        values = {"nik": result.record.nik, **result.record.fields}
        data.append(
            [
                value.isoformat()
                if isinstance(value, datetime.date)
                else ("" if value is None else value)
                for value in (values[name] for name in FIELDS)
            ]
        )
    return data


def theirs(data, *, bulk: bool) -> float:  # type: ignore[no-untyped-def]
    from django.db import connection
    from import_export import fields, resources, widgets

    from cooperatives.models import Cooperative, Kelurahan
    from cooperatives.ods.planning import IMPORTED_FIELDS

    class Default(resources.ModelResource):
        kelurahan = fields.Field(
            attribute="kelurahan",
            column_name="kelurahan",
            widget=widgets.ForeignKeyWidget(Kelurahan, "pk"),
        )

        class Meta:
            model = Cooperative
            import_id_fields = ("nik",)
            fields = IMPORTED_FIELDS

    class Bulk(Default):
        class Meta(Default.Meta):
            use_bulk = True
            batch_size = 1_000
            skip_diff = True
            force_init_instance = True

    connection.close()  # the database is dropped and made again
    fresh_database()
    resource = Bulk() if bulk else Default()
    started = time.perf_counter()
    result = resource.import_data(data, dry_run=False, raise_errors=True)
    elapsed = time.perf_counter() - started
    assert Cooperative.objects.count() == len(data), result.totals
    return elapsed


def main() -> None:
    path = bench_file(ROWS, "clean")
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koperasi_registry.settings")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    fresh_database()
    import django

    django.setup()
    data = dataset(path)
    timings = {
        "django-import-export, default mode": theirs(data, bulk=False),
        "django-import-export, bulk mode (new rows)": theirs(data, bulk=True),
        "ODS import (`import_ods --apply`, end to end)": ours(path),
    }
    print(f"\n{ROWS:,} rows, empty registry, PostgreSQL\n")
    print("| importer | seconds | rows/s | what it wrote |")
    print("|---|---:|---:|---|")
    wrote = {
        "django-import-export, default mode": "cooperatives",
        "django-import-export, bulk mode (new rows)": "cooperatives",
        "ODS import (`import_ods --apply`, end to end)": (
            "cooperatives, figures, ketua, audit trail, preview, plan"
        ),
    }
    for label, seconds in timings.items():
        print(f"| {label} | {seconds:.1f} | {ROWS / seconds:,.0f} | {wrote[label]} |")


if __name__ == "__main__":
    main()
