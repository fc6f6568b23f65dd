"""The typo-forgiving search (``cooperatives.search``): tell PostgreSQL what a
trigram word similarity costs (PostgreSQL only).

``UPPER(name) %> 'WORD'`` computes ``word_similarity`` per row, about 16 µs, while
pg_trgm declares it as cheap as an equality (COST 1). With that, the public
search's capped count ("more than 1,000") scanned the table and computed it for
every row (234 ms for "bahari" at 150,000 cooperatives) instead of taking the
trigram index (27 ms). COST 100 makes the planner prefer the index; a higher cost
made two-word searches walk worse plans. A database user that does not own the
extension's function keeps the old cost, with a notice: searches still work.
SQLite (development) has no pg_trgm; skipped there.
"""

from django.db import migrations


def set_cost(cost):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            "DO $$ BEGIN "
            "ALTER FUNCTION word_similarity_commutator_op(text, text) "
            f"COST {int(cost)}; "
            "EXCEPTION WHEN insufficient_privilege OR undefined_function THEN "
            "RAISE NOTICE 'word_similarity cost left as it is'; "
            "END $$"
        )

    return run


class Migration(migrations.Migration):
    dependencies = [("cooperatives", "0010_region_boundaries")]

    operations = [migrations.RunPython(set_cost(100), set_cost(1))]
