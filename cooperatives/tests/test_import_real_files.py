"""The ministry's real files go in whole: its kelompok labels, rows of other kab/kota,
Excel's "Unicode text", control characters, absurd or crashing sheets, huge headers."""

import csv
import zipfile
from collections import Counter

import xlsxwriter
from django.db.models import Count

from cooperatives.imports import import_job_preview
from cooperatives.imports.kelompok import import_job_map_kelompok, unmapped_rows
from cooperatives.models import (
    Cooperative,
    CooperativeStatus,
    ImportJob,
    ImportStatus,
    Jenis,
    Kelompok,
    Pola,
    RowOutcome,
)

from .ods_testing import HEADERS, row
from .test_import_service import ImportCase

MINISTRY_FORMS = [
    # (kelompok as written, jenis column, expected jenis, pola, kelompok code)
    ("Koperasi Pegawai Republik Indonesia (KPRI)", "", Jenis.KONSUMEN, "", "KPRI"),
    ("KPRI", "", Jenis.KONSUMEN, "", "KPRI"),
    ("koperasi pegawai republik indonesia", "", Jenis.KONSUMEN, "", "KPRI"),
    ("Kop. Karyawan", "", Jenis.KONSUMEN, "", "KOPKAR"),
    ("Koperasi Unit Desa (KUD)", "Produsen", Jenis.PRODUSEN, "", "KUD"),
    (
        "Koperasi Simpan Pinjam dan Pembiayaan Syariah (KSPPS)",
        "",
        Jenis.SIMPAN_PINJAM,
        Pola.SYARIAH,
        "KSPPS",
    ),
    ("Koperasi Mahasiswa", "", Jenis.KONSUMEN, "", "KOPMA"),
    ("Koperasi Pensiunan", "", Jenis.KONSUMEN, "", "KOPEN"),
    ("Koperasi Kredit", "", Jenis.SIMPAN_PINJAM, Pola.KONVENSIONAL, "KOPDIT"),
    ("Koperasi Jasa Tenaga Kerja", "", Jenis.JASA, "", "KJTK"),
    ("Koperasi Pedagang Pasar", "Pemasaran", Jenis.PEMASARAN, "", "KOPPAS"),
    ("Koperasi Industri Kerajinan", "", Jenis.PRODUSEN, "", "KOPINKRA"),
    (
        "Koperasi Desa/Kelurahan Merah Putih",
        "Konsumen",
        Jenis.KONSUMEN,
        "",
        "KDKMP",
    ),
    ("Lainnya", "Jasa", Jenis.JASA, "", "LAIN"),
    ("KOPERASI SERBA USAHA (KSU)", "Konsumen", Jenis.KONSUMEN, "", "KSU"),
]


