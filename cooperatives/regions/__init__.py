"""Region files: one kabupaten/kota with its kecamatan and kelurahan, both code systems.

The format is the JSON of ``balikpapan.json`` beside this file. ``read_region_file``
validates a file completely before anything is written; ``apply_region_data`` writes
it (idempotently, keyed on the Kemendagri codes) using the model classes it is given,
so that the data migration can pass its historical models.
"""

import json
import re
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from cooperatives.models import region_key

BALIKPAPAN_FILE = Path(__file__).with_name("balikpapan.json")

_CODES = {
    "kabkota": (re.compile(r"^\d{2}\.\d{2}$"), re.compile(r"^\d{4}$")),
    "kecamatan": (re.compile(r"^\d{2}\.\d{2}\.\d{2}$"), re.compile(r"^\d{7}$")),
    "kelurahan": (re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"), re.compile(r"^\d{10}$")),
}


def _check_unit(level: str, unit: Any, where: str, errors: list[str]) -> None:
    if not isinstance(unit, dict) or not str(unit.get("name", "")).strip():
        errors.append(f"{where}: nama wajib diisi.")
        return
    kemendagri, bps = _CODES[level]
    if not kemendagri.match(str(unit.get("kemendagri_code", ""))):
        errors.append(f"{where} ({unit['name']}): kode Kemendagri tidak valid.")
    if not bps.match(str(unit.get("bps_code", ""))):
        errors.append(f"{where} ({unit['name']}): kode BPS tidak valid.")


def validate_region_data(data: Any) -> None:
    """Raise ValidationError listing every problem in a region file's content."""
    errors: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("kecamatan"), list):
        raise ValidationError(
            "Berkas wilayah harus berisi 'kabkota' dan daftar 'kecamatan'."
        )
    _check_unit("kabkota", data.get("kabkota"), "kabkota", errors)
    if not data["kecamatan"]:
        errors.append("Daftar kecamatan kosong.")
    for i, kecamatan in enumerate(data["kecamatan"], start=1):
        _check_unit("kecamatan", kecamatan, f"kecamatan #{i}", errors)
        kelurahan_list = (
            kecamatan.get("kelurahan") if isinstance(kecamatan, dict) else None
        )
        if not isinstance(kelurahan_list, list) or not kelurahan_list:
            errors.append(f"kecamatan #{i}: daftar kelurahan kosong.")
            continue
        for j, kelurahan in enumerate(kelurahan_list, start=1):
            _check_unit(
                "kelurahan", kelurahan, f"kecamatan #{i} kelurahan #{j}", errors
            )
            if (
                isinstance(kelurahan, dict)
                and isinstance(kecamatan, dict)
                and not str(kelurahan.get("kemendagri_code", "")).startswith(
                    f"{kecamatan.get('kemendagri_code')}."
                )
            ):
                errors.append(
                    f"kecamatan #{i} kelurahan #{j}: kode Kemendagri tidak berada "
                    "di bawah kode kecamatannya."
                )
    if errors:
        raise ValidationError(errors)


def read_region_file(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(f"Berkas wilayah tidak dapat dibaca: {exc}") from exc
    validate_region_data(data)
    return data


def apply_region_data(
    data: dict[str, Any],
    *,
    kabkota_model: Any,
    kecamatan_model: Any,
    kelurahan_model: Any,
) -> tuple[Any, int, int]:
    """Create or update the units of ``data``.

    Returns (kabkota, number of kecamatan, number of kelurahan).
    """
    unit = data["kabkota"]
    kabkota, _ = kabkota_model.objects.update_or_create(
        kemendagri_code=unit["kemendagri_code"],
        defaults={
            "name": unit["name"].strip(),
            "province": unit.get("province", "").strip(),
            "bps_code": unit["bps_code"],
        },
    )
    n_kelurahan = 0
    for kec in data["kecamatan"]:
        kecamatan, _ = kecamatan_model.objects.update_or_create(
            kemendagri_code=kec["kemendagri_code"],
            defaults={
                "kabkota": kabkota,
                "name": kec["name"].strip(),
                "name_key": region_key(kec["name"]),
                "bps_code": kec["bps_code"],
            },
        )
        for kel in kec["kelurahan"]:
            kelurahan_model.objects.update_or_create(
                kemendagri_code=kel["kemendagri_code"],
                defaults={
                    "kecamatan": kecamatan,
                    "name": kel["name"].strip(),
                    "name_key": region_key(kel["name"]),
                    "bps_code": kel["bps_code"],
                },
            )
            n_kelurahan += 1
    return kabkota, len(data["kecamatan"]), n_kelurahan
