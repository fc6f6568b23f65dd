"""Evidence: officer confirmations (logged in and through the one-time link),
staff review, field visits, and accepted RAT reports."""

import datetime
import io
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from PIL import Image

from audit.models import AuditEvent
from campaigns.models import (
    ConfirmationLink,
    Evidence,
    EvidenceState,
    EvidenceStatus,
)
from campaigns.services import (
    confirmation_link_create,
    confirmation_link_for_token,
    confirmation_submit,
    rat_reports_collect,
    visit_record,
)
from campaigns.tests.base import CampaignTestCase, dissolve
from cooperatives.models import CooperativeStatus, Officer, Position
from notifications.models import Notification
from reports.tests.rat_testing import PDF  # a real one-page PDF


def jpeg_with_gps(size=(3000, 2000)) -> SimpleUploadedFile:
    image = Image.new("RGB", size, "green")
    exif = Image.Exif()
    exif[0x8825] = {2: (1.0, 16.0, 0.0), 4: (116.0, 50.0, 0.0)}  # GPSInfo
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile("kantor.jpg", out.getvalue(), content_type="image/jpeg")


class ConfirmationTests(CampaignTestCase):
    def url(self, item=None):
        return reverse("campaigns:confirm", args=[(item or self.item_b).pk])

    def test_an_earlier_meeting_s_date_is_not_offered_as_the_last_rat(self):
        # An import brought tahun buku 2025 without its day: the form offered
        # the meeting of February 2025 with 2025, and refused its own values.
        from cooperatives.models import Cooperative

        Cooperative.objects.filter(pk=self.coop_b.pk).update(
            last_rat_date=datetime.date(2025, 2, 5), last_rat_year=2025
        )
        form = self.client_for(self.officer_b).get(self.url()).context["form"]
        self.assertIsNone(form.initial["rat_date"])
        self.assertEqual(form.initial["rat_year"], 2025)

    def test_the_officer_confirms_and_nothing_changes_until_staff_accept(self):
        client = self.client_for(self.officer_b)
        self.assertContains(client.get(self.url()), "Konfirmasi data 2025")
        response = client.post(
            self.url(),
            {
                "address": "Jl. Mulawarman 5",
                "phone": "0812 3456 7890",
                "email": "",
                "rat_date": "2026-03-10",
                "rat_year": "2025",
                "berita_acara": SimpleUploadedFile("ba.pdf", PDF),
                "photo": jpeg_with_gps(),
            },
        )
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        evidence = Evidence.objects.get(item=self.item_b)
        self.assertEqual(evidence.status, EvidenceStatus.MENUNGGU)
        self.assertEqual(evidence.data["address"], "Jl. Mulawarman 5")
        self.coop_b.refresh_from_db()
        self.assertEqual(self.coop_b.address, "")
        self.item_b.refresh_from_db()
        self.assertEqual(self.item_b.proposed_class, "C")
        self.assertEqual(self.item_b.evidence_state, EvidenceState.MENUNGGU)

        staff = self.client_for(self.staff)
        staff.post(reverse("campaigns:review", args=[evidence.pk]), {"accept": "1"})
        self.coop_b.refresh_from_db()
        self.assertEqual(self.coop_b.address, "Jl. Mulawarman 5")
        self.item_b.refresh_from_db()
        self.assertEqual(self.item_b.proposed_class, "A")
        self.assertEqual(self.item_b.evidence_state, EvidenceState.TERVERIFIKASI)
        self.assertEqual(self.coop_b.status, CooperativeStatus.AKTIF)
        self.assertTrue(
            AuditEvent.objects.filter(
                object_id=str(evidence.pk), action="accept"
            ).exists()
        )
        # The audit trail names the confirmation with its date as a person reads it.
        accepted = AuditEvent.objects.get(object_id=str(evidence.pk), action="accept")
        today = timezone.localdate()
        assert accepted.object_repr.endswith(date_format(today, "j F Y"))
        assert today.isoformat() not in accepted.object_repr
        # The RAT it confirms is the registry's last RAT as well.
        self.assertEqual(self.coop_b.last_rat_date, datetime.date(2026, 3, 10))
        self.assertEqual(self.coop_b.last_rat_year, 2025)

    def test_the_form_shows_the_board_the_registry_has(self):
        # "Periksa data di bawah" over an empty board field: the officers could
        # not see the board they were asked to check.
        page = self.client_for(self.officer_b).get(self.url())
        names = "; ".join(
            f"{o.get_position_display()}: {o.name}"
            for o in sorted(
                self.coop_b.officers.filter(is_active=True),
                key=lambda o: (list(Position.values).index(o.position), o.name),
            )
        )
        assert names
        self.assertContains(page, f"Tercatat sekarang: {names}.")

    def test_the_board_s_names_are_text_on_the_page_not_html(self):
        # A ketua named with markup (an import or a staff edit) ran as script on
        # the confirmation page, the one-time link without an account as well:
        # help text is printed as HTML.
        ketua = self.coop_b.officers.filter(is_active=True).first()
        ketua.name = 'Ketua <img src=x onerror="alert(1)">'
        ketua.save()
        token = confirmation_link_create(item=self.item_b)
        for page in (
            self.client_for(self.officer_b).get(self.url()),
            self.anonymous.get(reverse("campaigns:confirm_link", args=[token])),
        ):
            self.assertNotContains(page, "<img src=x")
            self.assertContains(
                page, "Ketua &lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
            )

    def test_a_confirmed_rat_older_than_the_registry_s_changes_no_date(self):
        self.coop_b.last_rat_date = datetime.date(2026, 4, 1)
        self.coop_b.last_rat_year = 2025
        self.coop_b.save()
        self.client_for(self.officer_b).post(
            self.url(),
            {
                "address": "Jl. Mulawarman 5",
                "phone": "0812 3456 7890",
                "rat_date": "2025-03-10",
                "rat_year": "2024",
                "berita_acara": SimpleUploadedFile("ba.pdf", PDF),
            },
        )
        evidence = Evidence.objects.get(item=self.item_b)
        staff = self.client_for(self.staff)
        staff.post(reverse("campaigns:review", args=[evidence.pk]), {"accept": "1"})
        self.coop_b.refresh_from_db()
        self.assertEqual(self.coop_b.address, "Jl. Mulawarman 5")
        self.assertEqual(self.coop_b.last_rat_date, datetime.date(2026, 4, 1))
        self.assertEqual(self.coop_b.last_rat_year, 2025)

    def test_sending_again_replaces_the_confirmation_that_still_waits(self):
        client = self.client_for(self.officer_b)
        client.post(self.url(), {"address": "Jl. Pertama 1", "phone": "0812 3456 7890"})
        page = client.get(self.url())
        # The form shows what was sent, and says it is being examined.
        self.assertContains(page, 'data-testid="confirmation-waiting"')
        self.assertContains(page, "Jl. Pertama 1")
        client.post(self.url(), {"address": "Jl. Kedua 2", "phone": "0812 3456 7890"})
        waiting = Evidence.objects.filter(
            item=self.item_b, status=EvidenceStatus.MENUNGGU
        )
        self.assertEqual(waiting.get().data["address"], "Jl. Kedua 2")
        replaced = Evidence.objects.get(item=self.item_b, data__address="Jl. Pertama 1")
        self.assertEqual(replaced.status, EvidenceStatus.DIGANTI)
        self.item_b.refresh_from_db()
        self.assertEqual(self.item_b.evidence_state, EvidenceState.MENUNGGU)
        # Staff examine the one left; accepting it leaves nothing waiting.
        staff = self.client_for(self.staff)
        item_page = staff.get(self.item_b.get_absolute_url())
        self.assertContains(item_page, "Alamat: Jl. Kedua 2")
        self.assertNotContains(item_page, "address:")
        self.assertContains(item_page, "Diganti konfirmasi berikutnya")
        # The replaced one, accepted from a page opened before, says so (it
        # said "sudah diperiksa", which nobody had).
        stale = staff.post(
            reverse("campaigns:review", args=[replaced.pk]),
            {"accept": "1"},
            follow=True,
        )
        self.assertContains(stale, "sudah diganti konfirmasi yang lebih baru")
        staff.post(
            reverse("campaigns:review", args=[waiting.get().pk]), {"accept": "1"}
        )
        self.coop_b.refresh_from_db()
        self.assertEqual(self.coop_b.address, "Jl. Kedua 2")
        self.assertNotContains(client.get(self.url()), "confirmation-waiting")

    def test_values_that_cannot_be_true_are_refused_by_their_field(self):
        client = self.client_for(self.officer_b)
        year = timezone.localdate().year
        cases = [
            ({"phone": "telp kantor"}, "phone", "Nomor telepon telp kantor tidak"),
            ({"rat_year": str(year + 1)}, "rat_year", "tidak boleh sesudah tahun ini"),
            (
                {"rat_date": f"{year - 1}-03-14", "rat_year": str(year)},
                "rat_year",
                "belum berakhir pada tanggal RAT",
            ),
            (
                # Or for a year alone, before the cooperative existed.
                {"rat_year": "1950"},
                "rat_year",
                "sebelum koperasi ini berbadan hukum",
            ),
            (
                {"rat_date": "1951-01-05", "rat_year": "1950"},
                "rat_date",
                "sebelum koperasi ini berbadan hukum",
            ),
            (
                # A hostile probe's 1950 for a meeting this year was taken.
                {"rat_date": f"{year}-03-01", "rat_year": "1950"},
                "rat_year",
                "terlalu jauh sebelum tanggal RAT",
            ),
            (
                {"rat_date": str(timezone.localdate() + timedelta(days=1))},
                "rat_date",
                "tidak boleh di masa depan",
            ),
        ]
        for data, field, message in cases:
            with self.subTest(field=field, data=data):
                response = client.post(self.url(), data)
                self.assertEqual(response.status_code, 200)
                errors = response.context["form"].errors[field]
                self.assertIn(message, " ".join(errors))
        self.assertFalse(Evidence.objects.exists())

    def test_every_problem_is_said_on_one_sending(self):
        # The one-time link's form showed them one at a time: three sendings,
        # the photo chosen again on each.
        self.coop_b.address = "Jl. Mulawarman 5"
        self.coop_b.save()
        token = confirmation_link_create(item=self.item_b)
        url = reverse("campaigns:confirm_link", args=[token])
        tomorrow = timezone.localdate() + timedelta(days=1)
        for client, page in (
            (self.anonymous, url),
            (self.client_for(self.officer_b), self.url()),
        ):
            with self.subTest(page=page):
                response = client.post(
                    page,
                    {
                        "email": "bukan-email",
                        "rat_date": str(tomorrow),
                        "address": " ",
                        "photo": jpeg_with_gps(),
                    },
                )
                errors = response.context["form"].errors
                # The photo is asked for again, once, with the rest.
                self.assertEqual(set(errors), {"email", "rat_date", "address", "photo"})
                self.assertIn("tidak boleh di masa depan", errors["rat_date"][0])
                self.assertIn("tidak boleh dikosongkan", errors["address"][0])
        self.assertFalse(Evidence.objects.exists())
        self.assertIsNotNone(confirmation_link_for_token(token))  # not used up

    def test_the_same_confirmation_sent_again_is_kept_once(self):
        # Four identical sends made four rows, three of them "Diganti".
        client = self.client_for(self.officer_b)
        data = {"address": "Jl. Pertama 1", "phone": "0812 3456 7890"}
        for _ in range(3):
            client.post(self.url(), data)
        self.assertEqual(Evidence.objects.filter(item=self.item_b).count(), 1)
        self.assertEqual(
            AuditEvent.objects.filter(action="submit", cooperative=self.coop_b).count(),
            1,
        )
        # Another officer sending the same is a confirmation of their own.
        other = self.client_for(self.staff)
        other.post(self.url(), data)
        self.assertEqual(
            Evidence.objects.filter(item=self.item_b, created_by=self.staff).count(), 1
        )
        client.post(self.url(), data)
        # Changed, it replaces the one waiting as before.
        client.post(self.url(), {**data, "address": "Jl. Kedua 2"})
        self.assertEqual(
            list(
                Evidence.objects.filter(item=self.item_b)
                .order_by("pk")
                .values_list("status", flat=True)
            ),
            [
                EvidenceStatus.DIGANTI,
                EvidenceStatus.DIGANTI,
                EvidenceStatus.DIGANTI,
                EvidenceStatus.MENUNGGU,
            ],
        )

    def test_staff_see_another_rat_date_the_registry_has_for_that_year(self):
        # An accepted RAT report said 1 March, the confirmation 20 March, for the
        # same tahun buku: nothing hinted at the conflict before accepting.
        self.coop_b.last_rat_date = datetime.date(2026, 3, 1)
        self.coop_b.last_rat_year = 2025
        self.coop_b.save()
        client = self.client_for(self.officer_b)
        client.post(self.url(), {"rat_date": "2026-03-20", "rat_year": "2025"})
        page = self.client_for(self.staff).get(self.item_b.get_absolute_url())
        self.assertContains(page, 'data-testid="rat-date-differs"')
        self.assertContains(page, "RAT tahun buku 2025 pada 1 Maret 2026")
        # The same day, or another year's RAT, is no conflict.
        # A registry date without its year recorded (as the ODS gives most) is
        # read as the year before it: 2025 as well.
        self.coop_b.last_rat_year = None
        self.coop_b.save()
        page = self.client_for(self.staff).get(self.item_b.get_absolute_url())
        self.assertContains(page, "RAT tahun buku 2025 pada 1 Maret 2026")
        Evidence.objects.update(rat_date=datetime.date(2026, 3, 1))
        page = self.client_for(self.staff).get(self.item_b.get_absolute_url())
        self.assertNotContains(page, 'data-testid="rat-date-differs"')

    def test_a_dissolved_cooperative_is_no_longer_asked_to_confirm(self):
        # Koperasi saya kept offering "Konfirmasi data", and the confirmation sent
        # waited for staff and held the campaign's closing.
        dissolve(self.coop_b, by=self.staff)
        client = self.client_for(self.officer_b)
        self.assertNotContains(client.get(reverse("home")), "campaign-confirmation")
        # Said at once, not after the form is filled in (a link's page too).
        page = client.get(self.url())
        self.assertContains(page, 'data-testid="confirm-dissolved"')
        self.assertNotContains(page, "Kirim konfirmasi")
        token = confirmation_link_create(item=self.item_b)
        page = self.anonymous.get(reverse("campaigns:confirm_link", args=[token]))
        self.assertContains(page, 'data-testid="confirm-dissolved"')
        response = client.post(self.url(), {"address": "Jl. Pertama 1"})
        self.assertContains(response, "sudah dibubarkan", status_code=200)
        self.assertFalse(Evidence.objects.filter(item=self.item_b).exists())
        # The service refuses it too, whatever page sent it.
        with self.assertRaisesMessage(ValidationError, "sudah dibubarkan"):
            confirmation_submit(
                acting_user=self.officer_b,
                item=self.item_b,
                fields={"address": "Jl. Pertama 1"},
                board="",
                rat_date=None,
                rat_year=None,
            )

    def test_a_confirmation_sent_before_a_dissolution_can_only_be_rejected(self):
        # Accepted, it counted the cooperative active (class B) beside
        # "Dibubarkan" and in the result's counts.
        self.client_for(self.officer_b).post(self.url(), {"address": "Jl. Lama 1"})
        evidence = Evidence.objects.get(item=self.item_b)
        dissolve(self.coop_b, by=self.staff)
        staff = self.client_for(self.staff)
        page = staff.get(self.item_b.get_absolute_url())
        self.assertContains(page, "Tolak")
        self.assertNotContains(page, 'name="accept" value="1"')
        review = reverse("campaigns:review", args=[evidence.pk])
        response = staff.post(review, {"accept": "1"}, follow=True)
        self.assertContains(response, "hanya dapat ditolak")
        evidence.refresh_from_db()
        self.assertEqual(evidence.status, EvidenceStatus.MENUNGGU)
        staff.post(review, {"accept": "0", "note": "Sudah dibubarkan"})
        evidence.refresh_from_db()
        self.assertEqual(evidence.status, EvidenceStatus.DITOLAK)

    def test_sending_again_without_files_keeps_those_sent_before(self):
        client = self.client_for(self.officer_b)
        client.post(
            self.url(),
            {
                "rat_date": "2026-03-10",
                "rat_year": "2025",
                "berita_acara": SimpleUploadedFile("ba.pdf", PDF),
                "photo": jpeg_with_gps(),
            },
        )
        first = Evidence.objects.get()
        client.post(
            self.url(),
            {"rat_date": "2026-03-10", "rat_year": "2025", "address": "Jl. Baru 3"},
        )
        latest = Evidence.objects.get(status=EvidenceStatus.MENUNGGU)
        self.assertNotEqual(latest.pk, first.pk)
        self.assertEqual(latest.document.name, first.document.name)
        self.assertEqual(
            [p.file.name for p in latest.photos.all()],
            [p.file.name for p in first.photos.all()],
        )
        with latest.document.open("rb") as handle:
            self.assertEqual(handle.read(), PDF)

    def test_the_form_gives_the_tahun_buku_of_a_rat_known_by_its_date(self):
        self.coop_b.last_rat_date = datetime.date(2025, 2, 5)
        self.coop_b.last_rat_year = None
        self.coop_b.save()
        form = self.client_for(self.officer_b).get(self.url()).context["form"]
        self.assertEqual(form["rat_year"].value(), 2024)

    def test_the_photo_is_resized_and_loses_its_location(self):
        self.client_for(self.officer_b).post(
            self.url(), {"address": "", "photo": jpeg_with_gps()}
        )
        photo = Evidence.objects.get(item=self.item_b).photos.get()
        with photo.file.open("rb") as handle, Image.open(handle) as image:
            self.assertLessEqual(max(image.size), 1600)
            self.assertEqual(len(image.getexif()), 0)

    def test_a_file_that_is_not_a_photo_is_refused_clearly(self):
        response = self.client_for(self.officer_b).post(
            self.url(), {"photo": SimpleUploadedFile("x.jpg", b"not an image")}
        )
        self.assertContains(response, "bukan foto yang dapat dibaca")
        self.assertFalse(Evidence.objects.exists())

    def test_each_file_is_refused_on_its_own_field(self):
        response = self.client_for(self.officer_b).post(
            self.url(),
            {
                "photo": SimpleUploadedFile("kantor.pdf", PDF),
                "berita_acara": SimpleUploadedFile("ba.pdf", b"MZ bukan dokumen"),
            },
        )
        errors = response.context["form"].errors
        self.assertIn("bukan foto yang dapat dibaca", " ".join(errors["photo"]))
        self.assertIn("Jenis berkas tidak diterima", " ".join(errors["berita_acara"]))
        self.assertNotIn("__all__", errors)
        # A good file beside a bad one is asked for again, saying why.
        response = self.client_for(self.officer_b).post(
            self.url(),
            {
                "photo": SimpleUploadedFile("kantor.pdf", PDF),
                "berita_acara": SimpleUploadedFile("ba.pdf", PDF),
            },
        )
        errors = response.context["form"].errors
        self.assertIn("Pilih berkasnya lagi", " ".join(errors["berita_acara"]))
        self.assertFalse(Evidence.objects.exists())

    def test_staff_reject_with_a_reason(self):
        self.client_for(self.officer_b).post(
            self.url(), {"rat_date": "2026-03-10", "rat_year": "2025"}
        )
        evidence = Evidence.objects.get()
        staff = self.client_for(self.staff)
        url = reverse("campaigns:review", args=[evidence.pk])
        response = staff.post(url, {"accept": "0"}, follow=True)
        self.assertContains(response, "Tulis alasan penolakan.")
        staff.post(url, {"accept": "0", "note": "Berita acara tidak ada"})
        evidence.refresh_from_db()
        self.assertEqual(evidence.status, EvidenceStatus.DITOLAK)
        # The trail had said "Dikembalikan untuk perbaikan" beside "Ditolak".
        rejected = AuditEvent.objects.filter(object_id=str(evidence.pk)).latest("pk")
        self.assertEqual(rejected.get_action_display(), "Ditolak")
        self.item_b.refresh_from_db()
        self.assertEqual(self.item_b.proposed_class, "C")

    def test_officers_reach_only_their_own_cooperatives_confirmation(self):
        self.assertEqual(
            self.client_for(self.officer_a).get(self.url()).status_code, 404
        )
        self.assertEqual(self.anonymous.get(self.url()).status_code, 302)
        self.assertEqual(self.client_for(self.staff).get(self.url()).status_code, 200)

    def test_review_is_staff_only_and_post_only(self):
        evidence = Evidence.objects.create(
            item=self.item_b, kind="konfirmasi", on=timezone.localdate()
        )
        url = reverse("campaigns:review", args=[evidence.pk])
        self.assertEqual(
            self.client_for(self.officer_b).post(url, {"accept": "1"}).status_code, 404
        )
        self.assertEqual(self.client_for(self.staff).get(url).status_code, 405)


