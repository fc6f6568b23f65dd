from django.db import migrations

import accounts.models


def roles_and_flags_agree(apps, schema_editor):
    """Django's admin flags follow the role from now on. A superuser of any role
    (``createsuperuser`` had made officers, the role's default) becomes a Dinas
    administrator, so that no office loses the admin site it had; every
    administrator gets it; nobody else keeps a flag ticked by hand (a staff
    member with "Status staf" could open the admin site)."""
    User = apps.get_model("accounts", "User")
    User.objects.filter(is_superuser=True).update(role="admin")
    User.objects.filter(role="admin").update(is_staff=True, is_superuser=True)
    User.objects.exclude(role="admin").update(is_staff=False, is_superuser=False)


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
