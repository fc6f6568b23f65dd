"""Boundary files: GeoJSON polygons of regions, keyed by their Kemendagri code.

``read_boundary_file`` reads and checks a FeatureCollection whose features carry
``properties.kode`` and a Polygon or MultiPolygon geometry (longitude, latitude);
``apply_boundaries`` stores each polygon on the kecamatan or kelurahan with that code,
using the model classes it is given (so the data migration can pass its historical
models). Nothing is written unless the whole file reads.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

BOUNDARY_DIR = Path(__file__).with_name("boundaries")
BALIKPAPAN_BOUNDARY_FILES = (
    BOUNDARY_DIR / "balikpapan-kecamatan.geojson",
    BOUNDARY_DIR / "balikpapan-kelurahan.geojson",
)

# A MultiPolygon's coordinates: polygons -> rings -> [lon, lat] points.
MultiPolygon = list[list[list[list[float]]]]


def _multipolygon(geometry: Any) -> MultiPolygon | None:
    """The geometry as MultiPolygon coordinates, or None if it is not an area."""
    if not isinstance(geometry, dict):
        return None
    kind, coordinates = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Polygon":
        coordinates = [coordinates]
    elif kind != "MultiPolygon":
        return None
    try:
        polygons = [
            [[[float(p[0]), float(p[1])] for p in ring] for ring in polygon]
            for polygon in coordinates
        ]
    except (TypeError, ValueError, IndexError):
        return None
    if not polygons or any(len(ring) < 4 for poly in polygons for ring in poly):
        return None
    return polygons


def read_boundary_file(path: Path) -> dict[str, MultiPolygon]:
    """Kemendagri code -> polygon for every feature; ValidationError lists problems."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(
            f"Berkas batas wilayah tidak dapat dibaca: {exc}"
        ) from exc
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise ValidationError(
            "Berkas batas wilayah harus berupa GeoJSON FeatureCollection."
        )
    polygons: dict[str, MultiPolygon] = {}
    errors: list[str] = []
    for i, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        code = str((properties or {}).get("kode", "")).strip()
        if not code:
            errors.append(f"fitur #{i}: 'kode' (kode Kemendagri) wajib diisi.")
            continue
        polygon = _multipolygon(feature.get("geometry"))
        if polygon is None:
            errors.append(f"fitur #{i} ({code}): geometri bukan Polygon/MultiPolygon.")
            continue
        polygons[code] = polygon
    if errors:
        raise ValidationError(errors)
    return polygons


@dataclass
class BoundaryResult:
    stored: int = 0
    skipped_codes: list[str] = field(default_factory=list)


def apply_boundaries(
    polygons: dict[str, MultiPolygon], *, kecamatan_model: Any, kelurahan_model: Any
) -> BoundaryResult:
    """Store each polygon on the region with its code; codes of no region are
    skipped (a province-wide file serves one kab/kota)."""
    result = BoundaryResult()
    for code, polygon in sorted(polygons.items()):
        model = kecamatan_model if code.count(".") == 2 else kelurahan_model
        if model.objects.filter(kemendagri_code=code).update(boundary=polygon):
            result.stored += 1
        else:
            result.skipped_codes.append(code)
    return result
