"""Typed readers for settings taken from the environment.

Each helper fails loudly (ImproperlyConfigured) on a value it cannot read, so that a
typo in a deployment's environment stops the process at start instead of being
silently replaced by a default.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"Environment variable {name}={value!r} is not a boolean "
        "(use true/false, 1/0, yes/no, on/off)."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(
            f"Environment variable {name}={value!r} is not an integer."
        ) from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(
            f"Environment variable {name}={number} is below its minimum {minimum}."
        )
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int_list(name: str, default: list[int]) -> list[int]:
    """Whole numbers separated by commas (``30,7,0,-7``); one that is not stops
    the app at start, naming the variable."""
    try:
        return [int(item) for item in env_list(name, [str(n) for n in default])]
    except ValueError:
        raise ImproperlyConfigured(
            f"Environment variable {name}={os.environ.get(name)!r} is not a list "
            "of whole numbers separated by commas."
        ) from None


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env_str(name, default).strip().lower()
    if value not in choices:
        raise ImproperlyConfigured(
            f"Environment variable {name}={value!r} must be one of "
            f"{', '.join(choices)}."
        )
    return value


def env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


def env_mapping(name: str, default: dict[str, str]) -> dict[str, str]:
    """``key=value`` pairs separated by commas (``rat_receipt=kop_tanda_terima,
    rat_reminder=kop_pengingat``), over ``default``. A pair without ``=`` stops
    the app at start, naming the variable."""
    result = dict(default)
    for item in env_list(name, []):
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ImproperlyConfigured(
                f"Environment variable {name}: {item!r} is not key=value."
            )
        result[key.strip()] = value.strip()
    return result
