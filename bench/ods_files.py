"""A deterministic generator of messy ODS-like cooperative exports, any size.

    python bench/ods_files.py ROWS OUT.xlsx|OUT.csv [--seed N] [--errors PERCENT]
                              [--layout clean|ministry|national]

The same arguments always give the same rows. The mess is what real exports carry:
title rows above the header, header names that differ from the canonical ones,
numbers as text with Indonesian or English separators and "Rp", dates as Excel dates,
``12/07/2019``, ``2019-07-12`` and ``12 Juli 2019``, kecamatan and kelurahan with
"Kec."/"Kel." prefixes, odd case, trailing spaces and old joined spellings, NIKs as
numbers and as text. With ``--errors`` that share of rows is faulty, one fault each
(a NIK cut short, unknown jenis, negative money, kelurahan in the wrong kecamatan, a
date in the future, a repeated NIK, which makes its row and the one it repeats
faulty).
Tests use ``rows()`` directly for small files.
"""

import argparse
import csv
import datetime
import random
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

HEADERS = [
    "No",
    "NIK",
    "Nama Koperasi",
    "No. Badan Hukum",
    "Tgl Badan Hukum",
    "Alamat",
    "Kelurahan/Desa",
    "KECAMATAN",
    "Kabupaten/Kota",
    "Provinsi",
    "Jenis Koperasi",
    "Pola Pengelolaan",
    "Kelompok Koperasi",
    "Sektor Usaha",
    "Status",
    "Tahun RAT Terakhir",
    "Jumlah Anggota Pria",
    "Jumlah Anggota Wanita",
    "Jumlah Manajer",
    "Jumlah Karyawan",
    "Modal Sendiri (Rp)",
    "Modal Luar (Rp)",
    "Volume Usaha",
    "Aset",
    "SHU",
    "Nama Ketua",
    "No HP",
    "Email",
    "Keterangan Lain",
]
TITLE = ["DATA KOPERASI KOTA BALIKPAPAN", "Tahun Buku 2025"]

# Kecamatan -> kelurahan as exports spell them (some joined, some odd case).
REGIONS = {
    "Balikpapan Timur": ["Manggar", "Lamaru", "Teritip", "Manggar Baru"],
    "Balikpapan Barat": [
        "Baru Ilir",
        "Baru Tengah",
        "Baru Ulu",
        "Kariangau",
        "Margo Mulyo",
        "Marga Sari",
    ],
    "Balikpapan Utara": [
        "Batu Ampar",
        "Gunungsamarinda",
        "Karang Joang",
        "Muararapak",
        "Gunung Samarinda Baru",
        "Graha Indah",
    ],
    "Balikpapan Tengah": [
        "Gunungsari Ulu",
        "Gunungsari Ilir",
        "Karang Rejo",
        "Karang Jati",
        "Mekar Sari",
        "Sumber Rejo",
    ],
    "Balikpapan Selatan": [
        "Sepinggan",
        "Gunungbahagia",
        "Sepinggan Baru",
        "Sepinggan Raya",
        "Sungainangka",
        "Damai Baru",
        "Damai Bahagia",
    ],
    "Balikpapan Kota": [
        "Prapatan",
        "Telaga Sari",
        "Klandasan Ulu",
        "Klandasan Ilir",
        "Damai",
    ],
}
JENIS = [
    ("Konsumen", "Konvensional", "KPRI"),
    ("Koperasi Konsumen", "", "Kopkar"),
    ("Simpan Pinjam", "Konvensional", "KSP"),
    ("Simpan Pinjam dan Pembiayaan Syariah", "Syariah", "KSPPS"),
    ("Produsen", "Konvensional", "Koptan"),
    ("Pemasaran", "", "Kopas"),
    ("JASA", "Konvensional", "Kopang"),
    ("", "", "Koperasi Pegawai Republik Indonesia"),
]
WORDS = [
    "Maju",
    "Sejahtera",
    "Bersama",
    "Mandiri",
    "Makmur",
    "Sentosa",
    "Karya",
    "Harapan",
    "Bahari",
    "Mulia",
    "Amanah",
    "Berkah",
    "Jaya",
    "Abadi",
    "Lestari",
]
FIRST = [
    "Ahmad",
    "Siti",
    "Budi",
    "Dewi",
    "Rudi",
    "Nur",
    "Agus",
    "Sri",
    "Hendra",
    "Rina",
]
LAST = ["Saputra", "Wati", "Hidayat", "Lestari", "Pratama", "Rahmawati", "Gunawan"]
MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
FAULTS = [
    "short_nik",
    "unknown_jenis",
    "negative_money",
    "wrong_kelurahan",
    "future_date",
    "repeated_nik",
]


