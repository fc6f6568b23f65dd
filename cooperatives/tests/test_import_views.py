"""The import pages: who may open them, and the upload -> preview -> apply round."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from cooperatives.models import Cooperative, ImportJob, ImportStatus
from tests.broker import broker_down
from tests.personas import PersonaTestCase

from .ods_testing import row, write_xlsx


class ImportPagesTests(PersonaTestCase):
    def upload(self, client, rows=None, name="ods.xlsx", **data):
        import tempfile
        from pathlib import Path

        path = write_xlsx(
            Path(tempfile.mkdtemp()) / name,
            rows or [row("6471000000000101", "Koperasi Uji Impor")],
        )
        upload = SimpleUploadedFile(name, path.read_bytes())
        with self.captureOnCommitCallbacks(execute=True):
            response = client.post(
                reverse("cooperatives:import_create"), {"file": upload, **data}
            )
        return response

    def job_urls(self, job):
        return {
            name: reverse(f"cooperatives:{name}", args=[job.pk])
            for name in (
                "import_detail",
                "import_apply",
                "import_cancel",
                "import_undo",
                "import_rejected",
                "import_map_kelompok",
            )
        }

    def test_staff_upload_preview_apply_and_undo(self):
        client = self.client_for(self.staff)
        response = self.upload(client, year="")
        job = ImportJob.objects.get()
        self.assertRedirects(response, job.get_absolute_url())
        assert job.status == ImportStatus.READY, (job.status, job.error)
        page = client.get(job.get_absolute_url() + "?tampil=new")
        self.assertContains(page, "Koperasi Uji Impor")
        self.assertContains(page, "Terapkan ke registri")
        # The counts read as counts in English ("8 row" was the word for one).
        from django.conf import settings

        english = self.client_for(self.staff)
        english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.assertContains(english.get(job.get_absolute_url()), "<small>rows</small>")
        with self.captureOnCommitCallbacks(execute=True):
            client.post(reverse("cooperatives:import_apply", args=[job.pk]))
        job.refresh_from_db()
        assert job.status == ImportStatus.APPLIED
        assert Cooperative.objects.filter(nik="6471000000000101").exists()
        self.assertContains(client.get(reverse("cooperatives:import_list")), "ods.xlsx")
        with self.captureOnCommitCallbacks(execute=True):
            client.post(reverse("cooperatives:import_undo", args=[job.pk]))
        job.refresh_from_db()
        assert job.status == ImportStatus.UNDONE
        assert not Cooperative.objects.filter(nik="6471000000000101").exists()

    def test_with_the_broker_down_each_step_says_so_and_can_be_asked_again(self):
        # Redis stopped: the upload gave a 500 page saying nothing had changed,
        # and the job it had made waited "Menunggu… 0%" for good.
        client = self.client_for(self.staff)
        with broker_down():
            response = self.upload(client, year="")
        job = ImportJob.objects.get()
        self.assertRedirects(response, job.get_absolute_url())
        self.assertEqual(job.status, ImportStatus.FAILED)
        page = client.get(job.get_absolute_url())
        self.assertContains(page, "tidak dapat dihubungi")
        # With the broker back, the same file is read (not led to the dead job).
        self.upload(client, year="")
        ready = ImportJob.objects.get(status=ImportStatus.READY)
        # Applying with it down again: the preview stands, to be applied later.
        with broker_down(), self.captureOnCommitCallbacks(execute=True):
            response = client.post(
                reverse("cooperatives:import_apply", args=[ready.pk])
            )
        self.assertEqual(response.status_code, 302)
        ready.refresh_from_db()
        self.assertEqual(ready.status, ImportStatus.READY)
        self.assertContains(
            client.get(ready.get_absolute_url()), "tidak dapat dihubungi"
        )
        with self.captureOnCommitCallbacks(execute=True):
            client.post(reverse("cooperatives:import_apply", args=[ready.pk]))
        ready.refresh_from_db()
        self.assertEqual(ready.status, ImportStatus.APPLIED)
        self.assertEqual(ready.error, "")

    def undone_after_a_change(self, client, rows, nik):
        """The import's page after it was applied, the cooperative of ``nik``
        changed by staff, and the import undone."""
        from cooperatives.services import cooperative_update

        self.upload(client, rows=rows, year="")
        job = ImportJob.objects.get()
        with self.captureOnCommitCallbacks(execute=True):
            client.post(reverse("cooperatives:import_apply", args=[job.pk]))
        cooperative_update(
            acting_user=self.staff,
            cooperative=Cooperative.objects.get(nik=nik),
            fields={"address": "Jl. B"},
        )
        with self.captureOnCommitCallbacks(execute=True):
            client.post(reverse("cooperatives:import_undo", args=[job.pk]))
        return client.get(job.get_absolute_url())

    def test_a_cooperative_the_undo_leaves_alone_leads_to_its_values_before(self):
        # "Tidak disentuh: … sudah diubah sesudah impor ini" gave no way to the
        # values the import had replaced, to put back by hand.
        from tests.personas import make_cooperative

        existing = make_cooperative("Koperasi Lama", nik="6471000000000101")
        client = self.client_for(self.staff)
        rows = [
            row("6471000000000101", "Koperasi Nama Baru"),
            row("6471000000000102", "Koperasi Uji Dua"),
        ]
        created = Cooperative.objects.get(pk=existing.pk)  # updated by the import
        page = self.undone_after_a_change(client, rows, created.nik)
        self.assertContains(page, 'data-testid="undo-skipped"')
        self.assertContains(
            page, reverse("cooperatives:detail", args=[created.pk]) + "#audit-trail"
        )

    def test_an_undo_that_undoes_nothing_still_names_what_it_left_alone(self):
        # "Tidak ada yang dibatalkan" named no one; and a cooperative the import
        # had registered was sent to "values before the import" it never had.

        client = self.client_for(self.staff)
        page = self.undone_after_a_change(client, None, "6471000000000101")
        self.assertContains(page, "Tidak ada yang dibatalkan")
        self.assertContains(page, 'data-testid="undo-skipped"')
        self.assertContains(page, "didaftarkan oleh impor ini dan sudah diubah")
        self.assertNotContains(page, "#audit-trail")

    def test_a_row_error_reads_in_english_on_english_pages(self):
        # The worker writes the office's words; a reader on English pages read
        # "NIK harus berupa 13 sampai 16 digit angka." among English headings.
        from django.conf import settings

        client = self.client_for(self.staff)
        self.upload(client, rows=[row("12345", "Koperasi NIK Pendek")], year="")
        job = ImportJob.objects.get()
        url = job.get_absolute_url() + "?tampil=error"
        self.assertContains(client.get(url), "NIK harus berupa 13 sampai 16 digit")
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english = client.get(url)
        self.assertContains(english, "The NIK must be 13 to 16 digits.")
        self.assertNotContains(english, "NIK harus berupa")

    def test_a_value_of_thousands_of_letters_is_cut_on_the_page(self):
        # Written whole, one such name pushed every row's "Masalah" 3,000 px
        # to the right of a 1,280 px screen.
        client = self.client_for(self.staff)
        long_name = "A" * 5000
        self.upload(client, rows=[row("6471000000000102", long_name)], year="")
        job = ImportJob.objects.get()
        page = client.get(job.get_absolute_url() + "?tampil=error")
        self.assertContains(page, "terlalu panjang")
        self.assertNotContains(page, "A" * 151)
        self.assertContains(page, "A" * 149 + "…")

    def test_a_file_with_nothing_to_write_offers_no_apply(self):
        client = self.client_for(self.staff)
        self.upload(client, rows=[row("12345", "Koperasi NIK Pendek")], year="")
        job = ImportJob.objects.get()
        page = client.get(job.get_absolute_url())
        self.assertContains(page, 'data-testid="nothing-to-apply"')
        self.assertNotContains(page, 'data-testid="apply"')
        self.assertContains(page, 'data-testid="cancel"')
        # Sent anyway (a page opened before): refused, nothing applied.
        response = client.post(
            reverse("cooperatives:import_apply", args=[job.pk]), follow=True
        )
        self.assertContains(response, "Tidak ada yang dapat diterapkan")
        job.refresh_from_db()
        assert job.status == ImportStatus.READY

    def test_a_progress_poll_answers_with_the_progress_bar(self):
        client = self.client_for(self.staff)
        self.upload(client)
        job = ImportJob.objects.get()
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.READING, progress=40
        )
        poll = client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
        self.assertContains(poll, "40%")
        self.assertIn("HX-Request", poll["Vary"])
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.READY)
        done = client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
        assert done.status_code == 204 and done["HX-Refresh"] == "true"

    def test_bad_uploads_get_a_message_not_a_500(self):
        client = self.client_for(self.staff)
        response = client.post(
            reverse("cooperatives:import_create"),
            {"file": SimpleUploadedFile("foto.jpg", b"\xff\xd8\xff")},
        )
        self.assertContains(response, "Unggah berkas .xlsx", status_code=400)
        with override_settings(IMPORT_MAX_UPLOAD_MB=1):
            big = SimpleUploadedFile("besar.csv", b"x" * (1024 * 1024 + 1))
            response = client.post(reverse("cooperatives:import_create"), {"file": big})
        self.assertContains(response, "terlalu besar", status_code=400)
        renamed = SimpleUploadedFile("data.xlsx", b"%PDF-1.4 bukan excel")
        with self.captureOnCommitCallbacks(execute=True):
            client.post(reverse("cooperatives:import_create"), {"file": renamed})
        response = client.get(ImportJob.objects.get().get_absolute_url())
        self.assertContains(response, "bukan spreadsheet")
        assert ImportJob.objects.get().status == ImportStatus.FAILED

    def test_the_rejected_rows_download(self):
        client = self.client_for(self.staff)
        self.upload(
            client, rows=[row("12345", "NIK Pendek"), row("6471000000000102", "KSP")]
        )
        job = ImportJob.objects.get()
        response = client.get(reverse("cooperatives:import_rejected", args=[job.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content).startswith(b"PK")

    def test_officers_get_404_for_every_import_page_and_403_for_the_list(self):
        self.upload(self.client_for(self.staff))
        job = ImportJob.objects.get()
        for user in (self.officer_a, self.officer_b):
            client = self.client_for(user)
            for name, url in self.job_urls(job).items():
                with self.subTest(user=user.username, view=name):
                    assert client.get(url).status_code in (404, 405)
                    assert client.post(url).status_code == 404
            assert client.get(reverse("cooperatives:import_list")).status_code == 403
            assert self.upload(client).status_code == 403
        assert ImportJob.objects.count() == 1

    def test_anonymous_users_are_sent_to_log_in(self):
        self.upload(self.client_for(self.staff))
        job = ImportJob.objects.get()
        for url in (reverse("cooperatives:import_list"), *self.job_urls(job).values()):
            with self.subTest(url=url):
                response = self.anonymous.get(url)
                assert response.status_code in (302, 405)

    def test_write_views_reject_get(self):
        self.upload(self.client_for(self.staff))
        job = ImportJob.objects.get()
        client = self.client_for(self.staff)
        for name in (
            "import_apply",
            "import_cancel",
            "import_undo",
            "import_map_kelompok",
        ):
            with self.subTest(view=name):
                assert client.get(self.job_urls(job)[name]).status_code == 405
        # The upload's address, bookmarked or reloaded: the page with the form.
        self.assertRedirects(
            client.get(reverse("cooperatives:import_create")),
            reverse("cooperatives:import_list"),
        )

    def test_applying_twice_applies_once(self):
        client = self.client_for(self.staff)
        self.upload(client)
        job = ImportJob.objects.get()
        url = reverse("cooperatives:import_apply", args=[job.pk])
        with self.captureOnCommitCallbacks(execute=True):
            client.post(url)
        response = client.post(url, follow=True)
        self.assertContains(response, "tidak dapat diterapkan")
        assert Cooperative.objects.filter(nik="6471000000000101").count() == 1

    def test_staff_map_a_new_kelompok_label_on_the_preview(self):
        client = self.client_for(self.staff)
        rows = [
            row(
                "6471000000000103",
                "Koperasi Nelayan Baru",
                **{
                    "Kelompok Koperasi": "Koperasi Nelayan Pantai",
                    "Jenis Koperasi": "",
                },
            )
        ]
        self.upload(client, rows=rows)
        job = ImportJob.objects.get()
        page = client.get(job.get_absolute_url())
        self.assertContains(page, "1 label kelompok baru")
        self.assertContains(page, "Koperasi Nelayan Pantai")
        self.assertContains(page, "belum punya jenis")
        url = reverse("cooperatives:import_map_kelompok", args=[job.pk])
        response = client.post(url, {"jenis_0": "produsen"}, follow=True)
        self.assertContains(response, "Pemetaan kelompok baru disimpan")
        self.assertNotContains(response, "belum punya jenis")
        job.refresh_from_db()
        assert job.kelompok_mapping == {"koperasinelayanpantai": "produsen"}
        response = client.post(url, {"jenis_0": "bukan-jenis"}, follow=True)
        self.assertContains(response, "Pilihan jenis tidak dikenal")
        with self.captureOnCommitCallbacks(execute=True):
            client.post(reverse("cooperatives:import_apply", args=[job.pk]))
        assert Cooperative.objects.get(nik="6471000000000103").jenis == "produsen"
        # Applied: the mapping can no longer change.
        response = client.post(url, {"jenis_0": "jasa"}, follow=True)
        self.assertContains(response, "sebelum impor diterapkan")
