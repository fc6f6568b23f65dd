"""The test settings hash passwords fast (conftest.py); production keeps Django's."""

from django.contrib.auth.hashers import get_hasher

from accounts.models import Role
from tests.personas import make_user


def test_tests_hash_passwords_with_the_fast_hasher(db):
    assert get_hasher().algorithm == "md5"
    user = make_user("hasher-uji", Role.STAFF)
    assert user.password.startswith("md5$")
    assert user.check_password("rahasia-uji-123")
