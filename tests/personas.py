"""The personas every view test starts from.

A Dinas administrator, a Dinas staff member, an officer of cooperative A, an officer
of cooperative B, and an anonymous client — built once per test class.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.test import Client, TestCase

from accounts.models import Role, User, admin_site_flags
from cooperatives.models import Cooperative, Jenis, Kelurahan, Officer, Position


def make_user(username: str, role: str) -> User:
    return User.objects.create_user(
        username=username,
        password="rahasia-uji-123",
        role=role,
        email=f"{username}@uji.invalid",
        **admin_site_flags(role),
    )


def make_cooperative(name: str, **fields: Any) -> Cooperative:
    defaults: dict[str, Any] = {
        "kelurahan": Kelurahan.objects.get(name="Klandasan Ulu"),
        "jenis": Jenis.KONSUMEN,
        "nomor_badan_hukum": f"BH/{name}",
        "tanggal_badan_hukum": datetime.date(2001, 5, 17),
    }
    defaults.update(fields)
    return Cooperative.objects.create(name=name, **defaults)


class PersonaTestCase(TestCase):
    admin: User
    staff: User
    officer_a: User
    officer_b: User
    coop_a: Cooperative
    coop_b: Cooperative

    @classmethod
    def setUpTestData(cls) -> None:
        cls.admin = make_user("admin-uji", Role.ADMIN)
        cls.staff = make_user("staf-uji", Role.STAFF)
        cls.officer_a = make_user("pengurus-a", Role.OFFICER)
        cls.officer_b = make_user("pengurus-b", Role.OFFICER)
        cls.coop_a = make_cooperative(
            "Koperasi Alpha Sejahtera", nik="6471000000000001"
        )
        cls.coop_b = make_cooperative(
            "KSP Beta Mandiri",
            nik="6471000000000002",
            jenis=Jenis.SIMPAN_PINJAM,
            kelurahan=Kelurahan.objects.get(name="Manggar"),
        )
        for user, coop in ((cls.officer_a, cls.coop_a), (cls.officer_b, cls.coop_b)):
            Officer.objects.create(
                cooperative=coop, user=user, name=str(user), position=Position.KETUA
            )
        cls.coop_a.figures.create(
            tahun_buku=2024, aset=Decimal("1250000"), members_male=10
        )

    def client_for(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    @property
    def anonymous(self) -> Client:
        return Client()
