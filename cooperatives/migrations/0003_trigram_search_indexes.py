"""Trigram indexes for the registry search (PostgreSQL only).

The list searches name and nomor badan hukum with ``icontains`` (``UPPER(col) LIKE
UPPER('%...%')``) and NIK with ``startswith``; b-tree indexes cannot serve a
substring match, trigram GIN indexes can. SQLite (development) has no pg_trgm and
scans; these statements are skipped there.
"""

from django.db import migrations

INDEXES = {
    "coop_name_trgm_idx": "UPPER((name)::text) gin_trgm_ops",
    "coop_badan_hukum_trgm_idx": "UPPER((nomor_badan_hukum)::text) gin_trgm_ops",
    "coop_nik_trgm_idx": "((nik)::text) gin_trgm_ops",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON cooperatives_cooperative "
            f"USING gin ({expression})"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cooperatives", "0002_seed_regions_and_kelompok")]

    operations = [migrations.RunPython(create, drop)]
