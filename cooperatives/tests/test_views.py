from django.urls import reverse

from tests.personas import PersonaTestCase


class AccessRulesTests(PersonaTestCase):
    """Every view: Dinas succeeds, an outsider officer gets 404, an officer of the
    cooperative itself gets 403 on writes, anonymous users are sent to log in."""

    def object_urls(self, coop):
        return {
            "detail": reverse("cooperatives:detail", args=[coop.pk]),
            "edit": reverse("cooperatives:edit", args=[coop.pk]),
            "status": reverse("cooperatives:status_change", args=[coop.pk]),
            "figures": reverse("cooperatives:figures_edit", args=[coop.pk]),
            "officer_add": reverse("cooperatives:officer_add", args=[coop.pk]),
        }

    def test_dinas_users_open_every_page(self):
        for user in (self.staff, self.admin):
            client = self.client_for(user)
            for url in [
                reverse("home"),
                reverse("cooperatives:list"),
                reverse("cooperatives:create"),
                *self.object_urls(self.coop_a).values(),
            ]:
                with self.subTest(user=user.username, url=url):
                    assert client.get(url).status_code == 200

    def deactivate_url(self, coop):
        officer = coop.officers.get()
        return reverse("cooperatives:officer_deactivate", args=[officer.pk])

    def assert_every_object_view_answers(self, client, urls, status):
        for name, url in urls.items():
            with self.subTest(view=name):
                assert client.get(url).status_code == status
                assert client.post(url, {}).status_code == status
        deactivate = client.post(
            self.deactivate_url(self.coop_a), {"end_date": "2025-01-01"}
        )
        assert deactivate.status_code == status

    def test_an_officer_of_another_cooperative_gets_404_everywhere(self):
        client = self.client_for(self.officer_b)
        self.assert_every_object_view_answers(
            client, self.object_urls(self.coop_a), 404
        )

    def test_an_officer_reads_their_own_cooperative_but_cannot_change_it(self):
        client = self.client_for(self.officer_a)
        urls = self.object_urls(self.coop_a)
        assert client.get(urls.pop("detail")).status_code == 200
        self.assert_every_object_view_answers(client, urls, 403)

    def test_officers_are_refused_registry_wide_pages(self):
        client = self.client_for(self.officer_a)
        for url in (reverse("cooperatives:list"), reverse("cooperatives:create")):
            with self.subTest(url=url):
                assert client.get(url).status_code == 403

    def test_officers_see_their_own_cooperatives_on_the_home_page(self):
        response = self.client_for(self.officer_a).get(reverse("home"))
        self.assertContains(response, self.coop_a.name)
        self.assertNotContains(response, self.coop_b.name)

    def test_anonymous_users_are_sent_to_log_in(self):
        urls = [
            reverse("home"),
            reverse("cooperatives:list"),
            reverse("cooperatives:create"),
            *self.object_urls(self.coop_a).values(),
        ]
        for url in urls:
            with self.subTest(url=url):
                response = self.anonymous.get(url)
                assert response.status_code == 302
                assert response.url.startswith(reverse("login"))

    def test_post_only_views_reject_get(self):
        url = self.deactivate_url(self.coop_a)
        assert self.client_for(self.staff).get(url).status_code == 405
