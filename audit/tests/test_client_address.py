"""An audit row records where the request that wrote it came from (lib.clientip:
the proxies in TRUSTED_PROXY_COUNT taken into account, a spoofed header ignored);
Dinas staff see it on the cooperative's page, officers do not."""

from django.test import override_settings
from django.urls import reverse

from audit.models import AuditEvent
from cooperatives.tests.view_testing import CooperativeFormTestCase


class ClientAddressTests(CooperativeFormTestCase):
    def edit(self, name, **headers):
        client = self.client_for(self.staff)
        url = reverse("cooperatives:edit", args=[self.coop_a.pk])
        client.post(url, self.form_data(nik=self.coop_a.nik, name=name), **headers)
        return AuditEvent.objects.filter(cooperative=self.coop_a).latest("id")

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_behind_the_proxy_the_forwarded_address_is_recorded(self):
        event = self.edit(
            "Koperasi Alpha Satu",
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
        assert event.client_ip == "203.0.113.9"
        page = self.client_for(self.staff).get(self.coop_a.get_absolute_url())
        self.assertContains(page, "203.0.113.9")
        officer_page = self.client_for(self.officer_a).get(
            self.coop_a.get_absolute_url()
        )
        self.assertNotContains(officer_page, "203.0.113.9")

    @override_settings(TRUSTED_PROXY_COUNT=0)
    def test_with_no_proxy_trusted_a_spoofed_header_is_ignored(self):
        event = self.edit(
            "Koperasi Alpha Dua",
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR="1.2.3.4",
        )
        assert event.client_ip == "198.51.100.7"

    def test_work_done_outside_a_request_records_no_address(self):
        from audit.services import audit_record

        event = audit_record(actor=None, action="update", obj=self.coop_a)
        assert event.client_ip is None
