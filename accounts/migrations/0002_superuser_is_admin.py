from django.db import migrations

import accounts.models


def roles_and_flags_agree(apps, schema_editor):
    """``createsuperuser`` had made officers (the role's default) with the admin
    site: they become Dinas administrators. Administrators made in the admin site
    without its checkboxes get the admin site their role promises."""
    User = apps.get_model("accounts", "User")
    User.objects.filter(is_superuser=True, role="officer").update(role="admin")
    User.objects.filter(role="admin").update(is_staff=True, is_superuser=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelManagers(
            name="user",
            managers=[
                ("objects", accounts.models.KoperasiUserManager()),
            ],
        ),
        migrations.RunPython(roles_and_flags_agree, migrations.RunPython.noop),
    ]
