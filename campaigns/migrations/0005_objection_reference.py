"""A reference number for each objection, as a concern has one. Existing rows get
one each (a unique default cannot be added in one step: every row would get the
same)."""

from django.db import migrations, models

import lib.models


def fill(apps, schema_editor):
    Objection = apps.get_model("campaigns", "Objection")
    taken = set()
    for objection in Objection.objects.filter(reference__isnull=True).only("pk"):
        reference = lib.models.new_reference()
        while reference in taken:
            reference = lib.models.new_reference()
        taken.add(reference)
        Objection.objects.filter(pk=objection.pk).update(reference=reference)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0004_class_b_label"),
    ]

    operations = [
        migrations.AddField(
            model_name="objection",
            name="reference",
            field=models.CharField(
                max_length=8, null=True, verbose_name="nomor keberatan"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="objection",
            name="reference",
            field=models.CharField(
                default=lib.models.new_reference,
                max_length=8,
                unique=True,
                verbose_name="nomor keberatan",
            ),
        ),
    ]
