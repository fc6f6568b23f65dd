"""Two tabs, or two people, on one record: what another saved since a form was
opened is kept, not silently undone by a save of the values that page showed."""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from lib.display import shown


class EditedMeanwhile:
    """Mixed into an edit form: what another person saved since this form was
    opened is kept, not silently undone (the form saves every field, so saving
    a page opened before someone else's change wrote the old values back).

    The page carries the values it showed, signed (``seen``). On saving, a field
    this person left as shown but someone else changed takes the new value; a
    field both changed, differently, is refused on the field, naming the value
    it now has, and saving again keeps this person's (the form then carries the
    values as they are now). A model form guards its ``Meta.fields`` when it
    edits a saved record; a layout must render hidden fields
    (``helper.render_hidden_fields``)."""

    # Named where the class first lived: pages open while a release lands keep
    # their marks.
    SALT = "lib.forms.EditedMeanwhile"
    guarded: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk:
            self.edited_meanwhile_setup(self.Meta.fields)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}  # type: ignore[misc]
        if self.guarded:
            self.edited_meanwhile_merge(cleaned)
        return cleaned

    def edited_meanwhile_setup(self, guarded: Any) -> None:
        form: Any = self
        self.guarded = tuple(guarded)
        self._now = {name: _comparable(self._stored(name)) for name in self.guarded}
        form.fields["seen"] = forms.CharField(widget=forms.HiddenInput, required=False)
        mark: dict[str, Any] = {**self._now, RECORD: self._record()}
        # What the page shows in place of the stored value (a new report's
        # prefill, given as initial): another tab saving what this page showed
        # is nobody's change, and a field left as shown is not this person's.
        showed = {
            name: _comparable(form.initial[name])
            for name in self.guarded
            if name in form.initial
            and _comparable(form.initial[name]) != self._now[name]
        }
        if showed:
            mark[SHOWN] = showed
        form.initial["seen"] = _sign(mark)

    def _record(self) -> str:
        """Which record the mark is of: one taken from another's form is none."""
        instance = getattr(self, "instance", None)
        return (
            f"{type(instance).__name__}:{instance.pk}" if instance is not None else ""
        )

    def _stored(self, name: str) -> Any:
        """The value as it is now: the instance's (from the database) for a
        model form, else the form's initial value."""
        form: Any = self
        instance = getattr(form, "instance", None)
        if instance is not None:
            return getattr(instance, name)
        return form.initial.get(name)

    def _seen(self) -> dict[str, Any] | None:
        """The values the page showed, from its signed mark; None for a mark
        that is missing, forged, or of another record."""
        form: Any = self
        try:
            seen = signing.loads(form.data.get("seen", ""), salt=self.SALT)
        except (signing.BadSignature, TypeError):
            return None
        if not isinstance(seen, dict) or seen.get(RECORD) != self._record():
            return None
        return seen

    def edited_meanwhile_saved(self, saved: dict[str, Any]) -> None:
        """Part of the form was saved and the page is shown again (a draft keeps
        what passed its checks while the rest is fixed): its mark takes the values
        just saved, so that the next save does not take this person's own save
        for someone else's change ("Sudah diubah orang lain")."""
        seen = self._seen()
        if seen is not None:
            saved_now = {
                name: _comparable(value)
                for name, value in saved.items()
                if name in self.guarded
            }
            self._mark_anew(seen, saved_now)

    def edited_meanwhile_merge(self, cleaned: dict[str, Any]) -> None:
        form: Any = self
        cleaned.pop("seen", None)  # the page's, not a value to save
        seen = self._seen()
        if seen is None:
            return  # an old page or a forged value: nothing to compare with
        clashed: list[str] = []
        kept: list[str] = []
        shown_instead = seen.get(SHOWN) or {}
        # Saved since this page showed a prefill: a prefilled field still empty
        # was emptied there (a stale tab wrote the prefill back over it).
        saved_since = bool(shown_instead) and any(
            self._now[name] != seen[name] for name in self.guarded if name in seen
        )
        for name in self.guarded:
            if name not in cleaned or name not in seen or name in form.errors:
                continue
            before, now = seen[name], self._now[name]
            showed = shown_instead.get(name, before)
            mine = _comparable(cleaned[name])
            emptied = saved_since and now == before == "" and name in shown_instead
            if now in (before, showed) and not (emptied and mine == showed):
                continue  # nobody else changed it, or to what this page showed
            if mine == showed:
                cleaned[name] = self._stored(name)  # theirs, kept
                kept.append(name)
            elif mine != now:
                clashed.append(name)
                form.add_error(
                    name,
                    _(
                        "Sudah diubah menjadi “%(value)s” sejak halaman ini "
                        "dibuka (oleh orang lain, atau di tab lain). Simpan lagi "
                        "untuk memakai isian Anda."
                    )
                    % {"value": _shown_value(self._stored(name), form.fields[name])},
                )
        if kept and form.errors:
            # Shown again: with the values kept, not the page's stale ones.
            form.data = form.data.copy()
            for name in kept:
                value = form.fields[name].prepare_value(self._stored(name))
                form.data[name] = "" if value is None else value
        if clashed:
            # Saving again (after reading the message) keeps this person's value
            # of the fields named; every other field still compares with what
            # the page first showed, so a change kept above stays kept (signing
            # every field anew let the page's stale values undo it).
            self._mark_anew(seen, {name: self._now[name] for name in clashed})

    def stored_differs(self, name: str, value: Any) -> bool:
        """Whether ``value`` is not the field's stored value (compared as text,
        as the mark compares)."""
        return _comparable(value) != self._now[name]

    def mark_as_now(self) -> None:
        """The page shown again carries a mark of the values stored now: a page
        whose mark was missing or of another record, refused, can be saved
        again knowingly."""
        form: Any = self
        form.data = form.data.copy()
        form.data["seen"] = _sign({**self._now, RECORD: self._record()})

    def _mark_anew(self, seen: dict[str, Any], values: dict[str, str]) -> None:
        """The page shown again carries ``seen`` with ``values`` in its mark:
        what the page first showed of those fields in place of the stored ones
        (``SHOWN``) is past. Kept, it took another tab's change back to the
        first prefill for nobody's, and the stale page undid it."""
        form: Any = self
        form.data = form.data.copy()
        shown_instead = {
            name: value
            for name, value in (seen.get(SHOWN) or {}).items()
            if name not in values
        }
        form.data["seen"] = _sign({**seen, **values, SHOWN: shown_instead})


RECORD = "_record"  # the key of the record's name in a mark of EditedMeanwhile
SHOWN = "_shown"  # ... and of the values shown in place of the stored ones


def _sign(values: dict[str, Any]) -> str:
    return signing.dumps(values, salt=EditedMeanwhile.SALT, compress=True)


def _comparable(value: Any) -> str:
    """A value as text that two forms of it compare equal in (a related record
    by its key, 1250000 and 1250000.00, None and "")."""
    if value is None:
        return ""
    if hasattr(value, "pk"):
        return str(value.pk)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _shown_value(value: Any, field: forms.Field) -> str:
    if hasattr(value, "pk"):
        return str(value)
    choices = getattr(field, "choices", None)
    if choices is not None and not isinstance(field, forms.ModelChoiceField):
        return shown(value, choices=list(choices))
    return shown(value)
