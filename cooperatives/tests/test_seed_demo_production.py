"""The demo loader never runs in production: its logins share a published password."""

import io

from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from accounts.models import User
from cooperatives.models import Cooperative


class SeedDemoProductionTests(TestCase):
    @override_settings(DJANGO_ENV="production")
    def test_it_refuses_in_production_and_creates_nothing(self):
        with self.assertRaisesMessage(CommandError, "DJANGO_ENV=production"):
            call_command("seed_demo", stdout=io.StringIO())
        assert not User.objects.exists()
        assert not Cooperative.objects.exists()
