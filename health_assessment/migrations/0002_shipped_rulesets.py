"""Loads the rule sets shipped in health_assessment/rulesets/ as they stand when this
migration runs, so a fresh install can assess at once. Later versions are loaded
with ``manage.py health_ruleset_load`` (or the admin page), never by editing rows."""

from pathlib import Path

from django.db import migrations

from health_assessment.scoring import parse_ruleset

SHIPPED = ("kkpkk-2021-sektor-riil.v1.yaml", "kkpkk-2021-simpan-pinjam.v1.yaml")


def load_shipped(apps, schema_editor):
    from health_assessment.services import (
        RULESET_DIR,
        definition_digest,
        read_definition,
    )

    RuleSetVersion = apps.get_model("health_assessment", "RuleSetVersion")
    for name in SHIPPED:
        data = read_definition(Path(RULESET_DIR, name).read_text(encoding="utf-8"))
        ruleset = parse_ruleset(data)
        digest = definition_digest(data)
        RuleSetVersion.objects.get_or_create(
            code=ruleset.code,
            version=ruleset.version,
            defaults={
                "name": ruleset.name,
                "variant": ruleset.variant,
                "valid_from": ruleset.valid_from,
                "valid_to": ruleset.valid_to,
                "jenis": list(ruleset.jenis),
                "has_provisional": ruleset.has_provisional,
                "definition": data,
                "sha256": digest,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("health_assessment", "0001_initial")]

    operations = [migrations.RunPython(load_shipped, migrations.RunPython.noop)]
