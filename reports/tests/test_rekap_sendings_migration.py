"""Migration reports 0010 moves the one sending a rekap could hold into the new
sendings table before its columns go, and back when reversed."""

import datetime
import uuid

import pytest
from django.utils import timezone

from tests.migrating import migrate, migrate_to_latest

BEFORE = [("reports", "0009_officer_reply")]
AFTER = [("reports", "0010_rekap_sendings")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_sent_rekap_keeps_its_sending_across_the_migration():
    apps = migrate(BEFORE)
    User = apps.get_model("accounts", "User")
    Snapshot = apps.get_model("reports", "RekapSnapshot")
    user = User.objects.create(username="migrasi-rekap", role="staff")
    common = {
        "code": "R1",
        "definition_version": 1,
        "tahun_buku": 2025,
        "as_of": datetime.date(2025, 12, 31),
        "scope_code": "64.71",
        "scope_name": "Kota Balikpapan",
        "tables": [],
        "content_hash": "0" * 64,
        "frozen_at": timezone.now(),
        "made_by": user,
    }
    sent = Snapshot.objects.create(
        **common,
        version=1,
        status="dikirim",
        sent_to="Wali Kota Balikpapan",
        sent_on=datetime.date(2026, 1, 20),
        nomor_surat="500/12/DKUMKMP/2026",
        sent_by=user,
        verification_token=uuid.uuid4(),
    )
    Snapshot.objects.create(
        **common, version=2, status="draf", verification_token=uuid.uuid4()
    )
    try:
        apps = migrate(AFTER)
        Sending = apps.get_model("reports", "RekapSending")
        rows = list(
            Sending.objects.values_list(
                "snapshot_id", "sent_to", "sent_on", "nomor_surat", "sent_by_id"
            )
        )
        assert rows == [
            (
                sent.pk,
                "Wali Kota Balikpapan",
                datetime.date(2026, 1, 20),
                "500/12/DKUMKMP/2026",
                user.pk,
            )
        ]
        apps = migrate(BEFORE)
        back = apps.get_model("reports", "RekapSnapshot").objects.get(pk=sent.pk)
        assert (back.sent_to, back.nomor_surat) == (
            "Wali Kota Balikpapan",
            "500/12/DKUMKMP/2026",
        )
    finally:
        migrate_to_latest()
