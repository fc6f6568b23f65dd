"""Officer invitations: one-time links that expire, several officers, new boards."""

import re
from datetime import timedelta

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from audit.models import AuditAction, AuditEvent
from cooperatives import services
from cooperatives.models import Officer, OfficerInvitation, Position
from tests.personas import PersonaTestCase

PASSWORD = "Sandi-Koperasi-2026"


class InvitationTests(PersonaTestCase):
    def setUp(self):
        self.bendahara = Officer.objects.create(
            cooperative=self.coop_a,
            name="Siti Aminah",
            position=Position.BENDAHARA,
            email="siti@uji.invalid",
        )

    def invite(self, officer=None):
        staff = self.client_for(self.staff)
        url = reverse(
            "cooperatives:officer_invite", args=[(officer or self.bendahara).pk]
        )
        with self.captureOnCommitCallbacks(execute=True):
            response = staff.post(url, follow=True)
        return response

    def link(self):
        match = re.search(r"http://\S+/undangan/(\S+)/", mail.outbox[-1].body)
        assert match, mail.outbox[-1].body
        return reverse("cooperatives:invitation_accept", args=[match.group(1)])

    def accept(self, link, username="siti"):
        return self.anonymous.post(
            link,
            {"username": username, "password1": PASSWORD, "password2": PASSWORD},
        )

    def test_staff_invite_and_the_officer_sets_a_password_and_lands_on_the_portal(self):
        page = self.client_for(self.staff).get(self.coop_a.get_absolute_url())
        self.assertContains(page, "Kirim undangan akun")
        response = self.invite()
        self.assertContains(response, "Undangan dikirim ke siti@uji.invalid")
        # Until when, on the office's clock, named (it read "23:28" alone).
        self.assertRegex(
            response.content.decode(),
            r"berlaku sampai [0-9]+ \w+ [0-9]{4} [0-9:]+ WITA",
        )
        message = mail.outbox[-1]
        self.assertEqual(message.to, ["siti@uji.invalid"])
        self.assertIn("Undangan akun pengurus", message.subject)
        link = self.link()
        form = self.anonymous.get(link)
        self.assertContains(form, "Siti Aminah")
        client = self.anonymous
        response = client.post(
            link, {"username": "siti", "password1": PASSWORD, "password2": PASSWORD}
        )
        self.assertRedirects(response, reverse("home"))
        home = client.get(reverse("home"))
        self.assertContains(home, "Koperasi saya")
        self.assertContains(home, self.coop_a.name)
        user = User.objects.get(username="siti")
        self.assertEqual(user.role, Role.OFFICER)
        self.bendahara.refresh_from_db()
        self.assertEqual(self.bendahara.user, user)
        self.assertTrue(
            AuditEvent.objects.filter(
                action=AuditAction.INVITE, cooperative=self.coop_a
            ).exists()
        )
        # Several officers of one cooperative each have their own login.
        self.assertEqual(
            Officer.objects.filter(cooperative=self.coop_a, user__isnull=False).count(),
            2,
        )

    def test_someone_logged_in_is_asked_to_log_out_first(self):
        # An officer of another cooperative opened the link on a shared
        # computer: sending the form swapped their session for the new account.
        self.invite()
        link = self.link()
        other = self.client_for(self.officer_b)
        page = other.get(link)
        self.assertContains(page, 'data-testid="someone-logged-in"')
        self.assertNotContains(page, 'name="password1"')
        data = {"username": "siti", "password1": PASSWORD, "password2": PASSWORD}
        self.assertContains(other.post(link, data), "keluar dulu")
        self.assertFalse(User.objects.filter(username="siti").exists())
        self.assertEqual(other.get(reverse("home")).context["user"], self.officer_b)
        # Logged out, the same link still works.
        other.post(reverse("logout"))
        self.assertContains(other.get(link), 'name="password1"')

    def test_a_whatsapp_only_invitation_names_no_empty_address(self):
        self.bendahara.email, self.bendahara.phone = "", "0812 3456 7890"
        self.bendahara.notify_by = "whatsapp"
        self.bendahara.save()
        staff = self.client_for(self.staff)
        url = reverse("cooperatives:officer_invite", args=[self.bendahara.pk])
        with self.captureOnCommitCallbacks(execute=True):
            page = staff.post(url, follow=True)
        link = re.search(r"/koperasi/undangan/[^/\s\"]+/", page.content.decode())
        assert link, "the staff member is handed the link"
        self.assertNotContains(self.anonymous.get(link.group(0)), "Akun memakai e-mail")

    def test_the_link_works_once(self):
        self.invite()
        link = self.link()
        officer = self.anonymous
        data = {"username": "siti", "password1": PASSWORD, "password2": PASSWORD}
        officer.post(link, data)
        # Sent again from the same browser (a double tap, back and send): its
        # account, not "tidak berlaku" beside an account just made.
        again = officer.post(link, {**data, "username": "siti2"})
        self.assertRedirects(again, reverse("home"), fetch_redirect_response=False)
        self.assertFalse(User.objects.filter(username="siti2").exists())
        # Another browser is told the account exists and to log in.
        other = Client()
        self.assertContains(other.get(link), 'data-testid="invitation-used"')
        sent = other.post(
            link,
            {"username": "siti3", "password1": PASSWORD, "password2": PASSWORD},
        )
        self.assertContains(sent, "Akun sudah dibuat")
        self.assertFalse(User.objects.filter(username="siti3").exists())
        # A day on, the link is simply used up.
        OfficerInvitation.objects.update(
            accepted_at=timezone.now() - timedelta(days=1, minutes=1)
        )
        self.assertEqual(other.get(link).status_code, 410)

    def test_an_expired_or_replaced_link_stops_working(self):
        self.invite()
        first = self.link()
        # Sent again on purpose, a minute on (at once it is a double click).
        OfficerInvitation.objects.update(
            created_at=timezone.now() - timedelta(minutes=1)
        )
        self.invite()
        second = self.link()
        self.assertEqual(self.anonymous.get(first).status_code, 410)
        self.assertEqual(self.anonymous.get(second).status_code, 200)
        OfficerInvitation.objects.update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
        response = self.anonymous.get(second)
        self.assertContains(response, "Undangan tidak berlaku", status_code=410)

    def test_the_cooperative_page_says_what_became_of_the_last_invitation(self):
        page = self.client_for(self.staff).get(self.coop_a.get_absolute_url())
        self.assertNotContains(page, f'data-testid="invitation-{self.bendahara.pk}"')
        self.invite()
        page = self.client_for(self.staff).get(self.coop_a.get_absolute_url())
        self.assertContains(page, "Kirim ulang undangan")
        self.assertContains(page, "Undangan dikirim")
        self.assertContains(page, "ke siti@uji.invalid; berlaku sampai")
        OfficerInvitation.objects.update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
        page = self.client_for(self.staff).get(self.coop_a.get_absolute_url())
        self.assertContains(page, "Undangan ke siti@uji.invalid tidak berlaku lagi")
        # Once the officer has an account, nothing is said any more.
        self.invite()
        self.accept(self.link())
        page = self.client_for(self.staff).get(self.coop_a.get_absolute_url())
        self.assertNotContains(page, f'data-testid="invitation-{self.bendahara.pk}"')

    def test_an_invitation_sent_twice_at_once_is_sent_once(self):
        # A double click sent two e-mails, the first with a link already dead.
        self.invite()
        second = self.invite()
        self.assertContains(second, "Undangan dikirim ke siti@uji.invalid")
        self.assertEqual(OfficerInvitation.objects.count(), 1)
        self.assertEqual(len(mail.outbox), 1)
        # Asked for again later: a new one, and the earlier link stops working.
        first_link = self.link()
        OfficerInvitation.objects.update(
            created_at=timezone.now() - timedelta(seconds=30)
        )
        self.invite()
        self.assertEqual(OfficerInvitation.objects.count(), 2)
        self.assertEqual(len(mail.outbox), 2)
        self.assertEqual(self.anonymous.get(first_link).status_code, 410)
        self.assertEqual(self.accept(self.link()).status_code, 302)

    def test_an_officer_with_only_a_landline_is_not_offered_an_invitation(self):
        Officer.objects.filter(pk=self.bendahara.pk).update(
            email="", phone="(0542) 733 100"
        )
        page = self.client_for(self.staff).get(self.coop_a.get_absolute_url())
        self.assertNotContains(page, f'data-testid="invite-{self.bendahara.pk}"')
        self.assertContains(page, f'data-testid="not-invitable-{self.bendahara.pk}"')
        self.assertContains(page, "(0542) 733 100 bukan nomor HP")
        # Sent anyway (a page opened before the number changed): the same words,
        # not "isi dulu nomor HP" beside a number that is filled in.
        response = self.client_for(self.staff).post(
            reverse("cooperatives:officer_invite", args=[self.bendahara.pk]),
            follow=True,
        )
        self.assertContains(response, "(0542) 733 100 bukan nomor HP: isi nomor HP")
        self.assertFalse(self.bendahara.invitations.exists())
        Officer.objects.filter(pk=self.bendahara.pk).update(phone="0812 3456 7890")
        page = self.client_for(self.staff).get(self.coop_a.get_absolute_url())
        self.assertContains(page, f'data-testid="invite-{self.bendahara.pk}"')
        # She prefers e-mail but has none: the page says where messages really go.
        self.assertEqual(self.bendahara.notify_by, "email")
        row = re.search(
            r"<tr[^>]*>\s*<td>Siti Aminah.*?</tr>", page.content.decode(), re.S
        )
        assert row, "no row for Siti Aminah"
        self.assertIn("Pemberitahuan lewat WhatsApp", row.group(0))
        # ... beside her choice, which the audit trail shows.
        self.assertIn("(pilihannya E-mail, tetapi kontaknya belum ada)", row.group(0))

    def test_a_deactivated_officer_cannot_use_the_link_or_be_invited(self):
        self.invite()
        link = self.link()
        services.officer_deactivate(
            acting_user=self.staff,
            officer=self.bendahara,
            end_date=timezone.localdate(),
        )
        self.assertEqual(self.anonymous.get(link).status_code, 410)
        response = self.invite()
        self.assertContains(response, "sudah tidak aktif")

    def test_a_weak_password_or_a_taken_username_gets_a_message(self):
        self.invite()
        link = self.link()
        response = self.anonymous.post(
            link, {"username": "siti", "password1": "123", "password2": "123"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "is-invalid")
        response = self.accept(link, username=self.officer_a.username)
        self.assertContains(response, "sudah dipakai")
        self.assertIsNone(Officer.objects.get(pk=self.bendahara.pk).user)

    def test_a_name_that_only_looks_like_another_is_refused(self):
        # Full-width letters passed the "taken" check and were then folded into
        # an upper-case twin of an existing name; a Cyrillic "а" made "аdmin".
        self.invite()
        link = self.link()
        taken = self.officer_a.username
        twin = "".join(chr(ord(c) + 0xFEE0) for c in taken.upper())
        for name in (twin, "\u0430dmin", "siti aminah", "sïti"):
            with self.subTest(name=name):
                response = self.accept(link, username=name)
                self.assertContains(response, "huruf latin (a–z)")
        self.assertIsNone(Officer.objects.get(pk=self.bendahara.pk).user)
        self.assertFalse(
            User.objects.filter(username__iexact=taken)
            .exclude(pk=self.officer_a.pk)
            .exists()
        )

    def test_an_officer_without_e_mail_or_with_an_account_is_refused(self):
        self.bendahara.email = ""
        self.bendahara.save()
        self.assertContains(self.invite(), "Isi dulu alamat e-mail")
        ketua = Officer.objects.get(cooperative=self.coop_a, user=self.officer_a)
        self.assertContains(self.invite(ketua), "sudah punya akun")

    def test_only_staff_invite_and_outsiders_get_404(self):
        url = reverse("cooperatives:officer_invite", args=[self.bendahara.pk])
        self.assertEqual(self.client_for(self.officer_a).post(url).status_code, 403)
        self.assertEqual(self.client_for(self.officer_b).post(url).status_code, 404)
        self.assertEqual(self.client_for(self.staff).get(url).status_code, 405)
        self.assertFalse(OfficerInvitation.objects.exists())

    def test_a_new_board_loses_access_when_deactivated(self):
        client = self.client_for(self.officer_a)
        self.assertEqual(client.get(self.coop_a.get_absolute_url()).status_code, 200)
        ketua = Officer.objects.get(cooperative=self.coop_a, user=self.officer_a)
        services.officer_deactivate(
            acting_user=self.staff, officer=ketua, end_date=timezone.localdate()
        )
        self.assertEqual(client.get(self.coop_a.get_absolute_url()).status_code, 404)
        self.assertNotContains(client.get(reverse("home")), self.coop_a.name)
