from django.db import migrations, models


def load_balikpapan_boundaries(apps, schema_editor):
    from cooperatives.regions.geo import (
        BALIKPAPAN_BOUNDARY_FILES,
        apply_boundaries,
        read_boundary_file,
    )

    for path in BALIKPAPAN_BOUNDARY_FILES:
        apply_boundaries(
            read_boundary_file(path),
            kecamatan_model=apps.get_model("cooperatives", "Kecamatan"),
            kelurahan_model=apps.get_model("cooperatives", "Kelurahan"),
        )


class Migration(migrations.Migration):
    dependencies = [("cooperatives", "0009_ods_kelompok_labels_and_regions")]

    operations = [
        migrations.AddField(
            model_name="kecamatan",
            name="boundary",
            field=models.JSONField(blank=True, null=True, verbose_name="batas wilayah"),
        ),
        migrations.AddField(
            model_name="kelurahan",
            name="boundary",
            field=models.JSONField(blank=True, null=True, verbose_name="batas wilayah"),
        ),
        migrations.RunPython(load_balikpapan_boundaries, migrations.RunPython.noop),
    ]
