from django.db import migrations


def flags_follow_role(apps, schema_editor):
    """Django's admin flags follow the role from now on (0002 mended only the
    superusers with the officer role). A superuser of any role becomes a Dinas
    administrator, so that no office loses the admin site it had; every
    administrator gets it; nobody else keeps a flag ticked by hand (a staff
    member with "Status staf" could open the admin site)."""
    User = apps.get_model("accounts", "User")
    User.objects.filter(is_superuser=True).update(role="admin")
    User.objects.filter(role="admin").update(is_staff=True, is_superuser=True)
    User.objects.exclude(role="admin").update(is_staff=False, is_superuser=False)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_superuser_is_admin"),
    ]

    operations = [
        migrations.RunPython(flags_follow_role, migrations.RunPython.noop),
    ]