class MinistryLabelTests(ImportCase):
    def test_every_label_form_of_the_ministry_gives_its_kelompok_and_jenis(self):
        rows = [
            row(
                f"64710000000{number:05d}",
                f"Koperasi Label {number}",
                **{"Kelompok Koperasi": label, "Jenis Koperasi": jenis, "Pola": ""},
            )
            for number, (label, jenis, *_rest) in enumerate(MINISTRY_FORMS)
        ]
        job = self.preview(rows)
        assert (job.error_count, job.new_count, job.new_kelompok) == (
            0,
            len(MINISTRY_FORMS),
            [],
        )
        self.apply(job)
        found = {
            c.name: (c.jenis, c.pola, c.kelompok.code)
            for c in Cooperative.objects.select_related("kelompok")
        }
        for number, (label, _jenis, jenis, pola, code) in enumerate(MINISTRY_FORMS):
            with self.subTest(label=label):
                expected = (jenis, pola or Pola.KONVENSIONAL, code)
                assert found[f"Koperasi Label {number}"] == expected

    def test_an_unknown_label_is_kept_listed_and_mapped_to_a_jenis_by_staff(self):
        nelayan = "Koperasi Nelayan Tradisional"
        rows = [
            row("6471000000000101", "Nelayan Satu", **{"Kelompok Koperasi": nelayan}),
            *(
                row(
                    f"647100000000010{n}",
                    f"Nelayan {n}",
                    **{"Kelompok Koperasi": nelayan.upper(), "Jenis Koperasi": ""},
                )
                for n in (2, 3, 4)
            ),
            row(
                "6471000000000105",
                "Tanpa Peta",
                **{"Kelompok Koperasi": "Kelompok Baru Lain", "Jenis Koperasi": ""},
            ),
        ]
        job = self.preview(rows)
        # Nothing is refused: the rows wait for staff's mapping.
        assert (job.error_count, job.new_count) == (0, 5)
        assert [(e["label"], e["rows"], e["need_jenis"]) for e in job.new_kelompok] == [
            (nelayan, 4, 3),
            ("Kelompok Baru Lain", 1, 1),
        ]
        assert unmapped_rows(job) == 4
        job = import_job_map_kelompok(
            acting_user=self.staff,
            job=job,
            mapping={
                "koperasinelayantradisional": Jenis.PRODUSEN,
                "kelompokbarulain": "",
                "bukanlabel": Jenis.JASA,  # not listed: ignored
            },
        )
        assert unmapped_rows(job) == 1
        job = self.apply(job)
        assert (job.status, job.created_count, job.error_count) == (
            ImportStatus.APPLIED,
            4,
            1,
        )
        kelompok = Kelompok.objects.get(name=nelayan)
        assert kelompok.default_jenis == Jenis.PRODUSEN
        # The mapping gives a jenis to the rows without one; a jenis column wins.
        assert Counter(
            Cooperative.objects.filter(kelompok=kelompok).values_list(
                "jenis", flat=True
            )
        ) == {Jenis.PRODUSEN: 3, Jenis.KONSUMEN: 1}
        assert Kelompok.objects.get(name="Kelompok Baru Lain").default_jenis == ""
        (left_out,) = self.problems(job)[6]
        assert left_out[0] == "Jenis Koperasi"
        assert "Kelompok Baru Lain" in left_out[1] and "tidak dipetakan" in left_out[1]
        # The next import knows both labels.
        again = self.preview(rows, name="lagi.xlsx")
        assert again.new_kelompok == []

    def test_a_label_the_jenis_column_settles_needs_no_mapping(self):
        job = self.preview(
            [row("6471000000000201", "Koperasi X", **{"Kelompok Koperasi": "Entah"})]
        )
        assert unmapped_rows(job) == 0
        job = self.apply(job)
        assert Cooperative.objects.get().kelompok.name == "Entah"

    def test_the_published_city_figures_come_back_from_a_ministry_export(self):
        from bench import ods_files

        path = ods_files.write_rows(
            self.folder / "balikpapan.xlsx", ods_files.city_rows()
        )
        job = self.preview_file(path)
        assert (job.row_count, job.error_count, job.new_count) == (587, 0, 587)
        assert job.new_kelompok == []
        job = self.apply(job)
        assert job.created_count == 587
        aktif = Cooperative.objects.filter(status=CooperativeStatus.AKTIF)
        assert aktif.count() == 440
        by_jenis = Counter(aktif.values_list("jenis", "pola"))
        assert by_jenis == {
            (Jenis.KONSUMEN, Pola.KONVENSIONAL): 354,
            (Jenis.PRODUSEN, Pola.KONVENSIONAL): 33,
            (Jenis.PEMASARAN, Pola.KONVENSIONAL): 14,
            (Jenis.JASA, Pola.KONVENSIONAL): 19,
            (Jenis.SIMPAN_PINJAM, Pola.KONVENSIONAL): 15,
            (Jenis.SIMPAN_PINJAM, Pola.SYARIAH): 5,
        }
        by_kecamatan = dict(
            aktif.values_list("kelurahan__kecamatan__name")
            .annotate(n=Count("id"))
            .values_list("kelurahan__kecamatan__name", "n")
        )
        assert by_kecamatan == {
            "Balikpapan Barat": 36,
            "Balikpapan Tengah": 62,
            "Balikpapan Kota": 144,
            "Balikpapan Selatan": 82,
            "Balikpapan Utara": 76,
            "Balikpapan Timur": 40,
        }


class OtherRegionTests(ImportCase):
    def test_rows_of_other_kabkota_are_skipped_once_and_counted(self):
        headers = [*HEADERS, "Kabupaten/Kota"]
        rows = [
            *([*row(f"64720000000000{n}", f"Samarinda {n}"), "Kota Samarinda"]
              for n in range(10, 13)),
            *([*row(f"64010000000000{n}", f"Paser {n}"), "KAB. PASER"]
              for n in range(10, 12)),
            [*row("6471000000000301", "Balikpapan Kosong"), ""],
            [*row("6471000000000302", "Balikpapan Tertulis"), "Kota Balikpapan"],
        ]  # fmt: skip
        job = self.preview(rows, headers=headers)
        assert (job.row_count, job.new_count, job.error_count) == (2, 2, 0)
        assert (job.skipped_count, job.skipped_regions) == (
            5,
            [["Kota Samarinda", 3], ["KAB. PASER", 2]],
        )

    def test_a_national_export_costs_nothing_but_the_reading_of_other_rows(self):
        from bench import ods_files

        path = ods_files.write(self.folder / "nasional.xlsx", 900, layout="national")
        job = self.preview_file(path)
        assert job.status == ImportStatus.READY
        assert (job.row_count, job.error_count, job.new_count) == (10, 0, 10)
        assert job.skipped_count == 890
        assert 30 <= len(job.skipped_regions) <= 37
        assert sum(n for _name, n in job.skipped_regions) == 890
        assert not job.rows.filter(outcome=RowOutcome.ERROR).exists()

    def test_a_file_with_no_row_of_this_region_says_so(self):
        headers = [*HEADERS, "Kabupaten/Kota"]
        job = self.preview(
            [[*row("6472000000000001", "Samarinda"), "Kota Samarinda"]],
            headers=headers,
        )
        assert job.status == ImportStatus.FAILED
        assert "1 baris dari 1 kabupaten/kota lain dilewati" in job.error
        assert "Kota Samarinda" in job.error


