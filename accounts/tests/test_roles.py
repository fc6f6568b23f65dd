"""Django's own flags (the admin site) follow the role, however an account is made:
``manage.py createsuperuser``, the admin site, or an earlier database."""

import os
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role, User
from tests.migrating import migrate, migrate_to_latest
from tests.personas import PersonaTestCase


class RoleTests(PersonaTestCase):
    def test_createsuperuser_makes_a_dinas_administrator(self):
        # The README's first step on a new server: the role's default (officer)
        # had made an officer of no cooperative, refused the registry.
        with mock.patch.dict(os.environ, {"DJANGO_SUPERUSER_PASSWORD": "Kepala-2026!"}):
            call_command(
                "createsuperuser",
                "--noinput",
                "--username=kepala",
                "--email=kepala@uji.invalid",
                verbosity=0,
            )
        kepala = User.objects.get(username="kepala")
        self.assertEqual(kepala.role, Role.ADMIN)
        self.assertTrue(kepala.is_dinas and kepala.is_superuser and kepala.is_staff)
        client = self.client_for(kepala)
        self.assertEqual(client.get(reverse("cooperatives:list")).status_code, 200)
        self.assertEqual(client.get("/admin/").status_code, 200)

    def test_the_admin_site_gives_its_access_by_role_alone(self):
        admin = self.client_for(self.admin)
        response = admin.post(
            reverse("admin:accounts_user_add"),
            {
                "username": "budi",
                "password1": "Budi-Dinas-2026!",
                "password2": "Budi-Dinas-2026!",
                "usable_password": "true",
                "role": Role.ADMIN,
                "email": "budi@uji.invalid",
                "first_name": "Budi",
            },
        )
        self.assertEqual(response.status_code, 302, response.content[:2000])
        budi = User.objects.get(username="budi")
        self.assertTrue(budi.is_staff and budi.is_superuser)
        self.assertEqual(self.client_for(budi).get("/admin/").status_code, 200)
        # The change form has no checkboxes of its own for them any more.
        page = admin.get(reverse("admin:accounts_user_change", args=[budi.pk]))
        self.assertNotContains(page, 'name="is_superuser"')
        self.assertNotContains(page, 'name="is_staff"')
        # A staff member made an officer loses the admin site with the role.
        self.staff.is_superuser = self.staff.is_staff = True
        self.staff.save()
        data = {
            "username": self.staff.username,
            "role": Role.OFFICER,
            "is_active": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
        }
        response = admin.post(
            reverse("admin:accounts_user_change", args=[self.staff.pk]), data
        )
        self.assertEqual(response.status_code, 302, response.content[:3000])
        self.staff.refresh_from_db()
        self.assertFalse(self.staff.is_superuser or self.staff.is_staff)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_earlier_superusers_become_administrators():
    apps = migrate([("accounts", "0001_initial")])
    Old = apps.get_model("accounts", "User")
    Old.objects.create(username="kepala", is_superuser=True, is_staff=True)
    Old.objects.create(username="budi", role="admin")
    Old.objects.create(username="siti", role="officer")
    # "Status staf" ticked by hand on a staff member: the admin site, no more.
    Old.objects.create(username="andi", role="staff", is_staff=True)
    try:
        migrate_to_latest()
        roles = {
            u.username: (u.role, u.is_staff, u.is_superuser)
            for u in User.objects.filter(
                username__in=("kepala", "budi", "siti", "andi")
            )
        }
        assert roles == {
            "kepala": (Role.ADMIN, True, True),
            "budi": (Role.ADMIN, True, True),
            "siti": (Role.OFFICER, False, False),
            "andi": (Role.STAFF, False, False),
        }
    finally:
        User.objects.filter(username__in=("kepala", "budi", "siti", "andi")).delete()
        migrate_to_latest()
