"""Seed Kota Balikpapan (6 kecamatan, 34 kelurahan, Kemendagri and BPS codes) and the
kelompok -> jenis mapping table. Both are idempotent; reversing leaves them in place."""

from django.db import migrations

KELOMPOK = [
    # (code, name, default jenis or "" where no single jenis follows)
    ("KUD", "Koperasi Unit Desa", ""),
    ("KSU", "Koperasi Serba Usaha", ""),
    ("KPRI", "Koperasi Pegawai Republik Indonesia", "konsumen"),
    ("KOPKAR", "Koperasi Karyawan", "konsumen"),
    ("KOPWAN", "Koperasi Wanita", ""),
    ("KSP", "Koperasi Simpan Pinjam", "simpan_pinjam"),
    ("KSPPS", "Koperasi Simpan Pinjam dan Pembiayaan Syariah", "simpan_pinjam"),
    ("KJKS", "Koperasi Jasa Keuangan Syariah", "simpan_pinjam"),
    ("KOPTAN", "Koperasi Tani", "produsen"),
    ("KOPNEL", "Koperasi Nelayan", "produsen"),
    ("KOPINKRA", "Koperasi Industri Kecil dan Kerajinan", "produsen"),
    ("KOPAS", "Koperasi Pasar", "pemasaran"),
    ("KOPANG", "Koperasi Angkutan", "jasa"),
    ("PRIMKOPPOL", "Primer Koperasi Kepolisian", "konsumen"),
    ("PRIMKOPAD", "Primer Koperasi Angkatan Darat", "konsumen"),
    ("KOPPONTREN", "Koperasi Pondok Pesantren", ""),
    ("KOPSIS", "Koperasi Sekolah", "konsumen"),
    ("LAIN", "Koperasi Lain-lain", ""),
    ("SEKUNDER", "Koperasi Sekunder", ""),
]


def seed(apps, schema_editor):
    from cooperatives.regions import (
        BALIKPAPAN_FILE,
        apply_region_data,
        read_region_file,
    )

    apply_region_data(
        read_region_file(BALIKPAPAN_FILE),
        kabkota_model=apps.get_model("cooperatives", "KabupatenKota"),
        kecamatan_model=apps.get_model("cooperatives", "Kecamatan"),
        kelurahan_model=apps.get_model("cooperatives", "Kelurahan"),
    )
    Kelompok = apps.get_model("cooperatives", "Kelompok")
    for code, name, jenis in KELOMPOK:
        Kelompok.objects.get_or_create(
            code=code, defaults={"name": name, "default_jenis": jenis}
        )


class Migration(migrations.Migration):
    dependencies = [("cooperatives", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
