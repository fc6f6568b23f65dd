import csv
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from accounts.models import Role
from cooperatives.models import Jenis, Kelurahan
from reports.models import RekapSnapshot
from tests.personas import make_cooperative, make_user


@pytest.mark.django_db
def test_rekap_make_freezes_a_version_and_writes_the_xlsx(tmp_path, capsys):
    make_cooperative("Koperasi Satu", nik="6471000000000001")
    make_user("kadis", Role.STAFF)
    output = tmp_path / "r1.xlsx"
    call_command("rekap", "make", "R1", "--year", "2025", "--output", str(output))
    call_command(
        "rekap",
        "make",
        "R1",
        "--year",
        "2025",
        "--output",
        str(output),
        "--user",
        "kadis",
    )
    first, second = RekapSnapshot.objects.order_by("version")
    assert (first.version, second.version) == (1, 2)
    assert second.made_by.username == "kadis"
    sheet = openpyxl.load_workbook(output)["R1"]
    total = list(sheet.iter_rows(values_only=True))[-1]
    assert total[:3] == ("Jumlah", 1, 1)
    assert "dibekukan" in capsys.readouterr().out


@pytest.mark.django_db
def test_rekap_make_writes_a_pdf_and_r5_as_csv(tmp_path):
    make_cooperative("Koperasi Satu")
    call_command(
        "rekap", "make", "R2", "--year", "2025", "--output", str(tmp_path / "r2.pdf")
    )
    assert (tmp_path / "r2.pdf").read_bytes().startswith(b"%PDF")
    call_command(
        "rekap", "make", "R5", "--year", "2025", "--output", str(tmp_path / "r5.csv")
    )
    rows = list(csv.reader(io.StringIO((tmp_path / "r5.csv").read_text("utf-8-sig"))))
    assert rows[1][3] == "Jumlah koperasi (belum dibubarkan)" and rows[1][7] == "1"


@pytest.mark.django_db
def test_rekap_make_refuses_bad_input_clearly(tmp_path):
    with pytest.raises(CommandError, match="berakhiran"):
        call_command(
            "rekap", "make", "R1", "--year", "2025", "--output", str(tmp_path / "x.doc")
        )
    with pytest.raises(CommandError, match="CSV"):
        call_command(
            "rekap", "make", "R1", "--year", "2025", "--output", str(tmp_path / "x.csv")
        )
    with pytest.raises(CommandError, match="Wilayah"):
        call_command(
            "rekap",
            "make",
            "R1",
            "--year",
            "2025",
            "--scope",
            "99.99",
            "--output",
            str(tmp_path / "x.xlsx"),
        )
    assert not RekapSnapshot.objects.exists()


@pytest.mark.django_db
def test_export_registry_writes_the_list_pages_export(tmp_path):
    make_cooperative("Koperasi Satu", nik="6471000000000001")
    make_cooperative(
        "KSP Dua",
        jenis=Jenis.SIMPAN_PINJAM,
        kelurahan=Kelurahan.objects.get(name="Manggar"),
    )
    output = tmp_path / "all.xlsx"
    call_command("export_registry", "--format", "xlsx", "--output", str(output))
    rows = list(openpyxl.load_workbook(output).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("NIK", "Nama Koperasi")
    assert len(rows) == 3
    output = tmp_path / "sp.csv"
    call_command(
        "export_registry",
        "--format",
        "csv",
        "--output",
        str(output),
        "--filter",
        "jenis=simpan_pinjam",
    )
    rows = list(csv.reader(io.StringIO(output.read_text("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][6] == "Balikpapan Timur"
    with pytest.raises(CommandError, match="Filter tidak valid"):
        call_command(
            "export_registry",
            "--format",
            "csv",
            "--output",
            str(output),
            "--filter",
            "jenis=bukan",
        )
