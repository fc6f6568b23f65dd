"""cooperative_edit: a change shows in the audit trail."""

from django.urls import reverse

from .view_testing import CooperativeFormTestCase


class CooperativeEditTests(CooperativeFormTestCase):
    def test_staff_edit_and_see_the_change_in_the_audit_trail(self):
        client = self.client_for(self.staff)
        url = reverse("cooperatives:edit", args=[self.coop_a.pk])
        data = self.form_data(nik=self.coop_a.nik, name="Koperasi Alpha Baru")
        response = client.post(url, data)
        self.assertRedirects(response, self.coop_a.get_absolute_url())
        page = client.get(self.coop_a.get_absolute_url())
        self.assertContains(page, "Koperasi Alpha Sejahtera")
        self.assertContains(page, "Koperasi Alpha Baru")
        self.assertContains(page, self.staff.username)

    def test_a_kelompok_is_offered_with_what_its_code_stands_for(self):
        # The edit form offered bare codes (KDKMP, KJTK); the list's filter says
        # "KOPNEL — Koperasi Nelayan".
        page = self.client_for(self.staff).get(
            reverse("cooperatives:edit", args=[self.coop_a.pk])
        )
        self.assertContains(page, "KOPNEL — Koperasi Nelayan</option>")

    def test_an_address_longer_than_the_registry_keeps_is_refused(self):
        # 40,012 characters were saved; the .xlsx export cut them at 32,767.
        client = self.client_for(self.staff)
        url = reverse("cooperatives:edit", args=[self.coop_a.pk])
        data = self.form_data(nik=self.coop_a.nik, address="Jl. " + "A" * 1000)
        response = client.post(url, data)
        self.assertContains(response, 'name="address"', status_code=200)
        self.assertEqual(
            response.context["form"].errors["address"][0][:40],
            "Pastikan nilai ini mengandung paling ban",
        )
        self.coop_a.refresh_from_db()
        self.assertNotIn("AAAA", self.coop_a.address)


def as_shown(response) -> dict:
    """The form of ``response`` posted back as it was shown (what a person who
    changed nothing would send)."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    return data


class EditedMeanwhileTests(CooperativeFormTestCase):
    """Two people on the same cooperative's form: the second to save must not
    undo the first's change unseen."""

    def url(self):
        return reverse("cooperatives:edit", args=[self.coop_a.pk])

    def test_a_change_made_meanwhile_is_kept(self):
        first, second = self.client_for(self.staff), self.client_for(self.admin)
        page = first.get(self.url())
        self.assertContains(page, 'type="hidden" name="seen"')
        shown_first = as_shown(page)
        shown_second = as_shown(second.get(self.url()))
        second.post(self.url(), {**shown_second, "name": "Koperasi Alpha Baru"})
        response = first.post(self.url(), {**shown_first, "phone": "0542 111222"})
        self.assertRedirects(response, self.coop_a.get_absolute_url())
        self.coop_a.refresh_from_db()
        self.assertEqual(self.coop_a.name, "Koperasi Alpha Baru")
        self.assertEqual(self.coop_a.phone, "0542 111222")

    def test_the_same_field_changed_twice_is_asked_about_once(self):
        first, second = self.client_for(self.staff), self.client_for(self.admin)
        shown_first = as_shown(first.get(self.url()))
        shown_second = as_shown(second.get(self.url()))
        second.post(self.url(), {**shown_second, "name": "Koperasi Alpha Baru"})
        refused = first.post(self.url(), {**shown_first, "name": "Koperasi Alpha Lain"})
        self.assertEqual(refused.status_code, 200)
        self.assertIn(
            "Sudah diubah menjadi “Koperasi Alpha Baru”",
            " ".join(refused.context["form"].errors["name"]),
        )
        self.coop_a.refresh_from_db()
        self.assertEqual(self.coop_a.name, "Koperasi Alpha Baru")
        # Saving again, having read it, keeps this person's.
        again = as_shown(refused)
        response = first.post(self.url(), {**again, "name": "Koperasi Alpha Lain"})
        self.assertRedirects(response, self.coop_a.get_absolute_url())
        self.coop_a.refresh_from_db()
        self.assertEqual(self.coop_a.name, "Koperasi Alpha Lain")

    def test_saving_again_after_a_clash_keeps_the_other_change_too(self):
        first, second = self.client_for(self.staff), self.client_for(self.admin)
        shown_first = as_shown(first.get(self.url()))
        shown_second = as_shown(second.get(self.url()))
        # The second person changes the name and the e-mail.
        second.post(
            self.url(),
            {**shown_second, "name": "Koperasi Alpha X", "email": "x@uji.invalid"},
        )
        # The first, on the old page, changes the name only: asked once ...
        refused = first.post(self.url(), {**shown_first, "name": "Koperasi Alpha Y"})
        self.assertEqual(refused.status_code, 200)
        # The page it gets back shows the other change, not its stale value.
        self.assertContains(refused, 'value="x@uji.invalid"')
        # ... and saves again from the page it got back.
        again = as_shown(refused)
        response = first.post(self.url(), again)
        self.assertRedirects(response, self.coop_a.get_absolute_url())
        self.coop_a.refresh_from_db()
        self.assertEqual(self.coop_a.name, "Koperasi Alpha Y")
        self.assertEqual(self.coop_a.email, "x@uji.invalid")

    def test_a_forged_or_missing_mark_saves_as_before(self):
        client = self.client_for(self.staff)
        shown = as_shown(client.get(self.url()))
        for seen in ("", "forged"):
            data = {**shown, "seen": seen, "name": f"Koperasi Alpha {seen or 'X'}"}
            self.assertRedirects(
                client.post(self.url(), data), self.coop_a.get_absolute_url()
            )


class CooperativeFieldsTests(CooperativeFormTestCase):
    def test_a_phone_that_is_no_number_is_refused_and_invisible_text_is_nothing(self):
        client = self.client_for(self.staff)
        url = reverse("cooperatives:edit", args=[self.coop_a.pk])
        data = self.form_data(nik=self.coop_a.nik)
        response = client.post(
            url, {**data, "phone": "abc", "sektor_usaha": "\u202e\u202e"}
        )
        form = response.context["form"]
        self.assertIn(
            "Nomor telepon abc tidak dikenali", " ".join(form.errors["phone"])
        )
        # Invisible characters alone are no text: read as nothing.
        self.assertEqual(form.cleaned_data["sektor_usaha"], "")

    def test_a_number_the_registry_already_holds_does_not_stop_an_edit(self):
        type(self.coop_a).objects.filter(pk=self.coop_a.pk).update(phone="-")
        client = self.client_for(self.staff)
        url = reverse("cooperatives:edit", args=[self.coop_a.pk])
        data = self.form_data(nik=self.coop_a.nik, phone="-", name="Koperasi Alpha Dua")
        self.assertRedirects(client.post(url, data), self.coop_a.get_absolute_url())
