"""``{% region_map_panel %}``: the city's map with its table, for any page (the
dashboard includes it). Five queries; see reports.rekap.map."""

from typing import Any

from django import template

from ..rekap.map import MapLevel, MapMeasure, region_map
from ..selectors import reporting_year

register = template.Library()


@register.inclusion_tag("reports/rekap/_region_map.html")
def region_map_panel(
    level: str = MapLevel.KECAMATAN,
    measure: str = MapMeasure.AKTIF,
    tahun_buku: int | None = None,
) -> dict[str, Any]:
    return {
        "map": region_map(
            level=level,
            measure=measure,
            tahun_buku=tahun_buku or reporting_year(),
            element_id=f"peta-{level}-{measure}",
        )
    }
