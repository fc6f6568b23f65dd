"""A campaign item no longer keeps its own copy of the kecamatan: counted where the
cooperative is now, a cooperative moved after the campaign opened had stayed in its
old kecamatan on the campaign page, its filter and R4, while the registry, the maps
and R1 counted it in the new one. Reversed, the copy is filled from the registry."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_from_registry(apps, schema_editor):
    Item = apps.get_model("campaigns", "CampaignItem")
    Cooperative = apps.get_model("cooperatives", "Cooperative")
    Item.objects.update(
        kecamatan_id=Subquery(
            Cooperative.objects.filter(pk=OuterRef("cooperative_id")).values(
                "kelurahan__kecamatan_id"
            )[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0007_evidence_from_objection"),
        ("cooperatives", "0017_address_max"),
    ]

    operations = [
        # Nullable first, so that the way back can add the column before it
        # fills it.
        migrations.AlterField(
            model_name="campaignitem",
            name="kecamatan",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cooperatives.kecamatan",
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, fill_from_registry),
        migrations.RemoveIndex(
            model_name="campaignitem", name="campaign_item_count_idx"
        ),
        migrations.RemoveField(model_name="campaignitem", name="kecamatan"),
        migrations.AddIndex(
            model_name="campaignitem",
            index=models.Index(
                fields=["campaign", "proposed_class"], name="campaign_item_class_idx"
            ),
        ),
    ]
