"""The ODS import service end to end on a real database: preview, apply, undo."""

import datetime
import io
import json
from decimal import Decimal
from unittest import mock

import openpyxl
import pytest
from django.core.management import call_command
from django.test import TestCase

from audit.models import AuditAction, AuditEvent
from cooperatives.imports import (
    ImportRefused,
    import_job_apply,
    import_job_cancel,
    import_job_create,
    import_job_preview,
    import_job_request_apply,
    import_job_request_undo,
    import_job_undo,
)
from cooperatives.models import (
    Cooperative,
    CooperativeFigures,
    CooperativeStatus,
    ImportJob,
    ImportStatus,
    Jenis,
    Kelurahan,
    Officer,
    Pola,
    RecordSource,
    RowOutcome,
)
from cooperatives.services import cooperative_update
from lib.testing import require_or_skip, table_indexes
from tests.personas import make_cooperative, make_user

from .ods_testing import HEADERS, read_in_pieces, row, write_csv, write_xlsx


class ImportCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.staff = make_user("staf-impor", "staff")

    def setUp(self):
        import tempfile
        from pathlib import Path

        self.folder = Path(tempfile.mkdtemp())

    def preview(self, rows, *, name="ods.xlsx", year=None, **kwargs):
        path = self.folder / name
        writer = write_csv if name.endswith(".csv") else write_xlsx
        writer(path, rows, **kwargs)
        return self.preview_file(path, year=year)

    def preview_file(self, path, *, year=None):
        """Upload the file at ``path`` as staff and read it (the preview task)."""
        with open(path, "rb") as upload:
            job = import_job_create(
                acting_user=self.staff,
                upload=upload,
                original_name=path.name,
                tahun_buku=year,
            )
        return import_job_preview(job_id=job.pk)

    def apply(self, job, **kwargs):
        import_job_request_apply(
            acting_user=self.staff,
            job=job,
            include_duplicates=kwargs.pop("duplicates", False),
        )
        return import_job_apply(job_id=job.pk, **kwargs)

    def undo(self, job):
        import_job_request_undo(acting_user=self.staff, job=job)
        return import_job_undo(job_id=job.pk)

    def problems(self, job):
        return {
            number: [(p["column"], p["message"]) for p in problems]
            for number, problems in job.rows.filter(
                outcome=RowOutcome.ERROR
            ).values_list("row_number", "problems")
        }


