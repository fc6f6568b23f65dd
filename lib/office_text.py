"""Text the office keeps as its record (the audit trail, a status history's
reason): written in the office's language (``LANGUAGE_CODE``) whoever acted and
whatever language their pages were in. One trail had read "male members:
331 -> 560" beside "Pengajuan ke-1", and "1 Mei 2024" beside "7 December 2026".

A service does not switch languages itself: it hands over lazy text
(``gettext_lazy``, a choice's ``label``, ``lazy_text`` for a message with values)
and the writer of the record turns it into words with ``in_office_language``.
Pages show the record in the reader's words where the catalogue knows them
(``lib.display.frozen_label``).
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise, lazy

from .display import shown

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@contextmanager
def office_language() -> Iterator[None]:
    """Inside it, text is made in the office's language."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def in_office_language(value: Any) -> Any:
    """``value`` with every lazy text in it (in a dict or list too) made into
    words in the office's language; anything else as it is."""
    with office_language():
        return _words(value)


def _words(value: Any) -> Any:
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return {key: _words(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_words(item) for item in value]
    return value


def _format(message: "StrOrPromise", /, **values: Any) -> str:
    return str(message) % {name: _value(value) for name, value in values.items()}


def _value(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return shown(value)
    return _words(value)


_lazy_format = lazy(_format, str)


def lazy_text(message: "StrOrPromise", /, **values: Any) -> "StrOrPromise":
    """``message`` (``gettext_lazy``, with ``%(name)s``) with ``values`` put in,
    made into words only when read: in the office's language when the record's
    writer reads it. A value may itself be lazy (a choice's label, a
    ``lazy_text``); a date reads as ``lib.display`` shows it ("1 Mei 2024")."""
    return _lazy_format(message, **values)
