"""How a field's values read in the import preview and the audit trail."""

from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from lib.display import shown

from ..models import (
    Bentuk,
    Cooperative,
    CooperativeFigures,
    CooperativeStatus,
    Jenis,
    Kelompok,
    Kelurahan,
    Pola,
    RecordSource,
)
from ..ods.cleaning import (
    COUNT_FIGURES,
)


class Labels:
    """Field labels and display values; loads region and kelompok names once."""

    def __init__(self) -> None:
        self.kelurahan = dict(Kelurahan.objects.values_list("pk", "name"))
        self.kelompok = dict(Kelompok.objects.values_list("pk", "code"))
        self._label_cache: dict[str, str] = {}
        self.choices = {
            "jenis": dict(Jenis.choices),
            "pola": dict(Pola.choices),
            "bentuk": dict(Bentuk.choices),
            "status": dict(CooperativeStatus.choices),
            "figures.source": dict(RecordSource.choices),
        }

    def label(self, key: str) -> str:
        if key not in self._label_cache:
            self._label_cache[key] = self._label(key)
        return self._label_cache[key]

    def _label(self, key: str) -> str:
        if key == "ketua":
            return str(_("Ketua"))
        if key.startswith("figures."):
            name = key.split(".", 1)[1]
            field = CooperativeFigures._meta.get_field(name)
        else:
            field = Cooperative._meta.get_field(key)
        # capfirst, not capitalize: "tahun RAT terakhir" keeps its "RAT".
        return capfirst(str(field.verbose_name))  # type: ignore[union-attr]

    def display(self, key: str, value: Any) -> str:
        """``value`` of ``key`` as a person reads it (``lib.display``), the ids of a
        kelurahan and a kelompok by their names."""
        if value is None or value == "":
            return shown(None)
        if key == "kelurahan":
            return self.kelurahan.get(value, str(value))
        if key == "kelompok":
            if isinstance(value, str):  # a label new to the kelompok table
                return _("%(label)s (kelompok baru)") % {"label": value}
            return self.kelompok.get(value, str(value))
        if key in self.choices:
            return shown(value, choices=self.choices[key])
        if key.startswith("figures."):
            return shown(value, count=key.split(".", 1)[1] in COUNT_FIGURES)
        return shown(value)

    def changes(self, changes: dict[str, tuple[Any, Any]]) -> dict[str, dict[str, str]]:
        """For the preview: each field as "ODS value vs registry value"."""
        return {
            key: {
                "label": self.label(key),
                "registry": self.display(key, old),
                "ods": self.display(key, new),
            }
            for key, (old, new) in changes.items()
        }
