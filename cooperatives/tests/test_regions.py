import json

import pytest
from django.core.management import CommandError, call_command

from cooperatives.models import Kecamatan, Kelurahan, region_key


@pytest.mark.django_db
def test_the_migration_seeds_balikpapan_with_both_code_systems():
    assert Kecamatan.objects.filter(kabkota__kemendagri_code="64.71").count() == 6
    assert Kelurahan.objects.filter(kecamatan__kabkota__bps_code="6471").count() == 34
    manggar = Kelurahan.objects.get(name="Manggar")
    assert (manggar.kemendagri_code, manggar.bps_code) == (
        "64.71.01.1001",
        "6471020001",
    )
    kota = Kecamatan.objects.get(name="Balikpapan Kota")
    assert (kota.kemendagri_code, kota.bps_code) == ("64.71.06", "6471011")
    assert Kelurahan.objects.filter(kecamatan=kota).count() == 5


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Gunung Samarinda", "gunungsamarinda"),
        ("Kel. Gunungsamarinda ", "gunungsamarinda"),
        ("KEC. BALIKPAPAN  UTARA", "balikpapanutara"),
        ("Kelurahan Sungai-Nangka", "sungainangka"),
    ],
)
def test_region_names_match_tolerantly(name, key):
    assert region_key(name) == key


PASER = {
    "kabkota": {
        "name": "Kabupaten Paser",
        "province": "Kalimantan Timur",
        "kemendagri_code": "64.01",
        "bps_code": "6401",
    },
    "kecamatan": [
        {
            "name": "Tanah Grogot",
            "kemendagri_code": "64.01.05",
            "bps_code": "6401050",
            "kelurahan": [
                {
                    "name": "Tanah Grogot",
                    "kemendagri_code": "64.01.05.1001",
                    "bps_code": "6401050001",
                },
                {
                    "name": "Tapis",
                    "kemendagri_code": "64.01.05.1002",
                    "bps_code": "6401050002",
                },
            ],
        },
    ],
}


@pytest.mark.django_db
def test_another_kabkota_loads_from_a_file_and_reloads_idempotently(tmp_path, capsys):
    path = tmp_path / "paser.json"
    path.write_text(json.dumps(PASER))
    call_command("load_regions", str(path))
    call_command("load_regions", str(path))
    assert Kelurahan.objects.filter(kecamatan__kabkota__bps_code="6401").count() == 2
    assert "1 kecamatan, 2 kelurahan" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_broken_region_file_is_refused_whole_with_clear_messages(tmp_path):
    broken = json.loads(json.dumps(PASER))
    broken["kecamatan"][0]["kelurahan"][1]["kemendagri_code"] = "64.02.05.1002"
    broken["kecamatan"][0]["kelurahan"][0]["bps_code"] = "64"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))
    with pytest.raises(CommandError) as error:
        call_command("load_regions", str(path))
    assert "kode BPS tidak valid" in str(error.value)
    assert "tidak berada di bawah kode kecamatannya" in str(error.value)
    assert not Kelurahan.objects.filter(name="Tapis").exists()
    (tmp_path / "garbage.json").write_text("{not json")
    with pytest.raises(CommandError, match="tidak dapat dibaca"):
        call_command("load_regions", str(tmp_path / "garbage.json"))


@pytest.mark.django_db
def test_the_migration_gives_every_balikpapan_region_its_polygon():
    assert not Kecamatan.objects.filter(boundary__isnull=True).exists()
    assert not Kelurahan.objects.filter(boundary__isnull=True).exists()
    manggar = Kelurahan.objects.get(name="Manggar")
    lon, lat = manggar.boundary[0][0][0]
    assert 116 < lon < 118 and -2 < lat < 0


def _feature(code, ring):
    return {
        "type": "Feature",
        "properties": {"kode": code, "nama": code},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


RING = [[116.0, -1.0], [116.1, -1.0], [116.1, -1.1], [116.0, -1.0]]


@pytest.mark.django_db
def test_boundaries_load_with_a_region_file_and_regions_without_one_are_listed(
    tmp_path, capsys
):
    regions = tmp_path / "paser.json"
    regions.write_text(json.dumps(PASER))
    boundaries = tmp_path / "paser.geojson"
    boundaries.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    _feature("64.01.05", RING),
                    _feature("64.01.05.1001", RING),
                    _feature("64.09.01", RING),  # another kab/kota: skipped
                ],
            }
        )
    )
    call_command("load_regions", str(regions), "--boundaries", str(boundaries))
    out = capsys.readouterr().out
    assert "2 batas wilayah disimpan, 1 kode di luar registri dilewati" in out
    assert "Tanpa batas wilayah: kelurahan 64.01.05.1002 Tapis" in out
    assert Kelurahan.objects.get(kemendagri_code="64.01.05.1001").boundary == [[RING]]


@pytest.mark.django_db
def test_a_broken_boundary_file_is_refused_before_anything_is_written(tmp_path):
    regions = tmp_path / "paser.json"
    regions.write_text(json.dumps(PASER))
    boundaries = tmp_path / "broken.geojson"
    boundaries.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"properties": {}, "geometry": None},
                    {
                        "properties": {"kode": "64.01.05"},
                        "geometry": {"type": "Point", "coordinates": [1, 2]},
                    },
                ],
            }
        )
    )
    with pytest.raises(CommandError) as error:
        call_command("load_regions", str(regions), "--boundaries", str(boundaries))
    assert "fitur #1: 'kode'" in str(error.value)
    assert "bukan Polygon" in str(error.value)
    assert not Kecamatan.objects.filter(kemendagri_code="64.01.05").exists()