class LinkTests(CampaignTestCase):
    def test_a_link_typed_from_paper_in_capitals_works_and_has_no_look_alikes(self):
        # Printed tokens mixed 0/O and 1/l, in both cases: typed from the
        # letter, one wrong letter and the page said the link was used.
        token = confirmation_link_create(item=self.item_b)
        assert set(token) <= set("abcdefghjkmnpqrstuvwxyz23456789"), token
        assert len(token) == 26
        url = reverse("campaigns:confirm_link", args=[token.upper()])
        self.assertContains(self.anonymous.get(url), "KSP Beta Mandiri")
        grouped = " ".join(token[i : i + 4] for i in range(0, len(token), 4))
        spaced = reverse("campaigns:confirm_link", args=[grouped])
        self.assertContains(self.anonymous.get(spaced), "KSP Beta Mandiri")
        self.anonymous.post(url, {"phone": "0542 123456"})
        assert Evidence.objects.get().data == {"phone": "0542 123456"}
        page = self.anonymous.get(reverse("campaigns:confirm_link", args=["x" + token]))
        self.assertContains(page, "periksa setiap hurufnya", status_code=410)

    def test_a_whole_address_typed_in_capitals_is_sent_on_in_lower_case(self):
        # With Caps Lock on, the whole address from the letter was "not found".
        token = confirmation_link_create(item=self.item_b)
        url = reverse("campaigns:confirm_link", args=[token])
        typed = url.upper().rstrip("/")
        page = self.anonymous.get(typed + "?a=B", follow=True)
        self.assertContains(page, "KSP Beta Mandiri")
        self.assertEqual(page.redirect_chain, [(url + "?a=B", 302)])
        # Only where the lower-case address exists, and only for reading.
        self.assertEqual(self.anonymous.get("/TIDAK-ADA/").status_code, 404)
        # An encoded "?", "#" or ".." is not decoded into the place sent to.
        for odd in (
            "/PEMUTAKHIRAN/KONFIRMASI/%3FX=1/",
            "/PEMUTAKHIRAN/KONFIRMASI/%23A/",
            "/PUBLIK/VERIFIKASI/SURAT/%2E%2E/",
        ):
            self.assertEqual(self.anonymous.get(odd).status_code, 404, odd)
        # A code typed in groups, in capitals: its spaces are kept, encoded.
        grouped = url.upper().replace(
            token.upper(), token[:4].upper() + " " + token[4:].upper()
        )
        response = self.anonymous.get(grouped)
        self.assertEqual(response.status_code, 302)
        self.assertIn("%20", response["Location"])
        self.assertEqual(self.anonymous.post(url.upper(), {}).status_code, 404)

    def test_the_link_form_starts_from_the_officers_confirmation_waiting(self):
        # It started from the registry's old RAT: a phone number corrected
        # through the letter replaced the officer's RAT of last year unseen.
        self.client_for(self.officer_b).post(
            reverse("campaigns:confirm", args=[self.item_b.pk]),
            {"rat_date": "2026-03-20", "rat_year": "2025"},
        )
        token = confirmation_link_create(item=self.item_b)
        page = self.anonymous.get(reverse("campaigns:confirm_link", args=[token]))
        self.assertContains(page, 'data-testid="confirmation-waiting"')
        self.assertContains(page, "dikirim pengurus koperasi ini")
        form = page.context["form"]
        self.assertEqual(form["rat_year"].value(), 2025)
        self.assertEqual(form["rat_date"].value(), datetime.date(2026, 3, 20))

    def test_a_number_pasted_from_whatsapp_is_kept_as_it_shows(self):
        token = confirmation_link_create(item=self.item_b)
        url = reverse("campaigns:confirm_link", args=[token])
        pasted = "\u202a+62 812\u20113456\u20117890\u202c"
        self.anonymous.post(url, {"phone": pasted})
        self.assertEqual(Evidence.objects.get().data, {"phone": "+62 812-3456-7890"})

    def test_a_link_works_once_without_an_account(self):
        token = confirmation_link_create(item=self.item_b)
        link = ConfirmationLink.objects.get()
        self.assertNotIn(token, link.token_hash)
        url = reverse("campaigns:confirm_link", args=[token])
        self.assertContains(self.anonymous.get(url), "KSP Beta Mandiri")
        response = self.anonymous.post(url, {"phone": "0542 123456"}, follow=True)
        self.assertContains(response, "Tautan ini tidak dapat dipakai lagi")
        # Reached by a redirect: a reload shows the same page and sends nothing.
        done, _ = response.redirect_chain[-1]
        self.assertContains(self.anonymous.get(done), "KSP Beta Mandiri")
        forged = reverse("campaigns:confirm_link_done") + "?tanda=x"
        self.assertEqual(self.anonymous.get(forged).status_code, 410)
        self.assertEqual(Evidence.objects.get().data, {"phone": "0542 123456"})
        # Opened again the same day (the back button, the letter's link once
        # more): the received page, saying when the link was used.
        reopened = self.anonymous.get(url, follow=True)
        self.assertContains(reopened, 'data-testid="used-at"')
        self.assertContains(reopened, "Tautan ini tidak dapat dipakai lagi")
        # Sent again (back, then send): the first sending's page, saying that
        # the first sending is the one kept, not "link not valid".
        again = self.anonymous.post(url, {"phone": "1"}, follow=True)
        self.assertContains(again, "Tautan ini tidak dapat dipakai lagi")
        self.assertContains(again, "yang disimpan adalah kiriman pertama")
        self.assertEqual(Evidence.objects.count(), 1)
        # A day later the link is only used up.
        ConfirmationLink.objects.update(used_at=timezone.now() - timedelta(days=2))
        self.assertEqual(self.anonymous.post(url, {"phone": "1"}).status_code, 410)
        self.assertEqual(self.anonymous.get(url).status_code, 410)
        self.assertEqual(Evidence.objects.count(), 1)

    def test_an_e_mail_longer_than_the_registry_keeps_is_refused_when_sent(self):
        # It was taken, then refused when staff accepted the confirmation.
        token = confirmation_link_create(item=self.item_b)
        url = reverse("campaigns:confirm_link", args=[token])
        email = "a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".id"
        self.assertGreater(len(email), 254)
        response = self.anonymous.post(url, {"email": email})
        self.assertContains(response, "paling banyak 254 karakter")
        self.assertEqual(Evidence.objects.count(), 0)

    def test_an_expired_link_is_refused(self):
        token = confirmation_link_create(item=self.item_b)
        ConfirmationLink.objects.update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
        self.assertIsNone(confirmation_link_for_token(token))
        url = reverse("campaigns:confirm_link", args=[token])
        self.assertContains(
            self.anonymous.get(url), "Tautan tidak berlaku", status_code=410
        )

    def test_a_new_link_replaces_the_old(self):
        old = confirmation_link_create(item=self.item_b)
        new = confirmation_link_create(item=self.item_b)
        self.assertIsNone(confirmation_link_for_token(old))
        self.assertIsNotNone(confirmation_link_for_token(new))

    def test_a_made_up_token_is_refused(self):
        url = reverse("campaigns:confirm_link", args=["bukan-token"])
        self.assertEqual(self.anonymous.get(url).status_code, 410)


