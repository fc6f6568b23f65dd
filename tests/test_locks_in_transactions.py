"""A service that locks rows (``select_for_update``) runs in a transaction of its
own: called from a view, outside any, PostgreSQL refuses the lock
("select_for_update cannot be used outside of a transaction") and the page is a
500. Django's TestCase wraps every test in a transaction, so no view test sees
it; a decorator moved by an edit went unseen once (the status change)."""

import importlib
import inspect
import pkgutil

import pytest

PACKAGES = (
    "campaigns.services",
    "cooperatives.services",
    "reports.services",
    "cooperatives.imports",
)
MODULES = (
    "public.services",
    "health_assessment.services",
    "notifications.services",
    "reports.rekap.services",
)


def _modules():
    for name in PACKAGES:
        package = importlib.import_module(name)
        yield package
        for info in pkgutil.iter_modules(package.__path__):
            yield importlib.import_module(f"{name}.{info.name}")
    for name in MODULES:
        yield importlib.import_module(name)


def _locking_entry_points():
    """The public functions defined in the service modules that lock rows
    themselves: the ones a view or a task calls directly."""
    for module in _modules():
        for name, function in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(function):
                continue
            inner = inspect.unwrap(function)
            if inner.__module__ != module.__name__:
                continue
            if "select_for_update(" in inspect.getsource(inner):
                yield f"{module.__name__}.{name}", function


def test_every_service_that_locks_rows_opens_its_own_transaction():
    found = dict(_locking_entry_points())
    assert "cooperatives.services.registry.cooperative_change_status" in found
    unguarded = []
    for name, function in found.items():
        source = inspect.getsource(function)
        head = source[: source.index("def ")]
        body = inspect.getsource(inspect.unwrap(function))
        if "transaction.atomic" not in head and "transaction.atomic()" not in body:
            unguarded.append(name)
    assert unguarded == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_status_change_from_its_page_outside_any_transaction(client):
    # As a request runs in production: no test transaction around it.
    from django.urls import reverse

    from accounts.models import Role
    from cooperatives.models import StatusChange
    from tests.personas import make_cooperative, make_user

    staff = make_user("staf-kunci", Role.STAFF)
    cooperative = make_cooperative("Koperasi Kunci", nik="6471000000000991")
    client.force_login(staff)
    response = client.post(
        reverse("cooperatives:status_change", args=[cooperative.pk]),
        {
            "seen_status": "aktif",
            "new_status": "tidak_aktif",
            "effective_date": "2025-02-01",
            "reason": "Tidak menyelenggarakan RAT sejak 2021",
        },
    )
    assert response.status_code == 302
    assert StatusChange.objects.filter(cooperative=cooperative).count() == 1
