"""The production image installs requirements.txt only (Dockerfile): no module the
app runs may import a development tool. The registry export had imported
django-stubs-ext (a dependency of django-stubs, in requirements-dev.txt only), so
`manage.py migrate` failed in the container and compose's web and worker, which
wait for it, never started; every test passed, as tests run with the development
tools installed."""

import subprocess
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

BASE_DIR = Path(__file__).resolve().parent.parent


def _listed(path: Path) -> set[Requirement]:
    found = set()
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            found.add(Requirement(line))
    return found


def _with_dependencies(wanted: set[Requirement]) -> set[str]:
    """The distributions installed for ``wanted``, with their extras: what pip
    installs from the file (markers evaluated here, with each extra asked for)."""
    found: set[tuple[str, str]] = set()
    todo = [
        (canonicalize_name(r.name), extra) for r in wanted for extra in ("", *r.extras)
    ]
    while todo:
        name, extra = todo.pop()
        if (name, extra) in found:
            continue
        found.add((name, extra))
        try:
            required = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for line in required:
            requirement = Requirement(line)
            marker = requirement.marker
            if marker is not None and not marker.evaluate({"extra": extra}):
                continue
            for wanted_extra in ("", *requirement.extras):
                todo.append((canonicalize_name(requirement.name), wanted_extra))
    return {name for name, _extra in found}


def development_only_modules() -> list[str]:
    runtime = _with_dependencies(_listed(BASE_DIR / "requirements.txt"))
    development = _with_dependencies(_listed(BASE_DIR / "requirements-dev.txt"))
    only = development - runtime
    return sorted(
        module
        for module, distributions in metadata.packages_distributions().items()
        if any(canonicalize_name(d) in only for d in distributions)
        and module.isidentifier()
    )


# Hides the development tools, then imports every module of the app (tests and
# benchmarks aside) and runs the system checks, as the container's first command.
PROBE = """
import importlib, pkgutil, sys
from pathlib import Path

HIDDEN = set(sys.argv[1].split(","))

class Hide:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in HIDDEN:
            raise ModuleNotFoundError(f"No module named {name!r} (development only)")
        return None

sys.meta_path.insert(0, Hide())
for name in list(sys.modules):
    if name.split(".")[0] in HIDDEN:
        del sys.modules[name]
import django
django.setup()
root = Path.cwd()
for package in sorted(p.parent.name for p in root.glob("*/__init__.py")):
    if package in ("tests", "bench"):
        continue
    module = importlib.import_module(package)
    for info in pkgutil.walk_packages(module.__path__, package + "."):
        parts = info.name.split(".")
        if "tests" in parts or parts[-1].startswith(("test_", "conftest")):
            continue
        importlib.import_module(info.name)
from django.core.management import call_command
call_command("check")
print("imported")
"""


def test_the_app_runs_without_the_development_tools(tmp_path):
    hidden = development_only_modules()
    assert "django_stubs_ext" in hidden and "pytest" in hidden, hidden
    assert "django" not in hidden and "celery" not in hidden, hidden
    result = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(hidden)],
        cwd=BASE_DIR,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "koperasi_registry.settings",
            "KOPERASI_VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "imported" in result.stdout