class MessyValuesTests(ImportCase):
    def test_messy_values_are_cleaned_into_the_registry(self):
        job = self.preview(
            [
                row(
                    6471000000000001.0,
                    "KOPERASI  Maju Bersama ",
                    **{
                        "Kelurahan": "GUNUNGSAMARINDA ",
                        "Kecamatan": "balikpapan utara",
                        "Tanggal Badan Hukum": datetime.date(2019, 7, 12),
                        "Aset": "1,250,000.00",
                        "No HP": 81234567890.0,
                    },
                ),
                row(
                    "6471000000000002",
                    "KPRI Sejahtera",
                    **{
                        "Jenis Koperasi": "",
                        "Kelompok Koperasi": "KPRI",
                        "Tanggal Badan Hukum": "12 Juli 2019",
                        "Aset": 1250000,
                    },
                ),
                row(
                    "6471000000000003",
                    "KSPPS Amanah",
                    **{
                        "Jenis Koperasi": "Simpan Pinjam dan Pembiayaan Syariah",
                        "Pola": "",
                        "Tanggal Badan Hukum": "2019-07-12",
                        "Status": "Tidak Aktif",
                    },
                ),
            ],
            year=2024,
        )
        assert job.status == ImportStatus.READY, job.error
        assert (job.row_count, job.new_count, job.error_count) == (3, 3, 0)
        assert Cooperative.objects.count() == 0  # nothing before confirmation
        job = self.apply(job)
        assert job.status == ImportStatus.APPLIED
        first = Cooperative.objects.get(nik="6471000000000001")
        assert first.name == "KOPERASI Maju Bersama"
        assert first.kelurahan == Kelurahan.objects.get(name="Gunung Samarinda")
        assert first.tanggal_badan_hukum == datetime.date(2019, 7, 12)
        assert first.phone == "081234567890"
        assert first.last_rat_year == 2024
        assert first.source == RecordSource.ODS_IMPORT
        figures = first.figures.get(tahun_buku=2024)
        assert figures.aset == Decimal("1250000.00")
        assert figures.shu == Decimal("-50000.00")
        assert (figures.members_male, figures.members_female) == (10, 12)
        assert figures.source == RecordSource.ODS_IMPORT
        kpri = Cooperative.objects.get(nik="6471000000000002")
        assert (kpri.jenis, kpri.kelompok.code) == (Jenis.KONSUMEN, "KPRI")
        kspps = Cooperative.objects.get(nik="6471000000000003")
        assert (kspps.jenis, kspps.pola) == (Jenis.SIMPAN_PINJAM, Pola.SYARIAH)
        assert kspps.status == CooperativeStatus.TIDAK_AKTIF
        assert Officer.objects.get(cooperative=first).name == "Budi Santoso"

    def test_blank_rows_are_skipped_and_a_blank_first_cell_is_not_a_blank_row(self):
        width = len(row("", "x"))
        job = self.preview(
            [
                row("6471000000000001", "Koperasi Satu"),
                [""] * width,
                ["   "] * width,
                row("", "Tanpa NIK"),
                row("6471000000000002", "Koperasi Dua"),
            ]
        )
        # The row with a blank first cell is a row: a cooperative without a NIK.
        assert (job.row_count, job.new_count, job.error_count) == (3, 3, 0)
        without = job.rows.get(row_number=5)
        assert (without.name, without.nik) == ("Tanpa NIK", "")

    def test_a_cooperative_without_a_nik_is_matched_on_its_nomor_badan_hukum(self):
        # DECISIONS.md: cooperatives without a NIK are matched on nomor badan
        # hukum. The ODS lists them too; every such row was refused "NIK kosong".
        registered = make_cooperative("Koperasi Lama", nik="6471000000000077")
        job = self.preview(
            [
                row("", "Koperasi Lama", **{"Alamat": "Jl. Baru 7"}),
                row("", "Koperasi Baru Tanpa NIK"),
                row("", "Kembar", **{"No Badan Hukum": "BH/KEMBAR"}),
                row("", "Kembar Juga", **{"No Badan Hukum": "BH/Kembar"}),
            ]
        )
        assert (job.new_count, job.changed_count, job.error_count) == (1, 1, 2)
        job = self.apply(job)
        registered.refresh_from_db()
        assert registered.address == "Jl. Baru 7"
        assert registered.nik == "6471000000000077"  # kept: the file has none
        new = Cooperative.objects.get(name="Koperasi Baru Tanpa NIK")
        assert new.nik is None and new.nomor_badan_hukum == "BH/Koperasi Baru Tanpa NIK"
        problems = self.problems(job)
        assert "tanpa NIK" in problems[4][0][1] and "baris 5" in problems[4][0][1]
        assert "baris 4" in problems[5][0][1]
        assert not Cooperative.objects.filter(name__startswith="Kembar").exists()

    def test_a_cooperative_written_with_and_without_its_nik_is_refused_twice(self):
        # Both rows were applied to one cooperative (the apply failed on its
        # figures, retry after retry, or one row's figures overwrote the other's),
        # or, when new, made two cooperatives of one nomor badan hukum.
        registered = make_cooperative("Koperasi Lama", nik="6471000000000077")
        job = self.preview(
            [
                row("6471000000000077", "Koperasi Lama", **{"Aset": "100.000.000"}),
                row("", "Koperasi Lama", **{"Aset": "200.000.000"}),
                row("6471000000000501", "Campur"),
                row("", "Campur Lagi", **{"No Badan Hukum": "bh/campur"}),
                row("6471000000000502", "Baik"),
            ]
        )
        problems = self.problems(job)
        assert sorted(problems) == [2, 3, 4, 5]
        assert "baris 3" in problems[2][0][1] and "baris 2" in problems[3][0][1]
        assert "Nomor badan hukum yang sama" in problems[4][0][1]
        job = self.apply(job)
        assert job.status == ImportStatus.APPLIED
        assert (
            Cooperative.objects.filter(nomor_badan_hukum__iexact="BH/Campur").count()
            == 0
        )
        assert not CooperativeFigures.objects.filter(cooperative=registered).exists()

    def test_without_nik_or_badan_hukum_the_name_in_its_kelurahan_is_the_one(self):
        # A re-import could only call it a "kemungkinan duplikat", and applying
        # those registered it again.
        rows = [
            row("", "Tanpa BH Satu", **{"No Badan Hukum": ""}),
            row("", "Tanpa BH Dua", **{"No Badan Hukum": ""}),
        ]
        self.apply(self.preview(rows))
        assert Cooperative.objects.count() == 2
        rows[0] = row("", "Tanpa BH Satu", **{"No Badan Hukum": "", "Alamat": "Jl. B"})
        again = self.preview(rows)
        assert (again.changed_count, again.unchanged_count, again.duplicate_count) == (
            1,
            1,
            0,
        )
        self.apply(again, duplicates=True)
        assert Cooperative.objects.count() == 2
        assert Cooperative.objects.get(name="Tanpa BH Satu").address == "Jl. B"
        # Two such rows of one name in one kelurahan are both refused.
        twice = self.preview([rows[1], rows[1]])
        assert twice.error_count == 2

    def test_a_region_written_otherwise_is_answered_with_the_likely_name(self):
        # "Kecamatan tidak dikenal." alone left staff to guess the spelling.
        job = self.preview(
            [
                row("6471000000000001", "Satu", **{"Kecamatan": "BPP Selatan"}),
                row("6471000000000002", "Dua", **{"Kecamatan": "Balikpapan Brt"}),
                row("6471000000000003", "Tiga", **{"Kecamatan": "Jakarta"}),
                row(
                    "6471000000000004",
                    "Empat",
                    **{"Kecamatan": "Balikpapan Kota", "Kelurahan": "Klandasn Ulu"},
                ),
                row("6471000000000005", "Lima", **{"Kecamatan": "Balikpapan"}),
                row("6471000000000006", "Enam", **{"Kecamatan": "Sepinggan"}),
            ]
        )
        problems = self.problems(job)
        assert problems[2] == [
            (
                "Kecamatan",
                "Kecamatan tidak dikenal. Mungkin maksudnya: Balikpapan Selatan.",
            )
        ]
        assert "Mungkin maksudnya: Balikpapan Barat." in problems[3][0][1]
        # Nothing close: the six there are, named.
        assert problems[4][0][1].startswith(
            "Kecamatan tidak dikenal. Yang dikenal: Balikpapan Barat, Balikpapan Kota"
        )
        assert problems[5][0] == (
            "Kelurahan",
            "Kelurahan tidak dikenal di Kecamatan Balikpapan Kota. Mungkin "
            "maksudnya: Klandasan Ulu.",
        )
        # As near to each of the six: no one of them is offered, all are named.
        assert "Mungkin" not in problems[6][0][1]
        assert "Yang dikenal: Balikpapan Barat" in problems[6][0][1]
        # A kelurahan written in the kecamatan's column is said to be one.
        assert problems[7][0][1] == (
            "Kecamatan tidak dikenal. Sepinggan adalah kelurahan di Kecamatan "
            "Balikpapan Selatan."
        )

    def test_each_kind_of_bad_row_is_reported_and_the_others_go_through(self):
        job = self.preview(
            [
                row("6471000000000001", "Baik"),
                row("12345", "NIK Pendek"),
                row("6471000000000009", "Kembar Satu"),
                row("6471000000000009", "Kembar Dua"),
                row(
                    "6471000000000010",
                    "Salah Kelurahan",
                    **{"Kelurahan": "Manggar", "Kecamatan": "Balikpapan Barat"},
                ),
                row("6471000000000011", "Aset Negatif", **{"Aset": "-1.000"}),
                row(
                    "6471000000000012",
                    "Masa Depan",
                    **{"Tanggal Badan Hukum": "01/01/2999"},
                ),
                row(
                    "6471000000000013",
                    "Jenis Aneh",
                    **{"Jenis Koperasi": "Koperasi Entah"},
                ),
            ]
        )
        assert (job.row_count, job.new_count, job.error_count) == (8, 1, 7)
        problems = self.problems(job)
        assert problems[3][0][0] == "NIK"
        assert "baris 5" in problems[4][0][1] and "baris 4" in problems[5][0][1]
        assert problems[6][0][0] == "Kelurahan"
        assert "Balikpapan Timur" in problems[6][0][1]
        assert problems[7] == [("Aset", "Nilai uang tidak boleh negatif.")]
        assert problems[8] == [
            ("Tanggal Badan Hukum", "Tanggal tidak boleh di masa depan.")
        ]
        assert problems[9][0][0] == "Jenis Koperasi"
        # The rejected rows come back as a spreadsheet with the reason in a column.
        sheet = openpyxl.load_workbook(job.rejected_file.path).active
        values = list(sheet.iter_rows(values_only=True))
        assert values[0][0] == "Baris" and values[0][-1] == "Keterangan kesalahan"
        assert [r[0] for r in values[1:]] == [3, 4, 5, 6, 7, 8, 9]
        assert values[1][2] == "NIK Pendek"
        assert values[5][-1] == "Aset: Nilai uang tidak boleh negatif."
        # Two problems of one row read as two sentences, not "….; …".
        assert all(".;" not in (row[-1] or "") for row in values[1:])

    def test_a_file_read_in_pieces_previews_exactly_as_read_whole(self):
        # Large worksheets are read in pieces (cooperatives/ods/pieces.py); here the
        # pieces are made small so that a 300-row file with bad rows, repeated NIKs
        # (whose cells come from a second pass) and blank rows is cut into many.
        from bench import ods_files

        path = ods_files.write(self.folder / "besar.xlsx", 300, error_percent=15)

        def preview_of(user):
            with open(path, "rb") as upload:
                job = import_job_create(
                    acting_user=user,
                    upload=upload,
                    original_name="besar.xlsx",
                    tahun_buku=2024,
                )
                job = import_job_preview(job_id=job.pk)
            shown = list(
                job.rows.order_by("row_number", "outcome").values_list(
                    "row_number", "outcome", "nik", "name", "problems"
                )
            )
            rejected = list(
                openpyxl.load_workbook(job.rejected_file.path).active.iter_rows(
                    values_only=True
                )
            )
            counts = (job.row_count, job.new_count, job.error_count, job.header_row)
            return counts, shown, rejected

        whole = preview_of(self.staff)  # 300 rows: far below a piece, read whole
        with read_in_pieces(4096) as made:
            # Another person: the same person's same file would be a double upload.
            cut = preview_of(make_user("staf-potongan", "staff"))
        (found,) = made[0].values()
        assert len(found.names) >= 5  # really read in pieces
        assert whole[0][2] > 20 and whole[0][0] == 300
        assert any("baris" in str(p) for *_r, p in whole[1])  # repeated NIKs
        assert cut == whole

    def test_a_missing_required_column_stops_before_any_row(self):
        path = self.folder / "a.csv"
        write_csv(path, [["6471000000000001", "KSP"]], headers=["NIK", "Nama Koperasi"])
        with open(path, "rb") as upload:
            job = import_job_create(
                acting_user=self.staff,
                upload=upload,
                original_name="a.csv",
            )
        job = import_job_preview(job_id=job.pk)
        assert job.status == ImportStatus.FAILED
        assert "Kolom wajib tidak ditemukan: Kelurahan, Kecamatan" in job.error
        assert job.rows.count() == 0

    def test_a_bad_file_fails_the_job_with_a_message(self):
        job = import_job_create(
            acting_user=self.staff,
            upload=io.BytesIO(b"%PDF-1.4"),
            original_name="laporan.xlsx",
        )
        job = import_job_preview(job_id=job.pk)
        assert job.status == ImportStatus.FAILED
        assert "bukan spreadsheet" in job.error

    def test_a_csv_cell_too_long_to_read_fails_with_a_message_not_a_retry(self):
        # The csv module stops at 128 KiB a cell: the job said "kesalahan sistem,
        # coba lagi", which cannot help.
        cells = [row("6471000000000001", "KSP A"), row("6471000000000002", "KSP B")]
        cells[1][1] += "x" * 140_000
        lines = [";".join(map(str, line)) for line in [HEADERS, *cells]]
        job = import_job_create(
            acting_user=self.staff,
            upload=io.BytesIO("\n".join(lines).encode()),
            original_name="koperasi.csv",
        )
        job = import_job_preview(job_id=job.pk)
        assert job.status == ImportStatus.FAILED
        assert "tidak dapat dibaca pada baris 3:" in job.error  # the long cell's
        assert "kesalahan sistem" not in job.error

    def test_the_tahun_buku_comes_from_the_title_when_not_chosen(self):
        job = self.preview(
            [row("6471000000000001", "KSP A")], title="Data Tahun Buku 2023"
        )
        assert job.tahun_buku == 2023
        self.apply(job)
        assert CooperativeFigures.objects.get().tahun_buku == 2023

    def test_a_tahun_buku_in_the_title_that_cannot_be_is_refused(self):
        # 1850 failed every apply on the database's rule ("coba terapkan
        # lagi", again and again); 2030 stored figures for a year to come.
        for title in ("Laporan Tahun Buku 1850", "DATA KOPERASI TAHUN BUKU 2030"):
            job = self.preview([row("6471000000000001", "KSP A")], title=title)
            assert job.status == ImportStatus.FAILED, title
            assert "Judul di atas tabel menyebut tahun buku" in job.error
        # A year typed on the form wins over the title: nothing to refuse.
        job = self.preview(
            [row("6471000000000001", "KSP A")], title="Tahun Buku 2030", year=2024
        )
        assert job.status != ImportStatus.FAILED and job.tahun_buku == 2024


