# A rekap goes to several recipients: each sending is a row of its own. The one
# sending a rekap could hold is moved into the new table before its columns go.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def sendings_from_snapshots(apps, schema_editor):
    RekapSnapshot = apps.get_model("reports", "RekapSnapshot")
    RekapSending = apps.get_model("reports", "RekapSending")
    sent = RekapSnapshot.objects.exclude(sent_on__isnull=True)
    RekapSending.objects.bulk_create(
        RekapSending(
            snapshot_id=snapshot.pk,
            sent_to=snapshot.sent_to,
            sent_on=snapshot.sent_on,
            nomor_surat=snapshot.nomor_surat,
            sent_by_id=snapshot.sent_by_id,
        )
        for snapshot in sent
    )


def snapshots_from_sendings(apps, schema_editor):
    RekapSending = apps.get_model("reports", "RekapSending")
    for sending in RekapSending.objects.order_by("-sent_on", "-id"):
        snapshot = sending.snapshot
        snapshot.sent_to = sending.sent_to
        snapshot.sent_on = sending.sent_on
        snapshot.nomor_surat = sending.nomor_surat
        snapshot.sent_by_id = sending.sent_by_id
        snapshot.save()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0009_officer_reply"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="RekapSending",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("sent_to", models.CharField(max_length=200, verbose_name="penerima")),
                ("sent_on", models.DateField(verbose_name="tanggal kirim")),
                (
                    "nomor_surat",
                    models.CharField(max_length=100, verbose_name="nomor surat"),
                ),
                (
                    "recorded_at",
                    models.DateTimeField(auto_now_add=True, verbose_name="dicatat"),
                ),
                (
                    "sent_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="dicatat oleh",
                    ),
                ),
                (
                    "snapshot",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sendings",
                        to="reports.rekapsnapshot",
                    ),
                ),
            ],
            options={
                "verbose_name": "pengiriman rekap",
                "verbose_name_plural": "pengiriman rekap",
                "ordering": ["sent_on", "id"],
            },
        ),
        migrations.RunPython(sendings_from_snapshots, snapshots_from_sendings),
        migrations.RemoveField(
            model_name="rekapsnapshot",
            name="nomor_surat",
        ),
        migrations.RemoveField(
            model_name="rekapsnapshot",
            name="sent_by",
        ),
        migrations.RemoveField(
            model_name="rekapsnapshot",
            name="sent_on",
        ),
        migrations.RemoveField(
            model_name="rekapsnapshot",
            name="sent_to",
        ),
    ]
