"""officer_add, officer_edit and officer_deactivate."""

import datetime

from django.urls import reverse

from audit.models import AuditEvent
from cooperatives.models import Officer
from tests.personas import PersonaTestCase


class OfficerViewTests(PersonaTestCase):
    def test_staff_add_and_deactivate_an_officer(self):
        client = self.client_for(self.staff)
        client.post(
            reverse("cooperatives:officer_add", args=[self.coop_b.pk]),
            {"name": "Rahmat Hidayat", "position": "sekretaris"},
        )
        officer = self.coop_b.officers.get(name="Rahmat Hidayat")
        client.post(
            reverse("cooperatives:officer_deactivate", args=[officer.pk]),
            {"end_date": datetime.date(2025, 3, 1).isoformat()},
        )
        officer.refresh_from_db()
        assert officer.is_active is False
        assert AuditEvent.objects.filter(cooperative=self.coop_b).count() == 2


class OfficerContactTests(PersonaTestCase):
    def test_staff_set_a_whatsapp_number_and_it_is_stored_as_plus_62(self):
        officer = Officer.objects.get(cooperative=self.coop_b, user=self.officer_b)
        url = reverse("cooperatives:officer_edit", args=[officer.pk])
        client = self.client_for(self.staff)
        self.assertEqual(client.get(url).status_code, 200)
        data = {"name": officer.name, "position": officer.position}
        refused = client.post(url, {**data, "notify_by": "whatsapp"})
        self.assertContains(refused, "Isi nomor HP untuk pemberitahuan lewat WhatsApp")
        wrong = client.post(url, {**data, "phone": "12345", "notify_by": "whatsapp"})
        self.assertContains(wrong, "Nomor HP 12345 tidak dikenali")
        landline = {**data, "phone": "0542 731234", "notify_by": "whatsapp"}
        self.assertContains(client.post(url, landline), "0542 731234 bukan nomor HP")
        officer.refresh_from_db()
        assert officer.notify_by != "whatsapp"
        # By e-mail, the office's landline is a number like any other.
        client.post(url, {**landline, "notify_by": "email", "email": "k@uji.invalid"})
        officer.refresh_from_db()
        assert officer.phone == "+62542731234"
        client.post(url, {**data, "phone": "0812-3456-7890", "notify_by": "whatsapp"})
        officer.refresh_from_db()
        assert (officer.phone, officer.notify_by) == ("+6281234567890", "whatsapp")
        event = AuditEvent.objects.filter(object_id=officer.pk).latest("pk")
        assert "phone" in event.changes and "notify_by" in event.changes
        # The form shows it as it asks for it, and sending it back as shown
        # changes nothing.
        page = client.get(url)
        self.assertContains(page, 'value="0812-3456-7890"')
        self.assertNotContains(page, "+6281234567890")
        form = page.context["form"]
        same = {
            **{name: form[name].value() or "" for name in form.fields},
            "phone": "0812-3456-7890",
        }
        self.assertEqual(client.post(url, same).status_code, 302)
        officer.refresh_from_db()
        assert officer.phone == "+6281234567890"

    def test_an_officer_of_another_cooperative_gets_a_404(self):
        officer = Officer.objects.get(cooperative=self.coop_b, user=self.officer_b)
        url = reverse("cooperatives:officer_edit", args=[officer.pk])
        assert self.client_for(self.officer_a).get(url).status_code == 404
        response = self.client_for(self.officer_a).post(url, {"name": "X"})
        assert response.status_code == 404


class OwnChannelTests(PersonaTestCase):
    def test_an_officer_chooses_whatsapp_for_themselves(self):
        client = self.client_for(self.officer_a)
        home = client.get("/")
        officer = Officer.objects.get(cooperative=self.coop_a, user=self.officer_a)
        url = reverse("cooperatives:officer_notifications", args=[officer.pk])
        self.assertContains(home, url)
        page = client.get(url)
        self.assertEqual(page.status_code, 200)
        # The way back is their own page, not the registry list they may not open.
        self.assertContains(page, '<a href="/">Koperasi saya</a>', html=True)
        self.assertNotContains(page, f'href="{reverse("cooperatives:list")}"')
        response = client.post(
            url, {"phone": "0812 3456 7890", "notify_by": "whatsapp"}
        )
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        officer.refresh_from_db()
        assert (officer.phone, officer.notify_by) == ("+6281234567890", "whatsapp")
        # Name and position are not theirs to change here.
        assert officer.name == str(self.officer_a)
        event = AuditEvent.objects.filter(object_id=officer.pk).latest("pk")
        assert event.actor == self.officer_a

    def test_a_contact_no_message_can_reach_is_refused(self):
        # Saved, it left no way for any message of the Dinas to reach them: a
        # landline takes no WhatsApp. Their login's e-mail still reaches them.
        officer = Officer.objects.get(cooperative=self.coop_a, user=self.officer_a)
        url = reverse("cooperatives:officer_notifications", args=[officer.pk])
        client = self.client_for(self.officer_a)
        assert self.officer_a.email
        cleared = {"phone": "", "email": "", "notify_by": "email"}
        response = client.post(url, cleared, follow=True)
        self.assertRedirects(response, "/")
        # Said where messages now go: "disimpan" alone read as if none would.
        self.assertContains(
            response,
            f"Pemberitahuan Dinas dikirim lewat E-mail ke {self.officer_a.email}.",
        )
        type(self.officer_a).objects.filter(pk=self.officer_a.pk).update(
            email="", phone=""
        )
        officer.refresh_from_db()
        before = (officer.phone, officer.email)
        for data in (cleared, {**cleared, "phone": "0542 123456"}):
            with self.subTest(data=data):
                response = client.post(url, data)
                self.assertContains(response, "bukan telepon rumah atau kantor")
                officer.refresh_from_db()
                assert (officer.phone, officer.email) == before
        self.assertRedirects(
            client.post(url, {**cleared, "phone": "0812 3456 7890"}),
            "/",
            fetch_redirect_response=False,
        )

    def test_another_officer_gets_a_404_and_staff_may_set_it(self):
        officer = Officer.objects.get(cooperative=self.coop_a, user=self.officer_a)
        url = reverse("cooperatives:officer_notifications", args=[officer.pk])
        assert self.client_for(self.officer_b).get(url).status_code == 404
        response = self.client_for(self.officer_b).post(url, {"notify_by": "email"})
        assert response.status_code == 404
        assert self.client_for(self.staff).get(url).status_code == 200
        assert self.anonymous.get(url).status_code == 302


class OfficerEditedMeanwhileTests(PersonaTestCase):
    def test_a_name_changed_meanwhile_is_kept(self):
        from .test_cooperative_edit import as_shown

        officer = Officer.objects.get(cooperative=self.coop_b, user=self.officer_b)
        url = reverse("cooperatives:officer_edit", args=[officer.pk])
        first, second = self.client_for(self.staff), self.client_for(self.admin)
        shown_first, shown_second = as_shown(first.get(url)), as_shown(second.get(url))
        second.post(url, {**shown_second, "name": "Nama Dibetulkan"})
        first.post(url, {**shown_first, "email": "baru@uji.invalid"})
        officer.refresh_from_db()
        assert (officer.name, officer.email) == ("Nama Dibetulkan", "baru@uji.invalid")
