"""Undoing an ODS import after a pemutakhiran was opened over what it created: the
campaign's items hold on to their cooperatives, so the undo leaves those alone and
says why (it failed on the protected rows and stayed "Sedang dibatalkan" for good)."""

from unittest import mock

import pytest
from django.db import DatabaseError
from django.db.models import QuerySet

from campaigns.tests.base import open_campaign
from cooperatives.imports import import_job_request_undo, import_job_undo
from cooperatives.models import Cooperative, ImportStatus
from cooperatives.tests.ods_testing import row
from cooperatives.tests.test_import_service import ImportCase
from tests.personas import make_cooperative


class UndoAfterCampaignTests(ImportCase):
    def test_cooperatives_a_campaign_holds_are_left_alone_and_named(self):
        make_cooperative("Koperasi Lama", nik="6471000000000009")
        job = self.apply(
            self.preview(
                [
                    row("6471000000000001", "Koperasi Dalam Kampanye"),
                    row("6471000000000002", "Koperasi Lain"),
                    row("6471000000000009", "Koperasi Lama Berganti Nama"),
                ]
            )
        )
        open_campaign(2024)
        # A cooperative created since the campaign opened is not in it.
        later = self.apply(
            self.preview([row("6471000000000003", "Koperasi Baru")], name="b.xlsx")
        )
        # A cooperative the import changed, and the campaign holds too: it is
        # restored; the two it created and the campaign holds are left alone.
        job = self.undo(job)
        assert job.status == ImportStatus.UNDONE
        assert job.undo_report["deleted"] == 0
        assert job.undo_report["restored"] == 1
        held = {item["name"]: item["why"] for item in job.undo_report["skipped"]}
        assert held == {"Koperasi Dalam Kampanye": "held", "Koperasi Lain": "held"}
        assert Cooperative.objects.count() == 4
        assert self.undo(later).undo_report["deleted"] == 1
        self.client.force_login(self.staff)
        page = self.client.get(job.get_absolute_url())
        self.assertContains(page, "sudah dipakai catatan lain sesudah impor ini")

    def test_an_undo_that_can_undo_nothing_leaves_the_import_standing(self):
        job = self.apply(self.preview([row("6471000000000001", "Koperasi A")]))
        open_campaign(2024)
        job = self.undo(job)
        assert job.status == ImportStatus.APPLIED
        assert "Tidak ada yang dibatalkan: semua 1 koperasi" in job.error
        assert Cooperative.objects.count() == 1

    def test_an_undo_that_fails_is_back_to_applied_with_its_reason(self):
        job = self.apply(self.preview([row("6471000000000001", "Koperasi A")]))
        import_job_request_undo(acting_user=self.staff, job=job)
        with (
            mock.patch.object(QuerySet, "delete", side_effect=DatabaseError("disk")),
            pytest.raises(DatabaseError),
        ):
            import_job_undo(job_id=job.pk)
        job.refresh_from_db()
        assert job.status == ImportStatus.APPLIED
        assert "Pembatalan gagal" in job.error
        assert Cooperative.objects.count() == 1
        # And it can be undone again.
        assert self.undo(job).undo_report["deleted"] == 1
        job.refresh_from_db()
        assert (job.status, job.error) == (ImportStatus.UNDONE, "")
