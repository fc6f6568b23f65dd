import pytest
from django.core.exceptions import ImproperlyConfigured

from lib.env import env_bool, env_choice, env_int, env_int_list, env_list, env_str


def test_it_reads_typed_values(monkeypatch):
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", " 42 ")
    monkeypatch.setenv("X_LIST", "a.go.id, b.go.id,,")
    assert env_bool("X_BOOL", False) is True
    assert env_int("X_INT", 0) == 42
    assert env_list("X_LIST", []) == ["a.go.id", "b.go.id"]
    monkeypatch.setenv("X_INTS", "30, 7,0,-7")
    assert env_int_list("X_INTS", []) == [30, 7, 0, -7]
    assert env_int_list("X_INTS_MISSING", [1, 2]) == [1, 2]
    assert env_str("X_MISSING", "fallback") == "fallback"


@pytest.mark.parametrize(
    ("name", "value", "read"),
    [
        ("X_BOOL", "maybe", lambda: env_bool("X_BOOL", False)),
        ("X_INT", "12a", lambda: env_int("X_INT", 0)),
        ("X_INT", "-1", lambda: env_int("X_INT", 0, minimum=0)),
        ("X_CHOICE", "staging", lambda: env_choice("X_CHOICE", "a", ("a", "b"))),
        ("X_INTS", "30,7 hari", lambda: env_int_list("X_INTS", [])),
    ],
)
def test_it_fails_loudly_on_bad_values(monkeypatch, name, value, read):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        read()


def test_a_required_value_must_be_present(monkeypatch):
    monkeypatch.delenv("X_REQUIRED", raising=False)
    with pytest.raises(ImproperlyConfigured, match="X_REQUIRED"):
        env_str("X_REQUIRED")
