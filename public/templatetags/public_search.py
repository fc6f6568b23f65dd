"""Tags of the public search page, the page every visitor's search renders: one tag
where a template would run several nodes for each option and each result (the
nodes were half of the page's time). Every value is escaped here; nothing a
cooperative's name holds becomes markup."""

from functools import lru_cache
from html import escape as _escape
from typing import TYPE_CHECKING, Any

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from public.filters import Control

register = template.Library()


def escape(value: Any) -> str:
    """``django.utils.html.escape`` without its lazy-string wrapper, which cost
    as much as the escaping on the 170 values of a page: the same characters
    escaped the same way."""
    return _escape(str(value))


# Any id: a cooperative's address is the same for every id but the id itself.
_ANY_ID = 918273645


@register.simple_tag
def filter_controls(controls: "tuple[Control, ...]") -> SafeString:
    """A labelled select box for each filter (``PublicCooperativeFilter.controls``),
    each option with its value, label and whether it is chosen."""
    return _filter_controls(controls)


@lru_cache(maxsize=512)
def _filter_controls(controls: "tuple[Control, ...]") -> SafeString:
    return mark_safe(  # every value is escaped
        "\n".join(
            f'<div class="col-12 col-sm-4"><label for="{escape(control.id)}" '
            f'class="form-label small mb-0">{escape(control.label)}</label>\n'
            f'<select name="{escape(control.name)}" id="{escape(control.id)}" '
            'class="form-select" data-autosubmit>'
            + "".join(
                f'<option value="{escape(value)}"{" selected" if chosen else ""}>'
                f"{escape(label)}</option>"
                for value, label, chosen in control.options
            )
            + "</select></div>"
            for control in controls
        )
    )


@register.simple_tag
def result_rows(rows: list[dict[str, Any]]) -> SafeString:
    """The ``<li>`` of each cooperative found, from its ``fields.LISTED`` values."""
    address = reverse("public:cooperative", args=[_ANY_ID])
    return mark_safe(  # every value is escaped
        "\n".join(
            _result_row(row, address.replace(str(_ANY_ID), str(row["id"])))
            for row in rows
        )
    )


def _result_row(row: dict[str, Any], address: str) -> str:
    badge = "text-bg-success" if row["aktif"] else "text-bg-secondary"
    nik = f" · NIK {escape(row['nik'])}" if row["nik"] else ""
    return (
        '<li class="border rounded p-2 mb-2 position-relative">'
        # The whole card is the link's target (44 px and more on a phone).
        f'<a class="fw-semibold stretched-link" href="{escape(address)}">'
        f"{escape(row['nama'])}</a> "
        f'<span class="badge {badge}">{escape(row["status"])}</span><br>'
        f'<small class="text-body-secondary">{escape(row["jenis"])} · '
        f"{escape(row['kelurahan'])}, {escape(row['kecamatan'])}{nik}</small></li>"
    )
