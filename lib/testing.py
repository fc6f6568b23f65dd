"""Test support: the personas every view test starts from.

A Dinas administrator, a Dinas staff member, an officer of cooperative A, an officer
of cooperative B, and an anonymous client — built once per test class.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.test import Client, TestCase

from accounts.models import Role, User
from cooperatives.models import Cooperative, Jenis, Kelurahan, Officer, Position


def make_user(username: str, role: str) -> User:
    user = User.objects.create_user(
        username=username,
        password="rahasia-uji-123",
        role=role,
        email=f"{username}@uji.invalid",
    )
    if role == Role.ADMIN:
        user.is_staff = user.is_superuser = True
        user.save()
    return user


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


def require_or_skip(missing: list[str]) -> None:
    """Skip a test whose real services are absent — but fail it under CI=true.

    CI runs against real PostgreSQL, Redis and Chromium; there, a test that would
    be skipped for want of them is a broken pipeline, not an optional test.
    """
    if not missing:
        return
    import os

    import pytest

    message = "needs " + ", ".join(missing)
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message} (CI=true: nothing that needs them may be skipped)")
    pytest.skip(message)


def missing_services() -> list[str]:
    """Which of PostgreSQL (DATABASE_URL) and Redis (CELERY_BROKER_URL) are missing."""
    from django.conf import settings
    from django.db import connection

    missing = []
    if connection.vendor != "postgresql":
        missing.append("PostgreSQL in DATABASE_URL")
    broker = settings.CELERY_BROKER_URL
    if not broker.startswith("redis://"):
        missing.append("Redis in CELERY_BROKER_URL")
    else:
        import redis

        try:
            redis.Redis.from_url(broker, socket_connect_timeout=2).ping()
        except redis.RedisError:
            missing.append(f"a reachable Redis at {broker}")
    return missing


def table_indexes(model: type[Any]) -> dict[str, str]:
    """PostgreSQL: the indexes of ``model``'s table, name -> definition."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
            [model._meta.db_table],
        )
        return dict(cursor.fetchall())
