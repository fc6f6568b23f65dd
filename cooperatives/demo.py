"""A deterministic demo Kota Balikpapan: the office's published figures, invented names.

587 cooperatives in the registry, 440 of them aktif with the jenis counts the Dinas
reported for 2024/25, spread over the kecamatan in the reported proportions (the
published kecamatan counts sum to 439, so Balikpapan Kota gets one more). Everything
comes from one seeded random generator: the same data on every machine.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from .models import Bentuk, CooperativeStatus, Jenis, Pola, Position

SEED = 2024
FIGURE_YEARS = (2023, 2024, 2025)

# (jenis, pola) -> count, for the aktif cooperatives and for the others.
AKTIF_BY_JENIS = {
    (Jenis.JASA, Pola.KONVENSIONAL): 19,
    (Jenis.KONSUMEN, Pola.KONVENSIONAL): 354,
    (Jenis.PEMASARAN, Pola.KONVENSIONAL): 14,
    (Jenis.SIMPAN_PINJAM, Pola.KONVENSIONAL): 15,
    (Jenis.SIMPAN_PINJAM, Pola.SYARIAH): 5,
    (Jenis.PRODUSEN, Pola.KONVENSIONAL): 33,
}
INACTIVE_BY_JENIS = {
    (Jenis.KONSUMEN, Pola.KONVENSIONAL): 100,
    (Jenis.SIMPAN_PINJAM, Pola.KONVENSIONAL): 20,
    (Jenis.PRODUSEN, Pola.KONVENSIONAL): 12,
    (Jenis.JASA, Pola.KONVENSIONAL): 8,
    (Jenis.PEMASARAN, Pola.KONVENSIONAL): 7,
}
AKTIF_BY_KECAMATAN = {
    "Balikpapan Barat": 36,
    "Balikpapan Tengah": 62,
    "Balikpapan Kota": 144,
    "Balikpapan Selatan": 82,
    "Balikpapan Utara": 76,
    "Balikpapan Timur": 40,
}
INACTIVE_BY_KECAMATAN = {
    "Balikpapan Barat": 12,
    "Balikpapan Tengah": 21,
    "Balikpapan Kota": 48,
    "Balikpapan Selatan": 27,
    "Balikpapan Utara": 26,
    "Balikpapan Timur": 13,
}
INACTIVE_STATUSES = (
    [CooperativeStatus.TIDAK_AKTIF] * 118
    + [CooperativeStatus.DALAM_PEMBUBARAN] * 17
    + [CooperativeStatus.DIBUBARKAN] * 12
)

_PREFIX = {
    Jenis.KONSUMEN: [
        "Koperasi Konsumen",
        "Koperasi Karyawan",
        "KPRI",
        "Koperasi Serba Usaha",
    ],
    Jenis.PRODUSEN: ["Koperasi Produsen", "Koperasi Tani", "Koperasi Nelayan"],
    Jenis.PEMASARAN: ["Koperasi Pemasaran", "Koperasi Pasar"],
    Jenis.JASA: ["Koperasi Jasa", "Koperasi Angkutan"],
    Jenis.SIMPAN_PINJAM: ["Koperasi Simpan Pinjam"],
}
_KELOMPOK = {
    "Koperasi Karyawan": "KOPKAR",
    "KPRI": "KPRI",
    "Koperasi Serba Usaha": "KSU",
    "Koperasi Tani": "KOPTAN",
    "Koperasi Nelayan": "KOPNEL",
    "Koperasi Pasar": "KOPAS",
    "Koperasi Angkutan": "KOPANG",
    "Koperasi Simpan Pinjam": "KSP",
    "KSPPS": "KSPPS",
}
_SECTOR = {
    Jenis.KONSUMEN: "Perdagangan eceran",
    Jenis.PRODUSEN: "Pertanian dan perikanan",
    Jenis.PEMASARAN: "Perdagangan",
    Jenis.JASA: "Transportasi dan jasa",
    Jenis.SIMPAN_PINJAM: "Jasa keuangan",
}
WORDS = [
    "Sejahtera",
    "Mandiri",
    "Makmur",
    "Bersama",
    "Maju",
    "Jaya",
    "Sentosa",
    "Berkah",
    "Harapan",
    "Karya",
    "Bina",
    "Mitra",
    "Amanah",
    "Bahari",
    "Borneo",
    "Manuntung",
    "Teluk",
    "Beruang Madu",
    "Sinar",
    "Cahaya",
    "Abadi",
    "Lestari",
    "Gemilang",
    "Persada",
    "Madani",
    "Bumi",
    "Etam",
    "Sepakat",
    "Rukun",
    "Sakti",
]
_FIRST = [
    "Ahmad",
    "Siti",
    "Budi",
    "Dewi",
    "Rahmat",
    "Nur",
    "Agus",
    "Sri",
    "Hendra",
    "Wahyuni",
    "Yusuf",
    "Fitri",
    "Andi",
    "Rina",
    "Syamsul",
    "Lina",
    "Muhammad",
    "Ratna",
    "Darmawan",
    "Hasanah",
]
_LAST = [
    "Saputra",
    "Wijaya",
    "Hidayat",
    "Lestari",
    "Kurniawan",
    "Rahmawati",
    "Pratama",
    "Susanti",
    "Nugroho",
    "Hartono",
    "Syahrani",
    "Baso",
    "Daeng",
    "Rusdi",
    "Aminah",
    "Setiawan",
]
_STREETS = [
    "Jl. Jenderal Sudirman",
    "Jl. MT Haryono",
    "Jl. Soekarno-Hatta",
    "Jl. Ahmad Yani",
    "Jl. Mulawarman",
    "Jl. Syarifuddin Yoes",
    "Jl. Marsma Iswahyudi",
    "Jl. Letjen Suprapto",
    "Jl. Pupuk Raya",
    "Jl. Gunung Malang",
]


@dataclass
class DemoOfficer:
    name: str
    position: str
    phone: str


@dataclass
class DemoCooperative:
    name: str
    nik: str | None
    nomor_badan_hukum: str
    tanggal_badan_hukum: datetime.date
    address: str
    kecamatan: str
    kelurahan_index: int
    jenis: str
    pola: str
    bentuk: str
    kelompok_code: str | None
    sektor_usaha: str
    phone: str
    status: str
    last_rat_date: datetime.date | None
    nik_expiry_date: datetime.date | None
    figures: dict[int, dict[str, object]] = field(default_factory=dict)
    officers: list[DemoOfficer] = field(default_factory=list)


K = TypeVar("K")


def _spread(counts: dict[K, int], rng: random.Random) -> list[K]:
    items = [key for key, n in counts.items() for _ in range(n)]
    rng.shuffle(items)
    return items


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low, high) * 1000)


def _figures(rng: random.Random, aktif: bool) -> dict[int, dict[str, object]]:
    members = rng.randint(20, 900)
    aset = rng.randint(50_000, 12_000_000)  # thousands of Rupiah
    result = {}
    for year in FIGURE_YEARS:
        if not aktif and year > FIGURE_YEARS[0]:
            break  # inactive cooperatives stopped reporting
        members = max(9, int(members * rng.uniform(0.95, 1.10)))
        aset = int(aset * rng.uniform(0.97, 1.15))
        male = int(members * rng.uniform(0.3, 0.7))
        modal_sendiri = int(aset * rng.uniform(0.3, 0.8))
        result[year] = {
            "members_male": male,
            "members_female": members - male,
            "managers": rng.randint(0, 2),
            "employees": rng.randint(0, 25),
            "modal_sendiri": Decimal(modal_sendiri * 1000),
            "modal_luar": Decimal((aset - modal_sendiri) * 1000),
            "aset": Decimal(aset * 1000),
            "volume_usaha": _money(rng, aset // 4 + 1, aset * 2 + 2),
            "shu": Decimal(int(aset * rng.uniform(-0.02, 0.08)) * 1000),
        }
    return result


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


# Prefixes of Indonesia's mobile networks: a demo number takes WhatsApp.
_MOBILE_PREFIXES = [
    "0811",
    "0812",
    "0813",
    "0821",
    "0822",
    "0852",
    "0853",
    "0856",
    "0857",
    "0877",
    "0881",
    "0895",
]


def _phone(rng: random.Random) -> str:
    return f"{rng.choice(_MOBILE_PREFIXES)}{rng.randint(10_000_000, 99_999_999)}"


# One aktif cooperative in six (74 of 440) held a RAT in the last three years;
# with the demo's 40 accepted RAT reports, about 100 are really active.
RECENT_RAT_EVERY = 6


def generate() -> list[DemoCooperative]:
    rng = random.Random(SEED)
    plan = [
        (True, jenis_pola, kec, CooperativeStatus.AKTIF)
        for jenis_pola, kec in zip(
            _spread(AKTIF_BY_JENIS, rng), _spread(AKTIF_BY_KECAMATAN, rng), strict=True
        )
    ]
    statuses = list(INACTIVE_STATUSES)
    rng.shuffle(statuses)
    plan += [
        (False, jenis_pola, kec, status)
        for jenis_pola, kec, status in zip(
            _spread(INACTIVE_BY_JENIS, rng),
            _spread(INACTIVE_BY_KECAMATAN, rng),
            statuses,
            strict=True,
        )
    ]
    names: set[str] = set()
    result = []
    for number, (aktif, (jenis, pola), kecamatan, status) in enumerate(plan, start=1):
        prefix = "KSPPS" if pola == Pola.SYARIAH else rng.choice(_PREFIX[jenis])
        name = f"{prefix} {rng.choice(WORDS)} {rng.choice(WORDS)}"
        while name in names:
            name = f"{name} {rng.randint(2, 99)}"
        names.add(name)
        founded = datetime.date(
            rng.randint(1978, 2022), rng.randint(1, 12), rng.randint(1, 28)
        )
        if founded.year >= 2013:
            badan_hukum = (
                f"AHU-{rng.randint(1000, 99999):07d}.AH.01.26.TAHUN {founded.year}"
            )
        else:
            badan_hukum = f"{rng.randint(100, 9999)}/BH/XVI/{founded.year}"
        has_nik = aktif or rng.random() < 0.6
        rat: datetime.date | None
        if aktif:
            rat = datetime.date(
                rng.choice((2024, 2025, 2026)), rng.randint(2, 6), rng.randint(1, 28)
            )
            if number % RECENT_RAT_EVERY != 1:
                # Aktif on paper only: its last RAT is years old.
                rat = rat.replace(year=rat.year - 6)
        else:
            rat = (
                datetime.date(
                    rng.randint(2012, 2021), rng.randint(2, 6), rng.randint(1, 28)
                )
                if rng.random() < 0.7
                else None
            )
        officers = [
            DemoOfficer(_person(rng), position, _phone(rng))
            for position in (Position.KETUA, Position.SEKRETARIS, Position.BENDAHARA)
        ]
        result.append(
            DemoCooperative(
                name=name,
                nik=f"6471{number:012d}" if has_nik else None,
                nomor_badan_hukum=badan_hukum,
                tanggal_badan_hukum=founded,
                address=f"{rng.choice(_STREETS)} No. {rng.randint(1, 250)}",
                kecamatan=str(kecamatan),
                kelurahan_index=rng.randint(0, 9),
                jenis=jenis,
                pola=pola,
                bentuk=Bentuk.SEKUNDER if rng.random() < 0.02 else Bentuk.PRIMER,
                kelompok_code=_KELOMPOK.get(prefix),
                sektor_usaha=_SECTOR[jenis],
                phone=_phone(rng),
                status=status,
                last_rat_date=rat,
                nik_expiry_date=datetime.date(2027, rng.randint(1, 12), 1)
                if has_nik
                else None,
                figures=_figures(rng, aktif),
                officers=officers,
            )
        )
    return result