class OddFileTests(ImportCase):
    def test_excel_unicode_text_utf16_tab_separated_is_read(self):
        rows = [
            row("6471000000000401", "Koperasi Ünicode Sejahtera"),
            row("6471000000000402", "Koperasi Kedua"),
        ]
        job = self.preview(rows, name="ods.csv", delimiter="\t", encoding="utf-16")
        assert (job.file_kind, job.new_count, job.error_count) == ("csv", 2, 0)
        self.apply(job)
        assert Cooperative.objects.filter(name="Koperasi Ünicode Sejahtera").exists()

    def test_utf16_without_its_byte_order_mark_is_read_too(self):
        # Some tools save UTF-16 with no mark: it was "bukan spreadsheet".
        rows = [
            row("6471000000000403", "Koperasi Tanpa Tanda"),
            row("6471000000000404", "Koperasi Kedua"),
        ]
        for encoding in ("utf-16-le", "utf-16-be"):
            with self.subTest(encoding):
                job = self.preview(
                    rows, name=f"{encoding}.csv", delimiter=",", encoding=encoding
                )
                assert (job.file_kind, job.new_count, job.error_count) == (
                    "csv",
                    2,
                    0,
                ), job.error

    def test_nul_and_control_characters_are_stripped_from_cells(self):
        rows = [
            row(
                "6471000000000501",
                "Koperasi\x00 Maju\x07 Jaya",
                **{"Alamat": "Jl.\x1b Damai\x00 No. 1", "Nama Ketua": "Budi\x00"},
            )
        ]
        for name in ("ods.csv", "ods.xlsx"):
            with self.subTest(name=name):
                Cooperative.objects.all().delete()
                job = self.preview(rows, name=name)
                assert job.error_count == 0, self.problems(job)
                job = self.apply(job)
                assert job.status == ImportStatus.APPLIED, job.error
                cooperative = Cooperative.objects.get()
                assert cooperative.name == "Koperasi Maju Jaya"
                assert cooperative.address == "Jl. Damai No. 1"

    def test_a_header_with_a_million_columns_lists_fifty(self):
        path = self.folder / "lebar.csv"
        extra = [f"Kolom {n}" for n in range(1_000_000)]
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow([*HEADERS, *extra])
            writer.writerow(row("6471000000000601", "Koperasi Lebar"))
        job = self.preview_file(path)
        assert job.new_count == 1
        assert job.unknown_columns[:2] == ["Kolom 0", "Kolom 1"]
        assert len(job.unknown_columns) == 51
        assert job.unknown_columns[-1] == "dan 999.950 lainnya"


def sparse_sheet(path, *, declared: bool):
    """A 5 KB workbook whose one stray cell sits at XFD1048576; without the
    worksheet's declared size when ``declared`` is false."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Data")
    sheet.write_row(0, 0, HEADERS)
    sheet.write_row(1, 0, row("6471000000000701", "Koperasi Jarang"))
    sheet.write(1048575, 16383, "x")
    workbook.close()
    if declared:
        return path
    stripped = path.with_name("tanpa-ukuran.xlsx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(stripped, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b'<dimension ref="A1:XFD1048576"/>', b"")
            target.writestr(info, data)
    return stripped


class CrashingFileTests(ImportCase):
    def test_a_sheet_declaring_an_absurd_size_is_refused_before_parsing(self):
        job = self.preview_file(sparse_sheet(self.folder / "a.xlsx", declared=True))
        assert job.status == ImportStatus.FAILED
        assert "A1:XFD1048576" in job.error and "1.048.576 baris" in job.error

    def test_a_parser_that_dies_fails_the_job_and_the_next_file_is_read(self):
        # No declared size: calamine asks for 550 GB, the child reading the file
        # aborts; this process (the worker) carries on.
        path = sparse_sheet(self.folder / "b.xlsx", declared=False)
        job = self.preview_file(path)
        assert job.status == ImportStatus.FAILED
        assert "memori" in job.error and "unggah lagi" in job.error
        good = self.preview([row("6471000000000702", "Koperasi Berikutnya")])
        assert (good.status, good.new_count) == (ImportStatus.READY, 1)

    def test_a_read_redelivered_after_three_crashed_attempts_is_given_up(self):
        job = self.preview([row("6471000000000703", "Koperasi A")])
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.READING, read_attempts=3
        )
        job = import_job_preview(job_id=job.pk)
        assert job.status == ImportStatus.FAILED
        assert "terhenti 3 kali" in job.error