def _money(rng: random.Random, amount: int) -> Any:
    style = rng.randrange(5)
    if style == 0:
        return f"{amount:,}".replace(",", ".")  # 1.250.000
    if style == 1:
        return f"{amount:,.2f}"  # 1,250,000.00
    if style == 2:
        return "Rp " + f"{amount:,}".replace(",", ".") + ",-"
    return amount  # a real number cell


def _date(rng: random.Random, day: datetime.date) -> Any:
    style = rng.randrange(4)
    if style == 0:
        return day
    if style == 1:
        return day.strftime("%d/%m/%Y")
    if style == 2:
        return day.isoformat()
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _region(rng: random.Random, name: str, prefix: str) -> str:
    style = rng.randrange(5)
    if style == 0:
        return f"{prefix}. {name}"
    if style == 1:
        return name.upper()
    if style == 2:
        return name + "  "
    return name


def rows(
    count: int, *, seed: int = 2026, error_percent: float = 0.0
) -> Iterator[list[Any]]:
    """``count`` data rows in HEADERS order; faults in ``error_percent`` of them."""
    rng = random.Random(seed)
    kecamatan_names = list(REGIONS)
    spacing = round(100 * 7 / (error_percent * 6)) if error_percent else 0
    for index in range(1, count + 1):
        kecamatan = kecamatan_names[index % len(kecamatan_names)]
        kelurahan = REGIONS[kecamatan][(index // 7) % len(REGIONS[kecamatan])]
        jenis, pola, kelompok = JENIS[index % len(JENIS)]
        nik_number = 6471_0000_0000_0000 + index
        nik: Any = nik_number if index % 3 == 0 else str(nik_number)
        founded = datetime.date(1980, 1, 1) + datetime.timedelta(
            days=(index * 37) % 15000
        )
        first, second = WORDS[index % len(WORDS)], WORDS[(index // 15) % len(WORDS)]
        name = f"Koperasi {first} {second} {index}"
        members = 20 + index % 900
        row: list[Any] = [
            index,
            nik,
            name,
            f"{100 + index % 900}/BH/XVI/{1990 + index % 30}",
            _date(rng, founded),
            f"Jl. {WORDS[index % 13]} No. {index % 200}",
            _region(rng, kelurahan, "Kel"),
            _region(rng, kecamatan, "Kec"),
            "Kota Balikpapan",
            "Kalimantan Timur",
            jenis,
            pola,
            kelompok,
            "Perdagangan",
            "Aktif" if index % 5 else "Tidak Aktif",
            2020 + index % 6,
            members // 2,
            members - members // 2,
            index % 3,
            index % 12,
            _money(rng, 1_000_000 * (1 + index % 500)),
            _money(rng, 500_000 * (index % 40)),
            _money(rng, 2_000_000 * (1 + index % 300)),
            _money(rng, 3_000_000 * (1 + index % 700)),
            _money(rng, 100_000 * (index % 90)),
            f"{FIRST[index % len(FIRST)]} {LAST[index % len(LAST)]}",
            f"08{index:010d}"[:12],
            f"kop{index}@contoh.id",
            "",
        ]
        # Every ``spacing``-th row gets the next fault in turn. A repeated NIK
        # makes two rows faulty (both are rejected), so six faults make seven
        # faulty rows: the spacing gives ``error_percent`` of faulty rows.
        if spacing and index % spacing == 0:
            fault = FAULTS[(index // spacing) % len(FAULTS)]
            if fault == "short_nik":
                # A blank NIK is no fault: a cooperative without one yet.
                row[1] = "12345"
            elif fault == "unknown_jenis":
                row[10], row[12] = "Koperasi Entah", ""
            elif fault == "negative_money":
                row[23] = "-1.500.000"
            elif fault == "wrong_kelurahan":
                row[6], row[7] = "Manggar", "Balikpapan Barat"
            elif fault == "future_date":
                row[4] = "12/07/2099"
            elif fault == "repeated_nik":
                row[1] = str(nik_number - 1)
        yield row


# The kelompok labels as the ministry's ODS writes them, with the jenis and pola
# columns as such rows carry them (blank where the kelompok implies the jenis).
MINISTRY = [
    ("", "", "Koperasi Pegawai Republik Indonesia (KPRI)"),
    ("Konsumen", "", "Koperasi Karyawan (Kopkar)"),
    ("", "", "Koperasi Mahasiswa"),
    ("", "", "Koperasi Pensiunan"),
    ("Konsumen", "Konvensional", "Koperasi Serba Usaha (KSU)"),
    ("Konsumen", "", "Koperasi Desa/Kelurahan Merah Putih"),
    ("", "", "Koperasi Simpan Pinjam dan Pembiayaan Syariah (KSPPS)"),
    ("", "", "Koperasi Kredit"),
    ("", "", "Koperasi Jasa Tenaga Kerja"),
    ("Pemasaran", "", "Koperasi Pedagang Pasar"),
    ("", "", "Koperasi Industri Kerajinan"),
    ("Produsen", "", "Koperasi Unit Desa (KUD)"),
    ("Konsumen", "", "Lainnya"),
]
# Kabupaten/kota of a national export (Kota Balikpapan aside), as ODS names them.
OTHER_KABKOTA = [
    f"{kind} {name}"
    for kind, names in (
        (
            "Kabupaten",
            [
                "Paser", "Kutai Barat", "Kutai Kartanegara", "Kutai Timur", "Berau",
                "Penajam Paser Utara", "Mahakam Ulu", "Bogor", "Bandung", "Garut",
                "Sleman", "Bantul", "Malang", "Jember", "Banyuwangi", "Deli Serdang",
                "Gowa", "Badung", "Lombok Barat", "Kupang", "Jayapura", "Sidoarjo",
            ],
        ),
        (
            "Kota",
            [
                "Samarinda", "Bontang", "Jakarta Selatan", "Surabaya", "Medan",
                "Makassar", "Semarang", "Yogyakarta", "Denpasar", "Pontianak",
                "Banjarmasin", "Manado", "Padang", "Palembang", "Mataram",
            ],
        ),
    )
    for name in names
]  # fmt: skip


def ministry_rows(
    count: int, *, seed: int = 2026, error_percent: float = 0.0, national: bool = False
) -> Iterator[list[Any]]:
    """``rows`` laid out as the ministry's export writes them: its kelompok labels,
    jenis left blank where the kelompok implies it. ``national``: about 99% of the
    rows belong to the 37 kab/kota in OTHER_KABKOTA (a national export), the rest
    to Kota Balikpapan."""
    rng = random.Random(seed + 1)
    for index, row in enumerate(rows(count, seed=seed, error_percent=error_percent)):
        if row[10] != "Koperasi Entah":  # keep the "unknown jenis" fault
            row[10], row[11], row[12] = MINISTRY[index % len(MINISTRY)]
        if national and index % 90:
            row[8] = OTHER_KABKOTA[rng.randrange(len(OTHER_KABKOTA))]
            row[7] = f"Kec. {WORDS[index % len(WORDS)]} {index % 17}"
            row[6] = f"Desa {WORDS[(index // 7) % len(WORDS)]}"
        yield row


def city_rows() -> Iterator[list[Any]]:
    """The office's published figures as a ministry export: the demo city's 587
    cooperatives (440 aktif: 354 konsumen, 33 produsen, 14 pemasaran, 19 jasa, 15
    simpan pinjam konvensional, 5 syariah), every one with a NIK and a ministry
    kelompok label that gives the jenis the figures count."""
    from cooperatives.demo import generate
    from cooperatives.models import CooperativeStatus, Jenis, Pola

    labels: dict[tuple[str, str], list[tuple[str, str, str]]] = {
        (Jenis.KONSUMEN, Pola.KONVENSIONAL): [
            ("", "", "Koperasi Pegawai Republik Indonesia (KPRI)"),
            ("", "", "Koperasi Mahasiswa"),
            ("Konsumen", "", "Koperasi Unit Desa (KUD)"),
            ("", "", "Koperasi Pensiunan"),
            ("Konsumen", "", "Koperasi Desa/Kelurahan Merah Putih"),
        ],
        (Jenis.PRODUSEN, Pola.KONVENSIONAL): [
            ("", "", "Koperasi Industri Kerajinan"),
            ("Produsen", "", "Lainnya"),
        ],
        (Jenis.PEMASARAN, Pola.KONVENSIONAL): [
            ("Pemasaran", "", "Koperasi Pedagang Pasar")
        ],
        (Jenis.JASA, Pola.KONVENSIONAL): [("", "", "Koperasi Jasa Tenaga Kerja")],
        (Jenis.SIMPAN_PINJAM, Pola.KONVENSIONAL): [("", "", "Koperasi Kredit")],
        (Jenis.SIMPAN_PINJAM, Pola.SYARIAH): [
            ("", "", "Koperasi Simpan Pinjam dan Pembiayaan Syariah (KSPPS)")
        ],
    }
    status_words: dict[str, str] = {
        CooperativeStatus.AKTIF: "Aktif",
        CooperativeStatus.TIDAK_AKTIF: "Tidak Aktif",
        CooperativeStatus.DALAM_PEMBUBARAN: "Dalam Proses Pembubaran",
        CooperativeStatus.DIBUBARKAN: "Dibubarkan",
    }
    for index, coop in enumerate(generate(), start=1):
        choices = labels[(coop.jenis, coop.pola)]
        jenis, pola, kelompok = choices[index % len(choices)]
        kelurahan_names = REGIONS[coop.kecamatan]
        figures = coop.figures.get(2025) or coop.figures.get(2023) or {}
        yield [
            index,
            coop.nik or f"6471{index:012d}",
            coop.name,
            coop.nomor_badan_hukum,
            coop.tanggal_badan_hukum,
            coop.address,
            kelurahan_names[coop.kelurahan_index % len(kelurahan_names)],
            coop.kecamatan,
            "KOTA BALIKPAPAN",
            "KALIMANTAN TIMUR",
            jenis,
            pola,
            kelompok,
            coop.sektor_usaha,
            status_words[coop.status],
            coop.last_rat_date.year if coop.last_rat_date else "",
            figures.get("members_male", ""),
            figures.get("members_female", ""),
            figures.get("managers", ""),
            figures.get("employees", ""),
            figures.get("modal_sendiri", ""),
            figures.get("modal_luar", ""),
            figures.get("volume_usaha", ""),
            figures.get("aset", ""),
            figures.get("shu", ""),
            coop.officers[0].name if coop.officers else "",
            coop.phone,
            "",
            "",
        ]


def write(
    path: Path,
    count: int,
    *,
    seed: int = 2026,
    error_percent: float = 0.0,
    layout: str = "clean",
) -> Path:
    """A file of ``count`` rows; ``layout`` "clean" (``rows``), "ministry" or
    "national" (``ministry_rows``)."""
    if layout == "clean":
        data = rows(count, seed=seed, error_percent=error_percent)
    else:
        data = ministry_rows(
            count,
            seed=seed,
            error_percent=error_percent,
            national=layout == "national",
        )
    return write_rows(path, data)


def write_rows(path: Path, data: Iterable[list[Any]]) -> Path:
    """Rows in HEADERS order under the title rows, as .xlsx or .csv."""
    path.parent.mkdir(parents=True, exist_ok=True)  # var/bench on a fresh clone
    if path.suffix == ".csv":
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow([TITLE[0]])
            writer.writerow(HEADERS)
            for row in data:
                writer.writerow([_csv(cell) for cell in row])
        return path
    import xlsxwriter

    # Shared strings, as Excel writes them (constant_memory would write inline strings).
    workbook = xlsxwriter.Workbook(str(path))
    notes = workbook.add_worksheet("Petunjuk")
    notes.write(0, 0, "Ekspor ODS — lihat lembar Data")
    sheet = workbook.add_worksheet("Data")
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, [TITLE[0]])
    sheet.write_row(1, 0, [TITLE[1]])
    sheet.write_row(3, 0, HEADERS)
    for number, row in enumerate(data, start=4):
        for column, cell in enumerate(row):
            if isinstance(cell, datetime.date):
                sheet.write_datetime(number, column, cell, date_format)
            elif isinstance(cell, Decimal):
                sheet.write_number(number, column, float(cell))
            elif cell != "":
                sheet.write(number, column, cell)
    workbook.close()
    return path


def _csv(cell: Any) -> Any:
    if isinstance(cell, datetime.date):
        return cell.strftime("%d/%m/%Y")
    return cell


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--errors", type=float, default=0.0)
    parser.add_argument(
        "--layout", choices=("clean", "ministry", "national"), default="clean"
    )
    arguments = parser.parse_args()
    write(
        arguments.out,
        arguments.rows,
        seed=arguments.seed,
        error_percent=arguments.errors,
        layout=arguments.layout,
    )
    print(arguments.out)