class MatchingTests(ImportCase):
    def test_a_changed_cooperative_shows_ods_value_against_registry_value(self):
        coop = make_cooperative("Koperasi Lama", nik="6471000000000001")
        job = self.preview(
            [row("6471000000000001", "Koperasi Baru", **{"Aset": "2.000.000"})],
            year=2024,
        )
        assert (job.new_count, job.changed_count) == (0, 1)
        changes = job.rows.get(outcome=RowOutcome.CHANGED).changes
        assert changes["name"] == {
            "label": "Nama koperasi",
            "registry": "Koperasi Lama",
            "ods": "Koperasi Baru",
        }
        assert changes["figures.aset"]["ods"] == "Rp 2.000.000"
        job = self.apply(job)
        coop.refresh_from_db()
        assert coop.name == "Koperasi Baru"
        event = AuditEvent.objects.get(import_job=job, cooperative=coop)
        assert event.action == AuditAction.UPDATE
        assert event.changes["name"]["old"] == "Koperasi Lama"
        assert event.changes["figures.aset"]["new"] == "Rp 2.000.000"

    def test_a_blank_jenis_leaves_the_registrys_and_refuses_only_a_new_one(self):
        coop = make_cooperative(
            "Koperasi Lama", nik="6471000000000001", jenis="simpan_pinjam"
        )
        blank = {"Jenis Koperasi": "", "Pola": "", "Kelompok Koperasi": ""}
        job = self.preview(
            [
                row("6471000000000001", "Koperasi Lama", **blank, **{"No HP": "0811"}),
                row("6471000000000002", "Koperasi Baru", **blank),
            ],
            year=2024,
        )
        assert (job.changed_count, job.new_count, job.error_count) == (1, 0, 1)
        assert self.problems(job) == {
            3: [
                (
                    "Jenis Koperasi",
                    "Jenis koperasi kosong dan tidak dapat diturunkan dari "
                    "kelompoknya; koperasi baru perlu jenisnya.",
                )
            ]
        }
        self.apply(job)
        coop.refresh_from_db()
        assert coop.jenis == "simpan_pinjam"
        assert coop.phone == "0811"

    def test_labels_keep_their_capitals(self):
        from cooperatives.imports.labels import Labels

        assert Labels().label("last_rat_year") == "Tahun RAT terakhir"

    def test_an_older_last_rat_in_the_file_leaves_the_registry_s_later_one(self):
        # The registry knew a RAT of 13 March 2025 (tahun buku 2024, from an
        # accepted report); the ministry's file said 2023, and the import set
        # the year back beside the later date.
        coop = make_cooperative(
            "Koperasi RAT Baru",
            nik="6471000000000061",
            last_rat_date=datetime.date(2025, 3, 13),
        )
        job = self.preview(
            [
                row(
                    "6471000000000061",
                    "Koperasi RAT Baru",
                    **{"Tahun RAT Terakhir": 2023, "Alamat": "Jl. Baru"},
                )
            ]
        )
        shown = job.rows.get(row_number=2)
        assert "last_rat_year" not in shown.changes
        self.apply(job)
        coop.refresh_from_db()
        assert coop.last_rat_tahun_buku == 2024
        assert coop.address == "Jl. Baru"
        # A later one in the file is taken.
        job = self.preview(
            [
                row(
                    "6471000000000061",
                    "Koperasi RAT Baru",
                    **{"Tahun RAT Terakhir": 2025},
                )
            ]
        )
        assert "last_rat_year" in job.rows.get(row_number=2).changes

    def test_a_cooperative_without_nik_is_matched_by_badan_hukum(self):
        coop = make_cooperative(
            "Koperasi Tanpa NIK", nomor_badan_hukum="12/BH/XVI/1999"
        )
        job = self.preview(
            [
                row(
                    "6471000000000005",
                    "Koperasi Tanpa NIK",
                    **{"No Badan Hukum": "12 / BH / XVI / 1999"},
                )
            ]
        )
        assert job.changed_count == 1
        self.apply(job)
        coop.refresh_from_db()
        assert coop.nik == "6471000000000005"

    def test_a_badan_hukum_registered_under_another_nik_is_a_rejected_row(self):
        make_cooperative(
            "Koperasi Lain", nik="6471000000000099", nomor_badan_hukum="12/BH/XVI/1999"
        )
        job = self.preview(
            [
                row(
                    "6471000000000005",
                    "Koperasi Konflik",
                    **{"No Badan Hukum": "12/BH/XVI/1999"},
                )
            ]
        )
        assert job.error_count == 1
        assert "6471000000000099" in self.problems(job)[2][0][1]
        sheet = openpyxl.load_workbook(job.rejected_file.path).active
        rejected = list(sheet.iter_rows(values_only=True))[1]
        assert rejected[:3] == (2, "6471000000000005", "Koperasi Konflik")

    def test_rows_that_give_one_badan_hukum_to_two_niks_are_shown_first(self):
        # Both were registered without a word: two cooperatives of one legal
        # entity. Said before applying (a ministry file's own duplicates are
        # not refused whole), for new rows and changes alike.
        make_cooperative("Koperasi Lama", nik="6471000000000084")
        job = self.preview(
            [
                row(
                    "6471000000000081",
                    "Kembar Satu",
                    **{"No Badan Hukum": "77/BH/K/2020"},
                ),
                row(
                    "6471000000000082",
                    "Kembar Dua",
                    **{"No Badan Hukum": "77 BH K 2020"},
                ),
                row("6471000000000083", "Lain Sendiri"),
                row(
                    "6471000000000084",
                    "Koperasi Lama",
                    **{"No Badan Hukum": "77.bh.k.2020"},
                ),
            ]
        )
        assert (job.new_count, job.changed_count, job.error_count) == (3, 1, 0)
        from cooperatives.imports.notices import notice_texts

        [said] = [t for t in notice_texts(job.notices) if "badan hukum" in t]
        assert said.startswith("1 nomor badan hukum tertulis untuk lebih dari satu NIK")
        assert "(baris 2 & 3 & 5)" in said

    def test_possible_duplicates_wait_for_a_decision(self):
        make_cooperative(
            "Koperasi Maju Bersama",
            kelurahan=Kelurahan.objects.get(name="Klandasan Ulu"),
            nomor_badan_hukum="99/BH/1990",
        )
        job = self.preview([row("6471000000000007", "KOPERASI MAJU-BERSAMA")])
        assert (job.new_count, job.duplicate_count) == (0, 1)
        self.apply(job)
        assert Cooperative.objects.count() == 1
        job = self.preview(
            [row("6471000000000007", "KOPERASI MAJU-BERSAMA")], name="b.xlsx"
        )
        self.apply(job, duplicates=True)
        assert Cooperative.objects.count() == 2

    def test_reapplying_the_same_file_changes_nothing(self):
        rows = [row(f"647100000000{n:04d}", f"Koperasi {n}") for n in range(1, 6)]
        self.apply(self.preview(rows, year=2024))
        events = AuditEvent.objects.count()
        again = self.apply(self.preview(rows, year=2024, name="again.xlsx"))
        assert (again.unchanged_count, again.created_count, again.updated_count) == (
            5,
            0,
            0,
        )
        assert AuditEvent.objects.count() == events + 1  # only the upload itself

    def test_a_new_row_registered_since_the_preview_is_compared_as_values(self):
        twin = row("6471000000000011", "Koperasi Kembar")
        first = self.preview([twin], year=2024)
        other = row("6471000000000012", "Koperasi Lain")
        second = self.preview([twin, other], year=2024, name="kedua.xlsx")
        assert (first.new_count, second.new_count) == (1, 2)
        self.apply(first)
        # The second job planned the twin as new; by now it is in the registry
        # with the same date, amounts and counts, so only the other one is written.
        second = self.apply(second)
        assert (second.created_count, second.updated_count) == (1, 0)
        coop = Cooperative.objects.get(nik="6471000000000011")
        assert coop.tanggal_badan_hukum == datetime.date(2019, 7, 12)
        assert coop.figures.get(tahun_buku=2024).aset == Decimal("1250000.00")
        assert not AuditEvent.objects.filter(
            import_job=second, cooperative=coop
        ).exists()

    def test_a_row_that_became_a_possible_duplicate_since_the_preview_waits(self):
        job = self.preview([row("6471000000000021", "Koperasi Serupa")])
        assert (job.new_count, job.duplicate_count) == (1, 0)
        make_cooperative(
            "KOPERASI SERUPA",
            kelurahan=Kelurahan.objects.get(name="Klandasan Ulu"),
            nomor_badan_hukum="BH/LAIN/2001",  # not the file's: only alike
        )
        # Registering duplicates was asked for the rows the preview showed as such;
        # this one was shown as new, so nobody decided on it.
        job = self.apply(job, duplicates=True)
        assert job.created_count == 0
        assert Cooperative.objects.count() == 1
        # And the job says so: the row was still listed "Baru", and "1 baru, 0
        # koperasi ditambahkan" had no reason.
        assert (job.new_count, job.duplicate_count) == (0, 1)
        shown = job.rows.get(row_number=2)
        assert shown.outcome == "duplicate"
        assert (
            "Sejak pratinjau, koperasi yang mirip terdaftar"
            in (shown.problems[0]["message"])
        )

    def test_a_new_row_registered_since_is_applied_as_a_change_and_says_so(self):
        job = self.preview([row("6471000000000041", "Koperasi Datang Kemudian")])
        make_cooperative("KOPERASI DATANG KEMUDIAN", address="Jl. Lama")
        job = self.apply(job)
        assert (job.created_count, job.updated_count) == (0, 1)
        shown = job.rows.get(row_number=2)
        assert shown.outcome == "changed"
        assert (
            "Sejak pratinjau, koperasi ini terdaftar" in (shown.problems[0]["message"])
        )
        assert (job.new_count, job.changed_count) == (0, 1)
        from django.urls import reverse

        self.client.force_login(self.staff)
        page = self.client.get(
            reverse("cooperatives:import_detail", args=[job.pk]), {"tampil": "changed"}
        )
        self.assertContains(page, "Sejak pratinjau, koperasi ini terdaftar")
        # Its column by the name the file calls it, not the field's code.
        assert shown.problems[0]["column"] == "No Badan Hukum"
        self.assertNotContains(page, "nomor_badan_hukum")

    def test_a_change_whose_cooperative_no_longer_matches_is_not_made_new(self):
        # Previewed as a change to cooperative 1; staff then changed its NIK and
        # name. The row became a new cooperative, under "1 berubah" and no word.
        coop = make_cooperative("Koperasi Lama", nik="6471000000000051")
        job = self.preview([row("6471000000000051", "Koperasi Lama Baru")])
        assert (job.new_count, job.changed_count) == (0, 1)
        type(coop).objects.filter(pk=coop.pk).update(
            nik="6471000000000052", name="Koperasi Ganti", nomor_badan_hukum="BH/X"
        )
        job = self.apply(job)
        assert (job.created_count, job.updated_count) == (0, 0)
        assert Cooperative.objects.count() == 1
        shown = job.rows.get(row_number=2)
        assert shown.outcome == "error"
        assert "kini koperasi baru" in shown.problems[0]["message"]
        assert (job.changed_count, job.error_count) == (0, 1)

    def test_a_new_row_whose_badan_hukum_was_registered_since_says_so(self):
        job = self.preview([row("6471000000000031", "Koperasi Baru Sekali")])
        assert job.new_count == 1
        make_cooperative(
            "KOPERASI LAIN", nik="6471000000000032"
        ).__class__.objects.filter(nik="6471000000000032").update(
            nomor_badan_hukum="BH/Koperasi Baru Sekali"
        )
        job = self.apply(job)
        assert job.created_count == 0
        shown = job.rows.get(row_number=2)
        assert shown.outcome == "error"
        assert shown.problems[0]["message"].startswith(
            "Sejak pratinjau, registri berubah:"
        )
        assert job.error_count == 1 and job.new_count == 0

    def test_a_nik_that_names_another_cooperative_than_its_badan_hukum_is_refused(
        self,
    ):
        # 6471000000000174 typed into Excel as a number is stored as ...170,
        # another cooperative's NIK: the row renamed that one and gave it the
        # first one's nomor badan hukum, address and kelurahan without a word.
        sinar = make_cooperative(
            "Koperasi Karyawan Sepakat Sinar",
            nik="6471000000000170",
            nomor_badan_hukum="55/BH/XVI/2001",
        )
        make_cooperative(
            "KPRI Abadi Rukun",
            nik="6471000000000174",
            nomor_badan_hukum="1908/BH/XVI/1995",
        )
        job = self.preview(
            [
                row(
                    6471000000000170.0,
                    "KPRI Abadi Rukun",
                    **{"No Badan Hukum": "1908/BH/XVI/1995", "Alamat": "Jl. Pupuk"},
                )
            ]
        )
        assert (job.changed_count, job.error_count) == (0, 1)
        problem = job.rows.get(row_number=2).problems[0]
        assert problem["message"].startswith(
            "NIK ini milik Koperasi Karyawan Sepakat Sinar di registri, tetapi nomor "
            "badan hukumnya milik koperasi lain (KPRI Abadi Rukun)."
        )
        self.apply(job)
        sinar.refresh_from_db()
        assert sinar.name == "Koperasi Karyawan Sepakat Sinar"
        # A nomor badan hukum nobody else has is the cooperative's new one.
        job = self.preview(
            [
                row(
                    "6471000000000170",
                    "Koperasi Karyawan Sepakat Sinar",
                    **{"No Badan Hukum": "56/BH/XVI/2001"},
                )
            ],
            name="benar.xlsx",
        )
        assert (job.changed_count, job.error_count) == (1, 0)

    def test_a_nik_from_a_number_cell_that_names_another_cooperative_is_refused(
        self,
    ):
        # The same rounded NIK in a row without a nomor badan hukum: it renamed
        # Sinar "KPRI Abadi Rukun" and moved its address without a word.
        sinar = make_cooperative(
            "Koperasi Karyawan Sepakat Sinar", nik="6471000000000170"
        )
        make_cooperative("KPRI Abadi Rukun", nik="6471000000000174")
        job = self.preview(
            [
                row(
                    6471000000000170.0,
                    "KPRI Abadi Rukun",
                    **{"No Badan Hukum": "", "Alamat": "Jl. Pupuk"},
                )
            ]
        )
        assert (job.changed_count, job.error_count) == (0, 1)
        shown = job.rows.get(row_number=2)
        assert shown.problems[0]["message"] == (
            "NIK ini ditulis sebagai angka di Excel, yang mengganti digit ke-16 "
            "dengan 0, dan di registri NIK ini milik Koperasi Karyawan Sepakat "
            "Sinar, bukan KPRI Abadi Rukun. Ketik NIK sebagai teks (awali dengan "
            "tanda petik ') lalu unggah lagi."
        )
        self.apply(job)
        sinar.refresh_from_db()
        assert (sinar.name, sinar.address) == ("Koperasi Karyawan Sepakat Sinar", "")
        # The same number naming its own cooperative (a re-import, a program
        # that writes every digit) is that cooperative; so is the NIK as text.
        job = self.preview(
            [
                row(
                    6471000000000170.0,
                    "KOPERASI KARYAWAN SEPAKAT SINAR",
                    **{"No Badan Hukum": "", "Alamat": "Jl. Pupuk"},
                ),
            ],
            name="sama.xlsx",
        )
        assert (job.changed_count, job.error_count) == (1, 0)
        job = self.preview(
            [
                row(
                    "6471000000000170",
                    "Koperasi Sinar Baru",
                    **{"No Badan Hukum": ""},
                ),
            ],
            name="teks.xlsx",
        )
        assert (job.changed_count, job.error_count) == (1, 0)

    def test_two_rows_reaching_one_cooperative_by_different_keys_are_refused(self):
        # One row by its NIK, the other by its name (no NIK, no nomor badan
        # hukum): the apply failed on two figures of one year, on every retry;
        # without figures the later row won and the cooperative had two ketua.
        make_cooperative(
            "KPRI Abadi Karya",
            nik="6471000000000073",
            kelurahan=Kelurahan.objects.get(name="Klandasan Ulu"),
        )
        job = self.preview(
            [
                row("6471000000000073", "KPRI Abadi Karya", **{"Nama Ketua": "A"}),
                row(
                    "",
                    "KPRI Abadi Karya",
                    **{"No Badan Hukum": "", "Nama Ketua": "B", "Alamat": "Jl. Dua"},
                ),
            ],
            year=2020,
        )
        assert (job.error_count, job.changed_count) == (2, 0)
        problems = {r.row_number: r.problems[0]["message"] for r in job.rows.all()}
        assert problems[2].startswith("Baris 3 juga menunjuk koperasi yang sama")
        assert problems[3].startswith("Baris 2 juga menunjuk koperasi yang sama")
        job = self.apply(job)
        assert job.status == ImportStatus.APPLIED
        assert job.updated_count == 0
        assert not Officer.objects.filter(name__in=["A", "B"]).exists()

    def test_a_preview_older_than_a_change_does_not_undo_it(self):
        # Previewed, then another import changed the cooperative's address: the
        # older preview, applied, wrote its address back over the newer one
        # (its page still showing the value from before both).
        coop = make_cooperative("Koperasi Lama", nik="6471000000000061")
        older = self.preview(
            [row("6471000000000061", "Koperasi Lama", Alamat="Jl. Preview Satu")],
            name="satu.xlsx",
        )
        newer = self.preview(
            [row("6471000000000061", "Koperasi Lama", Alamat="Jl. Preview Dua")],
            name="dua.xlsx",
        )
        self.apply(newer)
        older = self.apply(older)
        coop.refresh_from_db()
        assert coop.address == "Jl. Preview Dua"
        assert (older.updated_count, older.changed_count, older.error_count) == (
            0,
            0,
            1,
        )
        problem = older.rows.get(row_number=2).problems[0]
        assert "diubah sesudah pratinjau dibuat" in problem["message"]
        assert "Unggah berkasnya lagi" in problem["message"]
        # Beside the value it would have written, not "Nama Koperasi".
        assert problem["column"] == "Alamat"

    def test_placeholders_read_as_blank_cells(self):
        # "-" was a new kelompok label (then "- 2"), and a NIK or a date "-"
        # refused the whole row.
        job = self.preview(
            [
                row(
                    "-",
                    "Koperasi Strip",
                    **{
                        "Kelompok Koperasi": "-",
                        "Tanggal Badan Hukum": "—",
                        "Email": "?",
                        "No HP": "-",
                    },
                )
            ]
        )
        assert (job.new_count, job.error_count, job.new_kelompok) == (1, 0, [])
        self.apply(job)
        coop = Cooperative.objects.get(name="Koperasi Strip")
        assert (coop.nik, coop.tanggal_badan_hukum, coop.phone) == (None, None, "")
        assert coop.kelompok is None

    def test_placeholders_written_with_spaces_or_in_other_case_are_blank(self):
        # " - ", "#N/A " and "? " had been stored as the address, the phone and a
        # new ketua named "?" (the sitting one deactivated); " n/a" refused the
        # row as an e-mail address.
        job = self.preview(
            [
                row(
                    "6471000000000073",
                    "Koperasi Spasi",
                    **{
                        "Alamat": " - ",
                        "No HP": "#n/a ",
                        "Nama Ketua": "? ",
                        "Email": " n/a",
                        "Kelompok Koperasi": "\u200b-",
                        "Tanggal Badan Hukum": "- -",
                        "Jumlah Anggota Pria": "\uff0d",
                    },
                )
            ]
        )
        assert (job.new_count, job.error_count, job.new_kelompok) == (1, 0, [])
        self.apply(job)
        coop = Cooperative.objects.get(name="Koperasi Spasi")
        assert (coop.address, coop.phone, coop.email) == ("", "", "")
        assert coop.tanggal_badan_hukum is None
        assert not coop.officers.exists()

    def test_a_row_of_placeholders_alone_is_a_blank_row(self):
        # A row of "-" (or "—", "?") was an error row, "Nama koperasi kosong",
        # while one of "#N/A" was skipped as blank; 400,000 of them made as many
        # error rows.
        job = self.preview(
            [
                ["-"] * len(HEADERS),
                ["—"] * len(HEADERS),
                ["?", "", "-", *["#N/A"] * (len(HEADERS) - 3)],
                row("6471000000000072", "Koperasi Sesudah Strip"),
            ]
        )
        assert (job.new_count, job.error_count) == (1, 0)

    def test_a_name_longer_than_the_registry_keeps_is_refused_not_cut(self):
        job = self.preview(
            [
                row(
                    "6471000000000071", "Koperasi Panjang", **{"Nama Ketua": "K" * 151}
                ),
                row("6471000000000072", "Koperasi Pas", **{"Nama Ketua": "K" * 150}),
            ]
        )
        assert (job.new_count, job.error_count) == (1, 1)
        problem = job.rows.get(row_number=2).problems[0]
        assert problem["message"] == "Terlalu panjang (maksimal 150 huruf)."

    def test_an_address_longer_than_the_registry_keeps_is_refused(self):
        # 100,000 characters were previewed as a change; the registry's own
        # .xlsx export then cut such an address at 32,767, silently.
        job = self.preview(
            [
                row("6471000000000071", "Koperasi Jauh", Alamat="Jl. " + "A" * 1000),
                row("6471000000000072", "Koperasi Dekat", Alamat="J" * 1000),
            ]
        )
        assert (job.new_count, job.error_count) == (1, 1)
        problem = job.rows.get(row_number=2).problems[0]
        assert problem["message"] == "Terlalu panjang (maksimal 1.000 huruf)."
        assert problem["column"] == "Alamat"

    def workbook_file(self, name, sheets):
        """An .xlsx written by openpyxl (which saves no formula values): ``sheets``
        maps a sheet name to (rows, hidden)."""
        workbook = openpyxl.Workbook()
        workbook.remove(workbook.active)
        for title, (rows, hidden) in sheets.items():
            sheet = workbook.create_sheet(title)
            for values in rows:
                sheet.append(values)
            if hidden:
                sheet.sheet_state = "hidden"
        path = self.folder / name
        workbook.save(path)
        return path

    def test_how_the_file_was_read_is_said_on_the_preview(self):
        # A hidden sheet with the full header was read in place of the visible
        # one; a second sheet of data, a formula without its value, a column
        # named twice, a total row and a row of column numbers went unsaid (or
        # came back as rejected rows: "Nama koperasi kosong").
        from django.urls import reverse

        header = [*HEADERS, "Nama Koperasi"]
        data = [
            header,
            [f"({n})" for n in range(1, len(header) + 1)],
            [*row("6471000000000081", "Koperasi Terlihat"), "Nama Lain"],
            row("6471000000000082", '=CONCATENATE("KSP ","Rumus")'),
            [None] * 12 + ["JUMLAH", 10, 12],
        ]
        path = self.workbook_file(
            "kementerian.xlsx",
            {
                "Data 2025": (data, False),
                "Data 2024": ([HEADERS], False),
                "arsip lama": ([HEADERS, row("6471000000000089", "KSP Lama")], True),
            },
        )
        job = self.preview_file(path)
        assert job.sheet_name == "Data 2025"
        assert (job.new_count, job.error_count) == (1, 1)  # the formula's name: blank
        codes = [code for code, _values in job.notices]
        assert codes == ["other_sheets", "formulas", "repeated_columns", "layout_rows"]
        assert job.unknown_columns == []
        self.client.force_login(self.staff)
        page = self.client.get(reverse("cooperatives:import_detail", args=[job.pk]))
        for text in (
            "tidak dibaca: “Data 2024”, “arsip lama”",
            "Ada sel berisi rumus tanpa nilai tersimpan (misalnya B4)",
            "tidak dibaca: “Nama Koperasi”",
            "2 baris jumlah atau nomor kolom dilewati (baris 2, 5).",
        ):
            self.assertContains(page, text)

    def test_a_hidden_sheet_is_read_only_when_no_visible_one_has_data(self):
        path = self.workbook_file(
            "tersembunyi.xlsx",
            {
                "Petunjuk": ([["Baca lembar berikutnya"]], False),
                "data": ([HEADERS, row("6471000000000091", "KSP Sembunyi")], True),
            },
        )
        job = self.preview_file(path)
        assert (job.sheet_name, job.new_count) == ("data", 1)
        assert [code for code, _values in job.notices] == ["hidden_sheet"]

    def test_a_double_upload_gives_the_same_job(self):
        path = write_xlsx(self.folder / "a.xlsx", [row("6471000000000001", "KSP A")])
        jobs = set()
        for _ in range(2):
            with open(path, "rb") as upload:
                jobs.add(
                    import_job_create(
                        acting_user=self.staff,
                        upload=upload,
                        original_name="a.xlsx",
                    ).pk
                )
        assert len(jobs) == 1