class VisitTests(CampaignTestCase):
    def test_staff_pick_a_kelurahan_then_a_cooperative(self):
        client = self.client_for(self.staff)
        response = client.get(reverse("campaigns:visit_kelurahan", args=[2025]))
        self.assertContains(response, "Klandasan Ulu")
        kel = self.coop_a.kelurahan
        response = client.get(reverse("campaigns:visit_list", args=[2025, kel.pk]))
        self.assertContains(response, "Koperasi Alpha Sejahtera")
        self.assertNotContains(response, "KSP Beta Mandiri")

    def test_the_lurah_s_statement_is_checked_for_size_when_chosen(self):
        # The page drew its own file input, without the field's limit: 25 MB
        # went up in full before the server refused it.
        page = self.client_for(self.staff).get(
            reverse("campaigns:visit", args=[self.item_a.pk])
        )
        html = page.content.decode()
        statement = html.split('name="statement"')[1].split(">")[0]
        self.assertIn('data-max-mb="10"', statement)
        self.assertIn("data-too-large-text=", statement)
        self.assertContains(page, "Paling besar 10 MB.")

    def test_a_visit_counts_at_once(self):
        url = reverse("campaigns:visit", args=[self.item_a.pk])
        response = self.client_for(self.staff).post(
            url,
            {
                "on": "2026-02-01",
                "result": "tidak_ditemukan",
                "latitude": "-1.268100",
                "longitude": "116.828700",
                "photos": [jpeg_with_gps(), jpeg_with_gps((400, 300))],
                "statement": SimpleUploadedFile("lurah.pdf", PDF),
                "notes": "Papan nama saja",
                "client_key": "abc-1",
            },
            HTTP_ACCEPT="application/json",
        )
        self.assertEqual(response.json()["ok"], True)
        self.item_a.refresh_from_db()
        self.assertEqual(self.item_a.proposed_class, "E")
        evidence = Evidence.objects.get(item=self.item_a)
        self.assertEqual(evidence.photos.count(), 2)
        self.assertEqual(str(evidence.latitude), "-1.268100")

    def test_a_resend_of_the_same_visit_is_kept_once(self):
        url = reverse("campaigns:visit", args=[self.item_a.pk])
        data = {"on": "2026-02-01", "result": "ditemukan_aktif", "client_key": "k-9"}
        client = self.client_for(self.staff)
        client.post(url, data, HTTP_ACCEPT="application/json")
        client.post(url, data, HTTP_ACCEPT="application/json")
        self.assertEqual(Evidence.objects.count(), 1)

    def test_the_form_sent_twice_without_javascript_is_kept_once(self):
        # The page makes the resend key itself: four quick sends of the plain
        # form made four visits.
        url = reverse("campaigns:visit", args=[self.item_a.pk])
        client = self.client_for(self.staff)
        key = client.get(url).context["form"]["client_key"].value()
        assert len(key) == 32
        data = {"on": "2026-02-01", "result": "ditemukan_aktif", "client_key": key}
        client.post(url, data)
        client.post(url, data)
        self.assertEqual(Evidence.objects.count(), 1)
        # Sent again changed (after going back): said, not dropped under
        # "tercatat".
        changed = client.post(url, {**data, "result": "tidak_ditemukan"})
        self.assertContains(changed, "sudah tercatat")
        self.assertEqual(Evidence.objects.get().visit_result, "ditemukan_aktif")
        # The next visit's page is another one.
        self.assertNotEqual(client.get(url).context["form"]["client_key"].value(), key)

    def test_bad_input_gives_json_errors_in_indonesian(self):
        url = reverse("campaigns:visit", args=[self.item_a.pk])
        response = self.client_for(self.staff).post(
            url, {"on": "2099-01-01"}, HTTP_ACCEPT="application/json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn(
            "Tanggal kunjungan tidak boleh di masa depan.", response.json()["errors"]
        )
        response = self.client_for(self.staff).post(
            url,
            {"on": "1990-01-01", "result": "ditemukan_aktif"},
            HTTP_ACCEPT="application/json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn(
            "Kunjungan untuk pemutakhiran 2025 paling awal tanggal 1 Januari 2026.",
            response.json()["errors"],
        )
        self.assertFalse(Evidence.objects.exists())

    def test_without_the_script_each_refusal_is_said_by_its_field(self):
        # A plain form post (no JavaScript): the form came back with no word on
        # the coordinates or the statement, and the files were silently gone.
        url = reverse("campaigns:visit", args=[self.item_a.pk])
        response = self.client_for(self.staff).post(
            url,
            {
                "on": "2026-02-01",
                "result": "tidak_ditemukan",
                "latitude": "NaN",
                "statement": SimpleUploadedFile("lurah.pdf", b"<html>not a pdf"),
                "photos": [jpeg_with_gps()],
            },
        )
        self.assertEqual(response.status_code, 200)
        errors = response.content.decode().split('id="visit-errors"')[1]
        errors = errors.split("</div>")[0]
        self.assertIn("Jenis berkas tidak diterima", errors)
        self.assertIn("Masukkan", errors)  # the latitude: a number
        self.assertIn("Pilih berkasnya lagi", errors)  # the photo, fine but lost
        self.assertFalse(Evidence.objects.exists())

    def test_a_visit_shows_no_resend_key_as_a_correction(self):
        visit_record(
            acting_user=self.staff,
            item=self.item_b,
            on=datetime.date(2026, 2, 1),
            result="tidak_ditemukan",
            client_key="15ce9aed-63be-4b0c-9d4c-000000000001",
        )
        evidence = Evidence.objects.get()
        self.assertEqual(evidence.proposed, [])
        page = self.client_for(self.staff).get(self.item_b.get_absolute_url())
        self.assertNotContains(page, "client_key")
        self.assertNotContains(page, "15ce9aed")

    def test_a_visit_that_found_it_moved_keeps_where_to(self):
        # "Pindah alamat" had nowhere for the new address but the notes.
        url = reverse("campaigns:visit", args=[self.item_b.pk])
        staff = self.client_for(self.staff)
        self.assertContains(staff.get(url), 'name="new_address"')
        staff.post(
            url,
            {
                "on": "2026-02-01",
                "result": "pindah_alamat",
                "new_address": "  Jl.  Soekarno Hatta Km 5 ",
            },
        )
        evidence = Evidence.objects.get()
        self.assertEqual(evidence.data["new_address"], "Jl. Soekarno Hatta Km 5")
        page = staff.get(self.item_b.get_absolute_url())
        self.assertContains(page, "Alamat baru: Jl. Soekarno Hatta Km 5")
        self.assertContains(page, reverse("cooperatives:edit", args=[self.coop_b.pk]))
        # Only for a move: another result keeps no address.
        evidence.delete()
        staff.post(
            url,
            {"on": "2026-02-01", "result": "tidak_ditemukan", "new_address": "Jl. X"},
        )
        self.assertNotIn("new_address", Evidence.objects.get().data)

    def test_a_dissolved_cooperative_is_not_visited_for_the_campaign(self):
        # A visit made it class B beside "Dibubarkan", out of the campaign's
        # hands since the dissolution.
        dissolve(self.coop_b, by=self.staff)
        client = self.client_for(self.staff)
        kel = self.coop_b.kelurahan
        listed = client.get(reverse("campaigns:visit_list", args=[2025, kel.pk]))
        self.assertContains(listed, "Dibubarkan")
        url = reverse("campaigns:visit", args=[self.item_b.pk])
        page = client.get(url)
        self.assertContains(page, 'data-testid="visit-dissolved"')
        self.assertNotContains(page, 'id="visit-form"')
        data = {"on": "2026-02-01", "result": "ditemukan_aktif", "client_key": "d-1"}
        response = client.post(url, data, HTTP_ACCEPT="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("sudah dibubarkan", response.json()["errors"][0])
        self.assertFalse(Evidence.objects.exists())
        self.item_b.refresh_from_db()
        self.assertEqual(self.item_b.proposed_class, "C")

    def test_visits_are_staff_only(self):
        url = reverse("campaigns:visit", args=[self.item_a.pk])
        self.assertEqual(self.client_for(self.officer_a).get(url).status_code, 404)
        kel = reverse("campaigns:visit_kelurahan", args=[2025])
        self.assertEqual(self.client_for(self.officer_a).get(kel).status_code, 404)

    def test_an_active_visit_moves_c_to_b(self):
        visit_record(
            acting_user=self.staff,
            item=self.item_b,
            on=datetime.date(2026, 2, 1),
            result="ditemukan_aktif",
        )
        self.item_b.refresh_from_db()
        self.assertEqual(self.item_b.proposed_class, "B")

    def test_evidence_files_are_for_staff(self):
        visit_record(
            acting_user=self.staff,
            item=self.item_b,
            on=datetime.date(2026, 2, 1),
            result="tidak_ditemukan",
            photos=[jpeg_with_gps()],
        )
        evidence = Evidence.objects.get()
        url = reverse(
            "campaigns:evidence_file",
            args=[evidence.pk, "foto", evidence.photos.get().pk],
        )
        response = self.client_for(self.staff).get(url)
        self.assertEqual(b"".join(response.streaming_content)[:2], b"\xff\xd8")
        self.assertEqual(self.client_for(self.officer_b).get(url).status_code, 404)


class RatReportTests(CampaignTestCase):
    def test_an_accepted_rat_report_moves_the_item_to_a(self):
        from reports import services as rat
        from reports.tests.rat_testing import submitted_report

        report = submitted_report(self.staff, self.coop_b, year=2025)
        self.assertEqual(rat_reports_collect(), 0)  # not accepted yet
        rat.rat_report_accept(acting_user=self.staff, report=report)
        self.assertEqual(rat_reports_collect(), 1)
        self.assertEqual(rat_reports_collect(), 0)  # once each
        self.item_b.refresh_from_db()
        self.assertEqual(self.item_b.proposed_class, "A")
        self.assertEqual(self.item_b.evidence_state, EvidenceState.TERVERIFIKASI)
        # Evidence only: the status stays until staff decide.
        self.coop_b.refresh_from_db()
        self.assertEqual(self.coop_b.status, CooperativeStatus.AKTIF)

    def test_a_report_of_the_campaign_s_year_accepted_before_it_opened_counts(self):
        from reports import services as rat
        from reports.tests.rat_testing import submitted_report

        this_year = submitted_report(self.staff, self.coop_b, year=2025)
        rat.rat_report_accept(acting_user=self.staff, report=this_year)
        earlier = submitted_report(self.staff, self.coop_a, year=2024)
        rat.rat_report_accept(acting_user=self.staff, report=earlier)
        self.campaign.opened_at = timezone.now()  # opened after both
        self.campaign.save()
        self.assertEqual(rat_reports_collect(), 1)
        evidence = Evidence.objects.get()
        self.assertEqual(evidence.rat_report_id, this_year.pk)
        self.item_b.refresh_from_db()
        self.assertEqual(self.item_b.evidence_state, EvidenceState.TERVERIFIKASI)

    def test_accepting_a_report_on_its_page_moves_the_item_at_once(self):
        from reports.selectors import acceptance_effect
        from reports.tests.rat_testing import submitted_report

        report = submitted_report(self.staff, self.coop_b, year=2025)
        response = self.client_for(self.staff).post(
            reverse("reports:rat_accept", args=[report.pk]),
            {"note": "", "seen": acceptance_effect(report).digest},
        )
        self.assertRedirects(
            response, report.get_absolute_url(), fetch_redirect_response=False
        )
        # No refresh ran: the acceptance itself is the evidence.
        self.item_b.refresh_from_db()
        self.assertEqual(self.item_b.proposed_class, "A")
        self.assertEqual(rat_reports_collect(), 0)
        # Written by who accepted it: the row had read "sistem" beside the
        # accepting staff member's address.
        row = AuditEvent.objects.get(
            content_type__model="evidence", object_id=str(Evidence.objects.get().pk)
        )
        self.assertEqual(row.actor, self.staff)
        self.assertEqual(row.message, "Laporan RAT tahun buku 2025 diterima.")

    def test_a_report_collected_by_the_refresh_is_written_by_the_system(self):
        from reports import services as rat
        from reports.tests.rat_testing import submitted_report

        report = submitted_report(self.staff, self.coop_b, year=2025)
        rat.rat_report_accept(acting_user=self.staff, report=report)
        self.assertEqual(rat_reports_collect(), 1)
        row = AuditEvent.objects.get(content_type__model="evidence")
        self.assertIsNone(row.actor)
        self.assertIsNone(row.client_ip)

    def test_closing_counts_reports_accepted_since_the_last_refresh(self):
        from campaigns.services import campaign_close
        from reports import services as rat
        from reports.tests.rat_testing import submitted_report

        report = submitted_report(self.staff, self.coop_b, year=2025)
        rat.rat_report_accept(acting_user=self.staff, report=report)
        campaign_close(acting_user=self.staff, campaign=self.campaign)
        self.item_b.refresh_from_db()
        self.assertEqual(self.item_b.proposed_class, "A")
        self.campaign.refresh_from_db()
        self.assertEqual(
            Evidence.objects.filter(item=self.item_b, rat_report_id=report.pk).count(),
            1,
        )


class RunningOnlyTests(CampaignTestCase):
    def test_a_closed_campaign_takes_no_evidence(self):
        from campaigns.services import campaign_close

        campaign_close(acting_user=self.staff, campaign=self.campaign)
        with self.assertRaises(ValidationError):
            visit_record(
                acting_user=self.staff,
                item=self.item_b,
                on=datetime.date(2026, 2, 1),
                result="tidak_ditemukan",
            )


class PanelTests(CampaignTestCase):
    def test_koperasi_saya_offers_the_confirmation(self):
        response = self.client_for(self.officer_b).get(reverse("home"))
        self.assertContains(response, "Konfirmasi data 2025")
        self.assertContains(
            response, reverse("campaigns:confirm", args=[self.item_b.pk])
        )
        self.assertNotContains(
            response, reverse("campaigns:confirm", args=[self.item_a.pk])
        )

    def test_the_cooperative_page_shows_the_campaign(self):
        visit_record(
            acting_user=self.staff,
            item=self.item_b,
            on=datetime.date(2026, 2, 1),
            result="tidak_ditemukan",
        )
        response = self.client_for(self.staff).get(self.coop_b.get_absolute_url())
        self.assertContains(response, "Pemutakhiran 2025")
        self.assertContains(response, "Tidak ditemukan")
        # Before "Ubah status", staff read what a dissolution does to the
        # campaign (they found out only afterwards, on the item's page).
        self.assertContains(response, "Bila koperasi ini dibubarkan, pemutakhiran")
        response = self.client_for(self.officer_b).get(self.coop_b.get_absolute_url())
        self.assertNotContains(response, "Buka di pemutakhiran")
        self.assertNotContains(response, "campaign-dissolution-note")
        dissolve(self.coop_b, by=self.staff)
        response = self.client_for(self.staff).get(self.coop_b.get_absolute_url())
        self.assertContains(response, "Dibubarkan sejak pemutakhiran dibuka")


class DashboardPanelTests(CampaignTestCase):
    def test_the_staff_dashboard_shows_the_running_campaign(self):
        response = self.client_for(self.staff).get(reverse("home"))
        self.assertContains(response, "Pemutakhiran 2025")
        self.assertContains(response, "0 dari 2 koperasi terverifikasi")


class ConfirmationBesideRatReportTests(CampaignTestCase):
    def test_a_rat_report_under_review_is_said_and_its_meeting_shown(self):
        # Just after sending RAT 2025, the form still offered the registry's
        # older RAT and asked for the berita acara again.
        from reports.services import rat_report_accept
        from reports.tests.rat_testing import submitted_report

        report = submitted_report(self.officer_b, self.coop_b, year=2025)
        url = reverse("campaigns:confirm", args=[self.item_b.pk])
        page = self.client_for(self.officer_b).get(url)
        self.assertContains(page, 'data-testid="confirm-rat-report"')
        self.assertContains(page, "Laporan RAT tahun buku 2025 (RAT 14 Maret 2026)")
        form = page.context["form"]
        self.assertEqual(form["rat_date"].value(), report.meeting_date)
        self.assertEqual(form["rat_year"].value(), 2025)
        # Once accepted it is the evidence, and the page no longer says it waits.
        rat_report_accept(acting_user=self.staff, report=report)
        page = self.client_for(self.officer_b).get(url)
        self.assertNotContains(page, 'data-testid="confirm-rat-report"')

    def test_the_report_s_meeting_is_offered_over_a_waiting_confirmation_s(self):
        # The page said the report's RAT (14 March) needed no confirming, while
        # the field offered the waiting confirmation's 20 March beside it.
        from campaigns.services import confirmation_submit
        from reports.tests.rat_testing import submitted_report

        confirmation_submit(
            acting_user=self.officer_b,
            item=self.item_b,
            fields={},
            board="",
            rat_date=datetime.date(2026, 3, 20),
            rat_year=2025,
        )
        report = submitted_report(self.officer_b, self.coop_b, year=2025)
        url = reverse("campaigns:confirm", args=[self.item_b.pk])
        page = self.client_for(self.officer_b).get(url)
        self.assertContains(page, 'data-testid="confirmation-waiting"')
        self.assertEqual(page.context["form"]["rat_date"].value(), report.meeting_date)

    def test_without_a_report_the_registry_s_rat_is_offered(self):
        url = reverse("campaigns:confirm", args=[self.item_a.pk])
        page = self.client_for(self.officer_a).get(url)
        self.assertNotContains(page, 'data-testid="confirm-rat-report"')
        self.assertEqual(page.context["form"]["rat_year"].value(), 2025)


class ConfirmationWithoutRatTests(CampaignTestCase):
    def test_a_confirmation_of_contacts_alone_does_not_make_it_active(self):
        from campaigns.services import confirmation_submit, evidence_review

        visit_record(
            acting_user=self.staff,
            item=self.item_b,
            on=datetime.date(2026, 1, 5),
            result="tidak_ditemukan",
        )
        evidence = confirmation_submit(
            acting_user=self.officer_b,
            item=self.item_b,
            fields={"phone": "0542 1"},
            board="",
            rat_date=None,
            rat_year=None,
        )
        evidence_review(acting_user=self.staff, evidence=evidence, accept=True)
        self.item_b.refresh_from_db()
        self.assertEqual(self.item_b.proposed_class, "E")  # the visit still holds
        self.assertEqual(self.item_b.evidence_state, EvidenceState.TERVERIFIKASI)


class ConfirmationLimitsTests(CampaignTestCase):
    """What a confirmation may not do: erase the office's address, bring a RAT
    the registry does not know without its date, or prove a tahun buku's RAT
    (class A) without its berita acara."""

    def url(self):
        return reverse("campaigns:confirm", args=[self.item_b.pk])

    def accept_latest(self):
        evidence = Evidence.objects.get(status=EvidenceStatus.MENUNGGU)
        self.client_for(self.staff).post(
            reverse("campaigns:review", args=[evidence.pk]), {"accept": "1"}
        )
        self.item_b.refresh_from_db()
        self.coop_b.refresh_from_db()

    def test_the_address_cannot_be_erased(self):
        self.coop_b.address = "Jl. Mulawarman 5"
        self.coop_b.save()
        for erased in ("", "-"):
            response = self.client_for(self.officer_b).post(
                self.url(), {"address": erased, "phone": "0812 3456 7890"}
            )
            self.assertEqual(response.status_code, 200)
            self.assertIn(
                "Alamat kantor tidak boleh dikosongkan",
                " ".join(response.context["form"].errors["address"]),
            )
        self.assertFalse(Evidence.objects.exists())

    def test_a_rat_is_held_after_its_tahun_buku_ends(self):
        response = self.client_for(self.officer_b).post(
            self.url(),
            {"rat_date": "2025-01-05", "rat_year": "2025", "berita_acara": ""},
        )
        self.assertIn(
            "belum berakhir pada tanggal RAT",
            " ".join(response.context["form"].errors["rat_year"]),
        )
        self.assertFalse(Evidence.objects.exists())

    def test_a_cleared_contact_is_shown_to_staff_as_cleared(self):
        self.coop_b.email = "lama@example.org"
        self.coop_b.save()
        self.client_for(self.officer_b).post(self.url(), {"email": ""})
        evidence = Evidence.objects.get()
        self.assertEqual(evidence.proposed, [("E-mail", "(dikosongkan)")])
        page = self.client_for(self.staff).get(self.item_b.get_absolute_url())
        self.assertContains(page, "E-mail: (dikosongkan)")

    def test_a_new_rat_needs_its_date(self):
        response = self.client_for(self.officer_b).post(
            self.url(), {"rat_year": "2025"}
        )
        self.assertIn(
            "Isi tanggal RAT tahun buku 2025",
            " ".join(response.context["form"].errors["rat_date"]),
        )
        self.assertFalse(Evidence.objects.exists())

    def test_the_rat_the_registry_knows_may_be_confirmed_by_its_year(self):
        self.coop_b.last_rat_year = 2024
        self.coop_b.save()
        self.client_for(self.officer_b).post(self.url(), {"rat_year": "2024"})
        self.accept_latest()
        self.assertEqual(self.item_b.proposed_class, "B")

    def test_a_confirmed_rat_older_than_the_window_proves_nothing(self):
        # The letter's link form offered the registry's RAT of 2017; sent with
        # a new phone number and accepted, it made a class C cooperative "B ·
        # aktif: RAT dalam jangka waktu" in the campaign of tahun buku 2025.
        self.coop_b.last_rat_date = datetime.date(2018, 2, 3)
        self.coop_b.last_rat_year = 2017
        self.coop_b.save()
        before = self.item_b.proposed_class
        self.assertEqual(before, "C")
        self.client_for(self.officer_b).post(
            self.url(),
            {"phone": "0812 3456 7890", "rat_date": "2018-02-03", "rat_year": "2017"},
        )
        page = self.client_for(self.staff).get(self.item_b.get_absolute_url())
        self.assertContains(page, 'data-testid="rat-outside-window"')
        self.assertContains(page, "tahun buku 2023–2025")
        self.assertNotContains(page, 'data-testid="no-berita-acara"')
        self.accept_latest()
        self.assertEqual(self.item_b.proposed_class, "C")
        self.assertEqual(self.coop_b.phone, "0812 3456 7890")  # contacts still apply
        # A RAT at the window's first year still shows activity.
        self.client_for(self.officer_b).post(
            self.url(), {"rat_date": "2024-03-03", "rat_year": "2023"}
        )
        self.accept_latest()
        self.assertEqual(self.item_b.proposed_class, "B")

    def test_without_berita_acara_a_confirmed_rat_gives_b_not_a(self):
        self.client_for(self.officer_b).post(
            self.url(), {"rat_date": "2026-03-10", "rat_year": "2025"}
        )
        page = self.client_for(self.staff).get(self.item_b.get_absolute_url())
        self.assertContains(page, 'data-testid="no-berita-acara"')
        last_rat = (self.coop_b.last_rat_date, self.coop_b.last_rat_year)
        self.accept_latest()
        self.assertEqual(self.item_b.proposed_class, "B")
        # The officer's word counts as activity, but the registry (and the public
        # page, which said "RAT terakhir: 10 Maret 2026, tahun buku 2025") does
        # not state a meeting nothing proves.
        self.coop_b.refresh_from_db()
        self.assertEqual(
            (self.coop_b.last_rat_date, self.coop_b.last_rat_year), last_rat
        )
        page = self.client_for(self.staff).get(self.item_b.get_absolute_url())
        self.assertContains(page, "tidak dicatat sebagai RAT terakhir di registri")

    def test_staff_are_told_the_board_is_changed_by_hand(self):
        self.client_for(self.officer_b).post(
            self.url(), {"board": "Budi Santoso — Ketua"}
        )
        page = self.client_for(self.staff).get(self.item_b.get_absolute_url())
        self.assertContains(page, 'data-testid="board-by-hand"')
        self.assertContains(page, f"{self.coop_b.get_absolute_url()}#pengurus")


class OfficerPanelTests(CampaignTestCase):
    """Koperasi saya says what became of the officers' latest confirmation."""

    def send(self):
        self.client_for(self.officer_b).post(
            reverse("campaigns:confirm", args=[self.item_b.pk]),
            {"address": "Jl. Mulawarman 5", "phone": "0812 3456 7890"},
        )
        return Evidence.objects.get(status=EvidenceStatus.MENUNGGU)

    def home(self):
        return self.client_for(self.officer_b).get(reverse("home"))

    def decide(self, status, reason):
        """Staff decide coop B's status in the campaign."""
        self.client_for(self.staff).post(
            reverse("campaigns:item_decide", args=[self.item_b.pk]),
            {"new_status": status, "reason": reason},
        )

    def test_waiting_then_accepted(self):
        evidence = self.send()
        # Said as what it is: nothing to do now (the panel still asked them to
        # confirm, with the same big button, beside a small badge).
        page = self.home()
        self.assertContains(page, 'data-testid="confirmation-waiting-panel"')
        self.assertContains(page, "Tidak ada yang perlu dilakukan sekarang")
        self.assertNotContains(page, "Dinas sedang memutakhirkan data")
        self.assertContains(page, "Ubah konfirmasi yang dikirim")
        self.client_for(self.staff).post(
            reverse("campaigns:review", args=[evidence.pk]), {"accept": "1"}
        )
        page = self.home()
        self.assertContains(page, 'data-testid="confirmation-accepted"')
        self.assertContains(page, "Kirim koreksi lagi")
        self.assertNotContains(page, "sedang diperiksa")

    def test_a_cooperative_proven_active_is_not_asked_to_confirm(self):
        # Its RAT report accepted (class A, verified), Koperasi saya still said
        # "Dinas sedang memutakhirkan data…" with "Konfirmasi data 2025".
        from reports import services as rat
        from reports.tests.rat_testing import submitted_report

        report = submitted_report(self.officer_b, self.coop_b, year=2025)
        rat.rat_report_accept(acting_user=self.staff, report=report)
        rat_reports_collect()
        page = self.home()
        self.assertContains(page, 'data-testid="campaign-verified"')
        self.assertContains(page, "Kirim koreksi")
        self.assertNotContains(page, "Dinas sedang memutakhirkan data")

    def test_rejected_with_the_reason(self):
        evidence = self.send()
        self.client_for(self.staff).post(
            reverse("campaigns:review", args=[evidence.pk]),
            {"accept": "0", "note": "Alamat tidak cocok dengan akta"},
        )
        page = self.home()
        self.assertContains(page, 'data-testid="confirmation-rejected"')
        self.assertContains(page, "Alamat tidak cocok dengan akta")
        # Staff then decide the cooperative is active: the officers are no
        # longer told to fix and send again.
        self.decide("aktif", "Dikunjungi, berkegiatan")
        page = self.home()
        self.assertContains(page, 'data-testid="campaign-decided-active"')
        self.assertNotContains(page, "Perbaiki lalu kirim lagi")

    def test_decided_inactive_is_told_so_and_how_to_answer(self):
        # Decided Tidak Aktif, Koperasi saya had said "Dinas sedang memutakhirkan
        # data…" as if nothing had been decided.
        self.decide("tidak_aktif", "Tidak ditemukan di alamat")
        page = self.home()
        self.assertContains(page, 'data-testid="campaign-decided-inactive"')
        self.assertContains(page, "Dinas memutuskan status koperasi Anda: Tidak Aktif")
        self.assertContains(page, "Tidak ditemukan di alamat")
        self.assertContains(page, "berita acara RAT terakhir")
        self.assertNotContains(page, "Dinas sedang memutakhirkan data")
        # The officers answer; the page says it is being examined, then, rejected
        # after the decision, why.
        evidence = self.send()
        self.assertContains(self.home(), "Konfirmasi Anda sedang diperiksa")
        self.client_for(self.staff).post(
            reverse("campaigns:review", args=[evidence.pk]),
            {"accept": "0", "note": "Berita acara tidak terbaca"},
        )
        page = self.home()
        self.assertContains(page, 'data-testid="campaign-decided-inactive"')
        self.assertContains(page, "Berita acara tidak terbaca")
        # Sent again and accepted: nothing more is asked while staff review
        # the decision.
        evidence = self.send()
        self.client_for(self.staff).post(
            reverse("campaigns:review", args=[evidence.pk]), {"accept": "1"}
        )
        page = self.home()
        self.assertContains(page, 'data-testid="accepted-after-decision"')
        self.assertNotContains(page, "berita acara RAT terakhir")
        # A confirmation without a RAT leaves the class where the decision was.
        item_page = self.client_for(self.staff).get(self.item_b.get_absolute_url())
        self.assertNotContains(item_page, 'data-testid="decision-outdated"')

    def test_a_report_sent_and_under_review_is_named_as_the_proof_to_come(self):
        # Koperasi saya still asked for the berita acara the report carries.
        from reports.tests.rat_testing import submitted_report

        submitted_report(self.officer_b, self.coop_b, year=2025)
        home = self.home()
        self.assertContains(home, 'data-testid="panel-rat-report"')
        # Under it, a correction to send, not the big "Konfirmasi data 2025"
        # that read as a contradiction of "tidak perlu dikirim lagi".
        self.assertContains(home, 'data-testid="correction-only"')
        self.assertNotContains(home, 'class="btn btn-primary" href="/pemutakhiran/')

    def test_staff_see_a_class_that_moved_away_from_their_decision(self):
        # "Usulan A · Terverifikasi" stood beside "Keputusan: Tidak Aktif".
        from reports import services as rat
        from reports.tests.rat_testing import submitted_report

        staff = self.client_for(self.staff)
        # Decided against the class on purpose, nothing new since: no flag.
        self.decide("aktif", "Dikunjungi, berkegiatan")
        item_page = staff.get(self.item_b.get_absolute_url())
        self.assertNotContains(item_page, 'data-testid="decision-outdated"')
        self.decide("tidak_aktif", "Tidak ditemukan di alamat")
        report = submitted_report(self.officer_b, self.coop_b, year=2025)
        rat.rat_report_accept(acting_user=self.staff, report=report)
        rat_reports_collect()
        item_page = self.client_for(self.staff).get(self.item_b.get_absolute_url())
        self.assertContains(item_page, 'data-testid="decision-outdated"')


class ReviewNoticeTests(CampaignTestCase):
    """The officers hear what became of their confirmation, on the channel each
    prefers, through the notification service (a record per message)."""

    def send_and_review(self, decision):
        from campaigns.services import confirmation_link_create

        token = confirmation_link_create(item=self.item_b)
        self.anonymous.post(
            reverse("campaigns:confirm_link", args=[token]),
            {"address": "Jl. Mulawarman 5"},
        )
        evidence = Evidence.objects.get(status=EvidenceStatus.MENUNGGU)
        with self.captureOnCommitCallbacks(execute=True):
            self.client_for(self.staff).post(
                reverse("campaigns:review", args=[evidence.pk]), decision
            )

    def test_an_accepted_confirmation_is_announced_by_e_mail(self):
        from django.core import mail

        Officer.objects.filter(cooperative=self.coop_b).update(
            email="ketua-b@uji.invalid"
        )
        self.send_and_review({"accept": "1", "note": "Alamat diperbarui."})
        [message] = [m for m in mail.outbox if "ketua-b@uji.invalid" in m.to]
        self.assertIn("Konfirmasi data 2025 diterima", message.subject)
        self.assertIn("telah DITERIMA oleh Dinas", message.body)
        # The note of an acceptance is said too (it was left out).
        self.assertIn("Catatan Dinas:\nAlamat diperbarui.", message.body)
        notice = Notification.objects.get(recipient="ketua-b@uji.invalid")
        self.assertEqual(notice.status, "sent")

    def test_a_rejection_reaches_whatsapp_with_the_note(self):
        from notifications.tests.fake_whatsapp import FakeCloudAPI

        Officer.objects.filter(cooperative=self.coop_b).update(
            phone="0813 5000 7777", notify_by="whatsapp", email=""
        )
        api = FakeCloudAPI().start()
        self.addCleanup(api.stop)
        with self.settings(**api.settings()):
            self.send_and_review({"accept": "0", "note": "Alamat tidak cocok"})
        [(to, template, params)] = api.sent()
        self.assertEqual((to, template), ("6281350007777", "confirmation_reviewed"))
        self.assertEqual(params[2:4], ["DITOLAK", "Alamat tidak cocok"])

    def test_without_the_api_staff_send_it_from_the_item_page(self):
        Officer.objects.filter(cooperative=self.coop_b).update(
            phone="0813 5000 7777", notify_by="whatsapp", email=""
        )
        with self.settings(WHATSAPP_TOKEN=""):
            self.send_and_review(
                {"accept": "1", "note": "Nomor telepon dan e-mail diperbarui."}
            )
        notice = Notification.objects.get(channel="whatsapp")
        self.assertEqual(notice.status, "manual")
        # The note on a line of its own: it read "diperbarui.. Rincian".
        self.assertIn(
            "Catatan Dinas: Nomor telepon dan e-mail diperbarui.\nRincian: ",
            notice.body,
        )
        page = self.client_for(self.staff).get(self.item_b.get_absolute_url())
        self.assertContains(page, f'data-testid="whatsapp-{notice.pk}"')
        self.assertContains(page, "https://wa.me/6281350007777?text=")
