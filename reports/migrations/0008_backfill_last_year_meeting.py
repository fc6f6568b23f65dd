"""Reports accepted before 0007 kept no last year's RAT date, and their "Tahun
lalu" column reads "—". Where last year's report was accepted too, its meeting is
that date: filled in here. A date the registry had only from the ODS is not kept
anywhere after the acceptance replaced it, and stays unknown."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    RatReport = apps.get_model("reports", "RatReport")
    previous = RatReport.objects.filter(
        cooperative_id=OuterRef("cooperative_id"),
        tahun_buku=OuterRef("tahun_buku") - 1,
        status="diterima",
        meeting_date__isnull=False,
    ).values("meeting_date")[:1]
    RatReport.objects.filter(
        status="diterima", last_year_meeting_date__isnull=True
    ).update(last_year_meeting_date=Subquery(previous))


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0007_rat_last_year_meeting"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