class SafetyTests(ImportCase):
    def test_a_failure_in_the_middle_of_apply_leaves_the_registry_as_it_was(self):
        existing = make_cooperative("Koperasi Lama", nik="6471000000000001")
        job = self.preview(
            [
                row("6471000000000001", "Nama Baru"),
                row("6471000000000002", "Koperasi Baru"),
            ]
        )
        audit_before = AuditEvent.objects.count()

        def crash_after_new_rows(percent):
            if percent == 60:  # new cooperatives written, changes not yet
                raise RuntimeError("pekerja mati")

        with pytest.raises(RuntimeError):
            self.apply(job, on_progress=crash_after_new_rows)
        job.refresh_from_db()
        assert job.status == ImportStatus.FAILED
        assert "registri tidak berubah" in job.error
        assert job.can_apply
        assert Cooperative.objects.count() == 1
        existing.refresh_from_db()
        assert existing.name == "Koperasi Lama"
        assert AuditEvent.objects.count() == audit_before
        job = self.apply(job)  # retry
        assert (job.status, job.created_count, job.updated_count) == (
            ImportStatus.APPLIED,
            1,
            1,
        )

    def test_an_applied_or_cancelled_job_cannot_be_applied_again(self):
        job = self.apply(self.preview([row("6471000000000001", "KSP A")]))
        with pytest.raises(ImportRefused):
            import_job_request_apply(acting_user=self.staff, job=job)
        other = self.preview([row("6471000000000002", "KSP B")], name="b.xlsx")
        import_job_cancel(acting_user=self.staff, job=other)
        with pytest.raises(ImportRefused):
            import_job_request_apply(acting_user=self.staff, job=other)
        assert not Cooperative.objects.filter(nik="6471000000000002").exists()

    def test_a_redelivered_apply_gives_up_after_three_attempts(self):
        job = self.preview([row("6471000000000001", "KSP A")])
        import_job_request_apply(acting_user=self.staff, job=job)
        ImportJob.objects.filter(pk=job.pk).update(attempts=3)  # three workers died
        job = import_job_apply(job_id=job.pk)
        assert job.status == ImportStatus.FAILED and job.can_apply
        assert Cooperative.objects.count() == 0


