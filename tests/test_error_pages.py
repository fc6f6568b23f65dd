"""The 404 and the expired-form pages speak to whoever reached them: a member of
the public in the public site's frame, staff and officers in theirs."""

from django.test import Client
from django.urls import reverse

from tests.personas import PersonaTestCase


class ErrorPageTests(PersonaTestCase):
    def test_a_member_of_the_public_gets_the_public_404(self):
        response = self.client.get("/publik/koperasi/999999/")
        self.assertContains(response, "Halaman tidak ditemukan", status_code=404)
        self.assertNotContains(response, "bukan milik koperasi Anda", status_code=404)
        self.assertContains(response, "Cek Koperasi", status_code=404)  # its frame

    def test_an_officer_is_told_it_may_be_another_cooperatives(self):
        response = self.client_for(self.officer_a).get(
            reverse("cooperatives:edit", args=[self.coop_b.pk])
        )
        self.assertContains(response, "bukan milik koperasi Anda", status_code=404)
        # And the way back (the page was a dead end).
        self.assertContains(response, ">Kembali ke Koperasi saya</a>", status_code=404)

    def test_an_expired_public_form_says_nothing_was_sent(self):
        client = Client(enforce_csrf_checks=True)
        response = client.post(
            reverse("public:concern", args=[self.coop_a.pk]), {"message": "x" * 40}
        )
        self.assertContains(response, "isinya belum terkirim", status_code=403)
        self.assertNotContains(response, "tidak hilang", status_code=403)

    def test_staff_and_officers_are_told_what_was_typed_is_not_saved(self):
        # "Muat ulang halaman lalu kirim lagi" alone: reloading threw away what
        # had been typed, which the page did not say.
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.staff)
        response = client.post(reverse("cooperatives:create"), {"name": "x"})
        self.assertContains(response, "baru diketik belum tersimpan", status_code=403)
        self.assertContains(response, "Tekan Kembali", status_code=403)
        self.assertContains(
            response, "Data yang tersimpan sebelumnya tidak hilang", status_code=403
        )

    def test_a_form_sent_after_the_session_ended_says_nothing_was_saved(self):
        client = self.client_for(self.officer_a)
        url = reverse("cooperatives:edit", args=[self.coop_a.pk])
        client.cookies.pop("sessionid")  # expired, or logged out in another tab
        response = client.post(url, {"address": "Jl. Baru 1"}, follow=True)
        login, _status = response.redirect_chain[-1]
        self.assertTrue(login.startswith(reverse("login")))
        self.assertContains(response, "Sesi Anda sudah berakhir sebelum isian terkirim")
        # Logging out is no form lost.
        client = self.client_for(self.officer_a)
        response = client.post(reverse("logout"), follow=True)
        self.assertNotContains(response, "Sesi Anda sudah berakhir")

    def test_what_was_typed_is_given_back_after_logging_in_again(self):
        client = self.client_for(self.staff)
        url = reverse("cooperatives:edit", args=[self.coop_a.pk])
        client.get(url)  # the form opened
        client.cookies.pop("sessionid")
        client.post(url, {"address": "Jl. Baru 1", "seen": "x"})
        client.force_login(self.staff)  # keeps the session's data, as a login does
        page = client.get(url)
        self.assertContains(page, 'data-testid="unsent-restored"')
        # What was typed; the page's own mark ("seen") is made anew.
        self.assertContains(
            page,
            '<script id="unsent-values" type="application/json">'
            f'{{"action": "{url}", "values": {{"address": ["Jl. Baru 1"]}}}}</script>',
        )
        # Given back once.
        self.assertNotContains(client.get(url), 'data-testid="unsent-restored"')

    def test_an_action_s_form_sent_after_the_session_ended_comes_back_to_its_page(
        self,
    ):
        # A form posting to an action's own address (POST only) sent the login
        # on to that address: an empty 405 after logging in, the note lost.
        client = self.client_for(self.staff)
        page_url = reverse("cooperatives:detail", args=[self.coop_a.pk])
        action = reverse("cooperatives:status_letter_issue", args=[self.coop_a.pk])
        client.get(page_url)
        client.cookies.pop("sessionid")
        response = client.post(
            action,
            {"purpose": "Pinjaman bank"},
            headers={"Referer": f"http://testserver{page_url}"},
        )
        self.assertRedirects(
            response,
            f"{reverse('login')}?next={page_url}",
            fetch_redirect_response=False,
        )
        client.force_login(self.staff)
        page = client.get(page_url)
        self.assertContains(page, 'data-testid="unsent-restored"')
        self.assertContains(page, '{"purpose": ["Pinjaman bank"]}')
        # Another site's page named as the Referer is not followed.
        client.cookies.pop("sessionid")
        response = client.post(
            action, {"purpose": "x"}, headers={"Referer": "https://evil.invalid/x"}
        )
        self.assertEqual(response["Location"], f"{reverse('login')}?next={action}")

    def test_an_action_s_address_opened_as_a_page_says_what_it_is(self):
        action = reverse("cooperatives:status_letter_issue", args=[self.coop_a.pk])
        for client in (self.client_for(self.staff), self.client_for(self.officer_a)):
            page = client.get(action)
            self.assertContains(page, "Alamat ini bukan halaman", status_code=405)
            self.assertEqual(page["Allow"], "POST")

    def test_what_was_typed_is_given_back_to_the_same_person_only(self):
        # On a shared office computer: one person's form, sent after they
        # logged out, was put back into the next person's form after their login.
        client = self.client_for(self.staff)
        url = reverse("cooperatives:edit", args=[self.coop_a.pk])
        client.get(url)
        client.post(reverse("logout"))
        client.post(url, {"address": "Jl. Milik Staf 1"})
        client.force_login(self.admin)
        page = client.get(url)
        self.assertNotContains(page, "Jl. Milik Staf 1")
        self.assertNotContains(page, 'data-testid="unsent-restored"')
        # Not kept for later either.
        client.force_login(self.staff)
        self.assertNotContains(client.get(url), "Jl. Milik Staf 1")

    def test_a_password_is_never_kept_for_after_the_login(self):
        # It was stored in the session in plain text and filled back into the
        # password fields after logging in again.
        client = self.client_for(self.officer_a)
        url = reverse("password_change")
        client.get(url)
        client.cookies.pop("sessionid")
        client.post(
            url,
            {
                "old_password": "lama-rahasia-1",
                "new_password1": "baru-rahasia-2",
                "new_password2": "baru-rahasia-2",
            },
        )
        from koperasi_registry.middleware import UNSENT

        kept = client.session.get(UNSENT)
        assert kept is not None and kept["values"] == {}
        client.force_login(self.officer_a)
        page = client.get(url)
        self.assertNotContains(page, "rahasia")

    def test_a_file_name_too_long_to_send_is_said_so(self):
        # About 950 characters: Django refuses the form's part ("Request max
        # total header size exceeded") and the page said only "muat ulang".
        from reports.models import RatReport
        from reports.tests.rat_testing import PDF

        report = RatReport.objects.create(cooperative=self.coop_a, tahun_buku=2024)
        # Written by hand: Django's test client cuts a file's name to 255.
        name = "a" * 1200 + ".pdf"
        body = (
            b"--B\r\n"
            b'Content-Disposition: form-data; name="kind"\r\n\r\nneraca\r\n'
            b"--B\r\n"
            b'Content-Disposition: form-data; name="file"; filename="'
            + name.encode()
            + b'"\r\nContent-Type: application/pdf\r\n\r\n'
            + PDF
            + b"\r\n--B--\r\n"
        )
        response = self.client_for(self.officer_a).generic(
            "POST",
            reverse("reports:rat_attachment_upload", args=[report.pk]),
            body,
            content_type="multipart/form-data; boundary=B",
        )
        self.assertContains(
            response, "Nama berkas yang dipilih terlalu panjang", status_code=400
        )

    def test_text_over_the_limit_is_said_so(self):
        response = self.client_for(self.staff).post(
            reverse("cooperatives:edit", args=[self.coop_a.pk]),
            {"address": "x" * (3 * 1024 * 1024)},
        )
        self.assertContains(response, "terlalu panjang", status_code=400)
        self.assertContains(response, "lebih dari 2 MB teks", status_code=400)

    def test_a_member_s_oversized_text_is_refused_in_the_public_frame(self):
        # A member pasting a document into an objection got the staff's header
        # ("Registri Koperasi") around the refusal.
        response = self.anonymous.post(
            reverse("public:concern", args=[self.coop_a.pk]),
            {"message": "x" * (3 * 1024 * 1024)},
        )
        self.assertContains(response, "lebih dari 2 MB teks", status_code=400)
        self.assertContains(response, "Cek Koperasi", status_code=400)
        self.assertNotContains(response, "Registri Koperasi", status_code=400)

    def test_an_address_of_too_many_fields_is_refused_with_the_page(self):
        # With DEBUG on (``make run``), Django's debug page read such an
        # address again, failed, and answered a bare plain-text 500.
        query = "&".join(f"a{n}=1" for n in range(1500))
        for client, url, frame in (
            (self.client_for(self.staff), reverse("cooperatives:list"), "Dasbor"),
            (self.anonymous, reverse("public:list"), "Cek Koperasi"),
        ):
            with self.settings(DEBUG=True):
                response = client.get(f"{url}?{query}")
            self.assertContains(response, "terlalu banyak isian", status_code=400)
            # In the frame of whoever asked: staff read it in the public site's.
            self.assertContains(response, frame, status_code=400)
        # An address of ordinary length is served.
        page = self.client_for(self.staff).get(
            reverse("cooperatives:list") + "?q=a&q=b"
        )
        self.assertEqual(page.status_code, 200)
