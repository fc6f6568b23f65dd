"""The words of cooperative names (``SearchWord``), kept current by PostgreSQL.

The search corrects a typed word against these words (a few thousand, trigram
index) instead of computing a similarity for each of 150,000 names. Two triggers
add the words of new names: once per INSERT statement, over all its rows (the ODS
import's COPY of 150,000 names adds about half a second), and once per row whose
UPDATE changes the name (a rename; an update that leaves names alone costs
nothing). Words are split as the search splits a query: letters only, upper
case. SQLite (development) has neither pg_trgm nor these triggers; the search does
not use the table there.
"""

from django.db import migrations, models

WORDS = (
    "SELECT DISTINCT word FROM {source}, "
    "regexp_split_to_table(UPPER(name), '[^[:alpha:]]+') AS word "
    "WHERE word <> '' ORDER BY word"
)
# Sorted, so that two transactions adding the same new words take their locks in
# the same order and never deadlock.
ADD = "INSERT INTO cooperatives_searchword (word) {words} ON CONFLICT (word) DO NOTHING"

CREATE = [
    "CREATE INDEX search_word_trgm_idx ON cooperatives_searchword "
    "USING gin (word gin_trgm_ops)",
    ADD.format(words=WORDS.format(source="cooperatives_cooperative")),
    "CREATE FUNCTION cooperatives_searchword_added() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    + ADD.format(words=WORDS.format(source="added_names"))
    + "; RETURN NULL; END $$",
    "CREATE TRIGGER cooperative_name_words_added "
    "AFTER INSERT ON cooperatives_cooperative "
    "REFERENCING NEW TABLE AS added_names "
    "FOR EACH STATEMENT EXECUTE FUNCTION cooperatives_searchword_added()",
    "CREATE FUNCTION cooperatives_searchword_renamed() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    + ADD.format(words=WORDS.format(source="(SELECT NEW.name) AS renamed (name)"))
    + "; RETURN NULL; END $$",
    "CREATE TRIGGER cooperative_name_words_renamed "
    "AFTER UPDATE OF name ON cooperatives_cooperative "
    "FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) "
    "EXECUTE FUNCTION cooperatives_searchword_renamed()",
]
DROP = [
    "DROP TRIGGER IF EXISTS cooperative_name_words_renamed ON cooperatives_cooperative",
    "DROP FUNCTION IF EXISTS cooperatives_searchword_renamed()",
    "DROP TRIGGER IF EXISTS cooperative_name_words_added ON cooperatives_cooperative",
    "DROP FUNCTION IF EXISTS cooperatives_searchword_added()",
    "DROP INDEX IF EXISTS search_word_trgm_idx",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("cooperatives", "0012_officer_notify_by")]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "word",
                    models.CharField(
                        max_length=255,
                        primary_key=True,
                        serialize=False,
                        verbose_name="kata",
                    ),
                ),
            ],
            options={
                "verbose_name": "kata nama koperasi",
                "verbose_name_plural": "kata nama koperasi",
            },
        ),
        migrations.RunPython(run(CREATE), run(DROP)),
    ]