def registry_foreign_keys():
    """Every foreign key of the tables an import writes, and every one that points
    at the cooperative table, with its definition."""
    from django.db import connection

    tables = [
        m._meta.db_table for m in (Cooperative, CooperativeFigures, Officer, AuditEvent)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT conrelid::regclass::text || '.' || conname,
                   pg_get_constraintdef(oid), convalidated
            FROM pg_constraint
            WHERE contype = 'f'
              AND (conrelid::regclass::text = ANY(%s) OR confrelid = %s::regclass)
            """,
            [tables, tables[0]],
        )
        return {name: (definition, valid) for name, definition, valid in cursor}


class FirstImportIndexTests(ImportCase):
    """A first import builds the registry's indexes and foreign keys after the rows:
    the same ones come back, and a failure leaves them as they were."""

    def setUp(self):
        from django.db import connection

        super().setUp()
        if connection.vendor != "postgresql":
            require_or_skip(["PostgreSQL in DATABASE_URL"])

    def test_the_indexes_come_back_the_same_after_a_large_first_import(self):
        before = table_indexes(Cooperative)
        foreign_keys = registry_foreign_keys()
        assert any("gin_trgm_ops" in definition for definition in before.values())
        assert any("actor_id" in name for name in foreign_keys)
        assert any("kelurahan_id" in name for name in foreign_keys)
        rows = [
            row(f"64710000000001{n:02d}", f"KSP Bulk {n}", **{"Aset": "1.000.000"})
            for n in range(3)
        ]
        with mock.patch("cooperatives.imports.apply.BULK_REBUILD_MIN_ROWS", 2):
            job = self.apply(self.preview(rows, year=2024))
        assert job.created_count == 3
        assert table_indexes(Cooperative) == before
        assert registry_foreign_keys() == foreign_keys
        assert Cooperative.objects.filter(name__icontains="bulk 1").count() == 1
        # The ids were reserved in one step: consecutive, and the next cooperative
        # gets a new one.
        ids = sorted(Cooperative.objects.values_list("pk", flat=True))
        assert ids == list(range(ids[0], ids[0] + 3))
        assert make_cooperative("Sesudah Impor").pk > ids[-1]
        assert (
            CooperativeFigures.objects.filter(
                cooperative_id__in=ids, tahun_buku=2024
            ).count()
            == 3
        )
        assert AuditEvent.objects.filter(import_job=job).count() == 3

    def test_a_large_first_import_queries_nothing_while_the_indexes_build(self):
        # The first audit row needs the cooperative's content type; looked up
        # then, the query would wait for the whole index build (lib.bulk refuses
        # it). A fresh worker process has no content type cached.
        from django.contrib.contenttypes.models import ContentType

        rows = [row(f"64710000000003{n:02d}", f"KSP Segar {n}") for n in range(3)]
        job = self.preview(rows)
        ContentType.objects.clear_cache()
        with mock.patch("cooperatives.imports.apply.BULK_REBUILD_MIN_ROWS", 2):
            job = self.apply(job)
        assert (job.status, job.created_count) == (ImportStatus.APPLIED, 3)
        assert AuditEvent.objects.filter(import_job=job).count() == 3

    def test_a_failure_after_the_rows_leaves_the_indexes_as_they_were(self):
        before = table_indexes(Cooperative)
        foreign_keys = registry_foreign_keys()
        rows = [row(f"64710000000002{n:02d}", f"KSP Gagal {n}") for n in range(3)]
        job = self.preview(rows)

        def crash_after_new_rows(percent):
            if percent == 60:
                raise RuntimeError("pekerja mati")

        with (
            mock.patch("cooperatives.imports.apply.BULK_REBUILD_MIN_ROWS", 2),
            pytest.raises(RuntimeError),
        ):
            self.apply(job, on_progress=crash_after_new_rows)
        assert table_indexes(Cooperative) == before
        assert registry_foreign_keys() == foreign_keys
        assert Cooperative.objects.count() == 0


class UndoTests(ImportCase):
    def test_undo_restores_changed_fields_and_removes_created_cooperatives(self):
        coop = make_cooperative("Koperasi Lama", nik="6471000000000001")
        coop.figures.create(
            tahun_buku=2024, aset=Decimal("500000"), source=RecordSource.MANUAL
        )
        job = self.apply(
            self.preview(
                [
                    row("6471000000000001", "Nama Baru", **{"Status": "Tidak Aktif"}),
                    row("6471000000000002", "Koperasi Baru"),
                ],
                year=2024,
            )
        )
        assert Cooperative.objects.count() == 2
        # The year's figures now come from the import, and the audit trail says so.
        assert coop.figures.get(tahun_buku=2024).source == RecordSource.ODS_IMPORT
        event = AuditEvent.objects.get(import_job=job, cooperative=coop)
        assert event.changes["figures.source"]["old"] == "Input manual"
        assert event.changes["figures.source"]["new"] == "Impor ODS"
        job = self.undo(job)
        assert job.status == ImportStatus.UNDONE
        assert job.undo_report == {"deleted": 1, "restored": 1, "skipped": []}
        coop.refresh_from_db()
        assert (coop.name, coop.status) == ("Koperasi Lama", CooperativeStatus.AKTIF)
        figures = coop.figures.get(tahun_buku=2024)
        assert figures.aset == Decimal("500000.00")
        assert figures.source == RecordSource.MANUAL
        assert not Cooperative.objects.filter(nik="6471000000000002").exists()
        assert (
            AuditEvent.objects.filter(import_job=job, action=AuditAction.DELETE).count()
            == 1
        )

    def test_undo_leaves_alone_what_changed_later_and_says_which(self):
        job = self.apply(
            self.preview(
                [
                    row("6471000000000001", "Koperasi A"),
                    row("6471000000000002", "Koperasi B"),
                ]
            )
        )
        edited = Cooperative.objects.get(nik="6471000000000002")
        cooperative_update(
            acting_user=self.staff, cooperative=edited, fields={"address": "Jl. Baru"}
        )
        job = self.undo(job)
        assert job.undo_report["deleted"] == 1
        assert job.undo_report["skipped"] == [
            {"id": edited.pk, "name": "Koperasi B", "why": "changed", "created": True}
        ]
        assert list(Cooperative.objects.values_list("name", flat=True)) == [
            "Koperasi B"
        ]

    def test_undoing_the_later_import_first_lets_the_earlier_one_be_undone(self):
        first = self.apply(self.preview([row("6471000000000001", "Koperasi A")]))
        second = self.apply(
            self.preview([row("6471000000000001", "Koperasi A2")], name="b.xlsx")
        )
        assert self.undo(first).undo_report["skipped"]  # the second changed it since
        ImportJob.objects.filter(pk=first.pk).update(status=ImportStatus.APPLIED)
        self.undo(second)
        assert Cooperative.objects.get().name == "Koperasi A"
        assert self.undo(first).undo_report["deleted"] == 1
        assert Cooperative.objects.count() == 0


class CommandTests(ImportCase):
    def test_the_command_prints_one_json_object(self):
        path = write_xlsx(
            self.folder / "a.xlsx",
            [row("6471000000000001", "KSP A"), row("", "Tanpa NIK")],
        )
        out = io.StringIO()
        call_command(
            "import_ods", str(path), "--year", "2024", "--apply", "--json", stdout=out
        )
        result = json.loads(out.getvalue())
        assert set(result) >= {
            "rows",
            "created",
            "updated",
            "unchanged",
            "duplicates",
            "errors",
            "batch",
        }
        # A cooperative without a NIK yet is imported too.
        assert (result["rows"], result["created"], result["updated"]) == (2, 2, 0)
        assert result["errors"] == []
        assert Cooperative.objects.get(name="Tanpa NIK").nik is None
        assert ImportJob.objects.get(pk=result["batch"]).status == ImportStatus.APPLIED
        assert set(CooperativeFigures.objects.values_list("tahun_buku", flat=True)) == {
            2024
        }

    def test_without_apply_the_command_only_previews(self):
        path = write_xlsx(self.folder / "a.xlsx", [row("6471000000000001", "KSP A")])
        out = io.StringIO()
        call_command("import_ods", str(path), "--dry-run", stdout=out)
        assert "previewed: 1 rows, 1 new" in out.getvalue()
        assert Cooperative.objects.count() == 0


class KetuaWithLoginTests(ImportCase):
    def test_another_ketua_for_one_with_a_login_is_said_and_not_applied(self):
        # The import never replaces a ketua who logs in; it had dropped the
        # file's other name without a word to staff.
        from accounts.models import Role
        from cooperatives.imports.notices import notice_texts
        from cooperatives.models import Position

        coop = make_cooperative("Koperasi A", nik="6471000000000001")
        Officer.objects.create(
            cooperative=coop,
            user=make_user("ketua-a", Role.OFFICER),
            name="Budi Santoso",
            position=Position.KETUA,
        )
        same = row("6471000000000001", "Koperasi A", **{"Nama Ketua": "BUDI  santoso"})
        job = self.preview([same])
        assert job.notices == []  # the same name written otherwise is no news
        other = row("6471000000000001", "Koperasi A", **{"Nama Ketua": "Siti Aminah"})
        job = self.preview([other])
        texts = " ".join(notice_texts(job.notices))
        assert "ketuanya sudah punya akun (baris 2)" in texts
        self.apply(job)
        ketua = Officer.objects.get(cooperative=coop, position=Position.KETUA)
        assert (ketua.name, ketua.is_active) == ("Budi Santoso", True)


class StatusKeptTests(ImportCase):
    def test_the_file_s_status_is_said_and_the_dinas_s_decision_kept(self):
        # The ministry's file lags behind the Dinas: an import had made a
        # dissolved cooperative Aktif again, and undone a campaign's decision.
        from cooperatives.imports.notices import notice_texts
        from cooperatives.models import StatusChange

        gone = make_cooperative(
            "Koperasi Bubar",
            nik="6471000000000001",
            status=CooperativeStatus.DIBUBARKAN,
        )
        idle = make_cooperative(
            "Koperasi Diam",
            nik="6471000000000002",
            status=CooperativeStatus.TIDAK_AKTIF,
        )
        job = self.preview(
            [
                row("6471000000000001", "Koperasi Bubar", **{"Status": "Aktif"}),
                row("6471000000000002", "Koperasi Diam", **{"Status": "Tidak Aktif"}),
                row("6471000000000003", "Koperasi Baru", **{"Status": "Tidak Aktif"}),
            ]
        )
        texts = " ".join(notice_texts(job.notices))
        assert "1 baris menulis status lain dari status koperasinya" in texts
        assert "(baris 2)" in texts and "Impor tidak mengubah status" in texts
        self.apply(job)
        gone.refresh_from_db()
        idle.refresh_from_db()
        assert gone.status == CooperativeStatus.DIBUBARKAN
        assert idle.status == CooperativeStatus.TIDAK_AKTIF
        assert not StatusChange.objects.exists()
        # A cooperative the file brings is registered with the file's status.
        new = Cooperative.objects.get(nik="6471000000000003")
        assert new.status == CooperativeStatus.TIDAK_AKTIF


class ReportedFiguresKeptTests(ImportCase):
    def test_an_accepted_rat_report_s_figures_are_said_and_kept(self):
        # The ministry's copy had replaced a report's "Rp 300.000.000" with
        # "Rp 30.000.000", silently, though the report was checked and accepted.
        from cooperatives.imports.notices import notice_texts

        coop = make_cooperative("Koperasi Lapor", nik="6471000000000001")
        coop.figures.create(
            tahun_buku=2024, aset=Decimal("300000000"), source=RecordSource.RAT_REPORT
        )
        other = make_cooperative("Koperasi Lain", nik="6471000000000002")
        job = self.preview(
            [
                row("6471000000000001", "Koperasi Lapor", **{"Aset": "30.000.000"}),
                row("6471000000000002", "Koperasi Lain", **{"Aset": "30.000.000"}),
            ],
            year=2024,
        )
        texts = " ".join(notice_texts(job.notices))
        assert "1 baris memberi angka keragaan lain" in texts
        assert "laporan RAT yang sudah diterima Dinas (baris 2)" in texts
        self.apply(job)
        figures = coop.figures.get(tahun_buku=2024)
        assert figures.aset == Decimal("300000000.00")
        assert figures.source == RecordSource.RAT_REPORT
        # A year without a report takes the file's figures as before.
        assert other.figures.get(tahun_buku=2024).aset == Decimal("30000000.00")


class ReaderKilledTests(ImportCase):
    def test_a_reader_killed_from_outside_is_not_blamed_on_the_file(self):
        # The OOM killer or kill -9 ends the reading child with SIGKILL; staff
        # had been told to clean their file. A file that makes the reader
        # abort (SIGABRT) is still the file's doing (test_import_files).
        import contextlib
        import os
        import signal

        from lib.sandbox import ChildFailed

        def killed(*args, **kwargs):
            os.kill(os.getpid(), signal.SIGKILL)  # in the reading child

        with (
            mock.patch("cooperatives.imports.preview._read_and_compare", killed),
            contextlib.suppress(ChildFailed),
        ):
            self.preview([row("6471000000000001", "Koperasi A")])
        job = ImportJob.objects.get()
        assert job.status == ImportStatus.FAILED
        assert "berkas rusak" not in job.error
        assert "kesalahan sistem" in job.error
