"""Text the office keeps as its record (the audit trail, a status history's
reason): written in the office's language (``LANGUAGE_CODE``) whoever acted and
whatever language their pages were in. One trail had read "male members:
331 -> 560" beside "Pengajuan ke-1", and "1 Mei 2024" beside "7 December 2026".

A service does not switch languages itself: it hands over lazy text
(``gettext_lazy``, a choice's ``label``, ``lazy_text`` for a message with values)
and the writer of the record turns it into words with ``in_office_language``.
Pages show the record in the reader's words where the catalogue knows them
(``lib.display.frozen_label``); a message with values is kept beside its words
as the catalogue knows it (``Words.kept``) and read in the reader's
(``words_read``).
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeAlias

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext

from .display import frozen_label, shown

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


class Words(Promise):
    """A message with values, made into words each time it is read, in the
    language active then (``lazy_text``). ``kept`` is what the record keeps of
    it beside the words it was written in, so that a page can show it in its
    reader's (``words_read``)."""

    def __init__(self, message: "StrOrPromise", values: dict[str, Any]) -> None:
        self.message = message
        self.values = values

    def __str__(self) -> str:
        return _format(self.message, **self.values)

    def kept(self) -> dict[str, Any]:
        """The message as the catalogue knows it (its msgid), the values in the
        office's words, and which of them are text as a person typed it (a
        reason, a name): read back as they are, never as labels or dates."""
        with translation.override(None):
            message = str(self.message)
        with office_language():
            values = {name: str(_value(v)) for name, v in self.values.items()}
        typed = sorted(name for name, v in self.values.items() if isinstance(v, str))
        return {"message": message, "values": values, "typed": typed}


# What a record's writer takes as text: words, lazy words, or a message with
# values.
Text: TypeAlias = "StrOrPromise | Words"


def lazy_text(message: "StrOrPromise", /, **values: Any) -> Words:
    """``message`` (``gettext_lazy``, with ``%(name)s``) with ``values`` put in,
    made into words only when read: in the office's language when the record's
    writer reads it. A value may itself be lazy (a choice's label, a
    ``lazy_text``); a date reads as ``lib.display`` shows it ("1 Mei 2024")."""
    return Words(message, values)


def words_read(kept: Any) -> str | None:
    """A message kept by ``Words.kept`` in the reader's language: the
    catalogue's words, each value as ``lib.display.frozen_label`` reads it (a
    label, a date) but for the text a person typed, kept as typed (a reason
    "Kunjungan 5 Desember 2026" read "5 December" on English pages); None when it
    cannot be (nothing kept, or a translation that does not take its values)."""
    if not isinstance(kept, dict) or not isinstance(kept.get("message"), str):
        return None
    values = kept.get("values")
    if not isinstance(values, dict):
        return None
    typed = set(kept.get("typed") or ())
    try:
        return gettext(kept["message"]) % {
            name: value if name in typed else frozen_label(value)
            for name, value in values.items()
        }
    except (KeyError, TypeError, ValueError):
        return None
