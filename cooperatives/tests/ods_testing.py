"""Small spreadsheets for import tests, written the way exports look."""

import csv
import datetime
import pickle
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import xlsxwriter

from cooperatives.ods import files, pieces

HEADERS = [
    "NIK", "Nama Koperasi", "No Badan Hukum", "Tanggal Badan Hukum", "Alamat",
    "Kelurahan", "Kecamatan", "Jenis Koperasi", "Pola", "Kelompok Koperasi", "Status",
    "Tahun RAT Terakhir", "Jumlah Anggota Pria", "Jumlah Anggota Wanita", "Aset",
    "Modal Sendiri", "SHU", "Nama Ketua", "No HP", "Email",
]  # fmt: skip


def row(nik: Any, name: str, **overrides: Any) -> list[Any]:
    values = {
        "NIK": nik,
        "Nama Koperasi": name,
        "No Badan Hukum": f"BH/{name}",
        "Tanggal Badan Hukum": "12/07/2019",
        "Alamat": "Jl. Jenderal Sudirman",
        "Kelurahan": "Kel. Klandasan Ulu",
        "Kecamatan": "Kec. Balikpapan Kota",
        "Jenis Koperasi": "Konsumen",
        "Pola": "Konvensional",
        "Kelompok Koperasi": "",
        "Status": "Aktif",
        "Tahun RAT Terakhir": 2024,
        "Jumlah Anggota Pria": 10,
        "Jumlah Anggota Wanita": "12",
        "Aset": "Rp 1.250.000,-",
        "Modal Sendiri": "1.000.000",
        "SHU": "-50.000",
        "Nama Ketua": "Budi Santoso",
        "No HP": "081234567890",
        "Email": "koperasi@contoh.id",
    }
    values.update(overrides)
    return [values[header] for header in HEADERS]


def preview_upload(user: Any, upload: Any, name: str) -> Any:
    """Upload ``upload`` (an open binary file named ``name``) as ``user`` and read
    it (the preview task): the ImportJob, previewed."""
    from cooperatives.imports import import_job_create, import_job_preview

    job = import_job_create(
        acting_user=user, upload=upload, original_name=name, tahun_buku=None
    )
    return import_job_preview(job_id=job.pk)


def write_xlsx(
    path: Path, rows: list[list[Any]], *, title: str = "", headers: list[str] = HEADERS
) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet("Petunjuk").write(0, 0, "Baca lembar berikutnya")
    sheet = workbook.add_worksheet("Data Koperasi")
    start = 0
    if title:
        sheet.write(0, 0, title)
        start = 2
    sheet.write_row(start, 0, headers)
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for number, values in enumerate(rows, start=start + 1):
        for column, cell in enumerate(values):
            if isinstance(cell, datetime.date):
                sheet.write_datetime(number, column, cell, date_format)
            elif cell not in ("", None):
                sheet.write(number, column, cell)
    workbook.close()
    return path


def write_csv(
    path: Path,
    rows: list[list[Any]],
    *,
    delimiter: str = ";",
    encoding: str = "utf-8",
    headers: list[str] = HEADERS,
) -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


class _Made:
    """What each cut made, kept in a file: the file is read in a child process
    (``cooperatives.imports.reading``), whose memory the test does not share."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.kept: list[dict[str, pieces.Pieces]] | None = None  # once the file goes

    def append(self, found: dict[str, pieces.Pieces]) -> None:
        with open(self.path, "ab") as handle:
            pickle.dump(found, handle)

    def _all(self) -> list[dict[str, pieces.Pieces]]:
        if self.kept is not None:
            return self.kept
        found = []
        if self.path.exists():
            with open(self.path, "rb") as handle:
                while True:
                    try:
                        found.append(pickle.load(handle))
                    except EOFError:
                        break
        return found

    def __getitem__(self, index: int) -> dict[str, pieces.Pieces]:
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __eq__(self, other: object) -> bool:
        return self._all() == other

    __hash__ = None  # type: ignore[assignment]


@contextmanager
def read_in_pieces(piece_bytes: int) -> Iterator[_Made]:
    """Inside the block worksheets are cut into pieces of ``piece_bytes``; yields
    the list of what each cut made (``pieces.split_workbook``'s results)."""
    with tempfile.TemporaryDirectory() as folder:
        made = _Made(Path(folder) / "made.pickle")

        def split_and_keep(source: Path, target: Path) -> dict[str, pieces.Pieces]:
            found = pieces.split_workbook(source, target)
            made.append(found)
            return found

        with (
            mock.patch.object(pieces, "PIECE_BYTES", piece_bytes),
            mock.patch.object(files, "split_workbook", split_and_keep),
        ):
            try:
                yield made
            finally:
                made.kept = made._all()
