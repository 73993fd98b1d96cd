"""Sending regions: regencies with their Kemendagri codes, the head of every NIK.

Codes are Kemendagri's (``PP.KK.CC``). District numbers are drawn from 01 up to a
conservative count of each regency's districts, so every six-digit prefix is a real one.
Province shares follow the BP2MI ranking of sending provinces (East Java, Central Java,
West Java, NTB, Lampung, North Sumatra, ...); the exact shares are an assumption (memory,
unverified) and are stated with the other targets in ``targets.py``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Regency:
    code: str  # four digits: province and regency
    name: str
    districts: int  # district codes 01..districts are drawn
    weight: float  # share within the province
    culture: str  # naming practice: JAVA, SUNDA, SASAK, BALI, NTT, BATAK, BUGIS_MALAY


# province code -> (name, share of all workers in percent)
PROVINCE_SHARES: dict[str, tuple[str, float]] = {
    "35": ("Jawa Timur", 24.0),
    "33": ("Jawa Tengah", 21.0),
    "32": ("Jawa Barat", 20.0),
    "52": ("Nusa Tenggara Barat", 12.0),
    "18": ("Lampung", 7.0),
    "12": ("Sumatera Utara", 4.5),
    "51": ("Bali", 3.0),
    "36": ("Banten", 2.5),
    "53": ("Nusa Tenggara Timur", 2.5),
    "61": ("Kalimantan Barat", 2.0),
    "73": ("Sulawesi Selatan", 1.5),
}

_J, _S, _K, _B, _T, _H, _M = "JAVA", "SUNDA", "SASAK", "BALI", "NTT", "BATAK", "BUGIS_MALAY"

REGENCIES: tuple[Regency, ...] = (
    Regency("3501", "Pacitan", 12, 2, _J),
    Regency("3502", "Ponorogo", 21, 10, _J),
    Regency("3503", "Trenggalek", 14, 4, _J),
    Regency("3504", "Tulungagung", 19, 10, _J),
    Regency("3505", "Blitar", 22, 12, _J),
    Regency("3506", "Kediri", 26, 8, _J),
    Regency("3507", "Malang", 33, 14, _J),
    Regency("3508", "Lumajang", 21, 4, _J),
    Regency("3509", "Jember", 31, 6, _J),
    Regency("3510", "Banyuwangi", 24, 9, _J),
    Regency("3519", "Madiun", 15, 5, _J),
    Regency("3520", "Magetan", 18, 4, _J),
    Regency("3521", "Ngawi", 19, 4, _J),
    Regency("3524", "Lamongan", 27, 4, _J),
    Regency("3525", "Gresik", 18, 2, _J),
    Regency("3527", "Sampang", 14, 2, _J),
    Regency("3528", "Pamekasan", 13, 2, _J),
    Regency("3529", "Sumenep", 27, 2, _J),
    Regency("3301", "Cilacap", 24, 16, _J),
    Regency("3302", "Banyumas", 27, 6, _J),
    Regency("3303", "Purbalingga", 18, 3, _J),
    Regency("3304", "Banjarnegara", 20, 3, _J),
    Regency("3305", "Kebumen", 26, 8, _J),
    Regency("3312", "Wonogiri", 25, 3, _J),
    Regency("3315", "Grobogan", 19, 6, _J),
    Regency("3318", "Pati", 21, 6, _J),
    Regency("3320", "Jepara", 16, 3, _J),
    Regency("3324", "Kendal", 20, 9, _J),
    Regency("3327", "Pemalang", 14, 5, _J),
    Regency("3328", "Tegal", 18, 5, _J),
    Regency("3329", "Brebes", 17, 10, _J),
    Regency("3202", "Sukabumi", 30, 8, _S),
    Regency("3203", "Cianjur", 30, 10, _S),
    Regency("3205", "Garut", 30, 3, _S),
    Regency("3208", "Kuningan", 30, 3, _S),
    Regency("3209", "Cirebon", 30, 16, _J),
    Regency("3210", "Majalengka", 20, 6, _S),
    Regency("3212", "Indramayu", 30, 22, _J),
    Regency("3213", "Subang", 30, 10, _S),
    Regency("3214", "Purwakarta", 17, 3, _S),
    Regency("3215", "Karawang", 30, 8, _S),
    Regency("5201", "Lombok Barat", 10, 4, _K),
    Regency("5202", "Lombok Tengah", 12, 10, _K),
    Regency("5203", "Lombok Timur", 20, 14, _K),
    Regency("5204", "Sumbawa", 20, 2, _K),
    Regency("5206", "Bima", 18, 2, _K),
    Regency("5208", "Lombok Utara", 5, 2, _K),
    Regency("1802", "Tanggamus", 20, 2, _J),
    Regency("1803", "Lampung Selatan", 17, 3, _J),
    Regency("1804", "Lampung Timur", 24, 8, _J),
    Regency("1805", "Lampung Tengah", 28, 5, _J),
    Regency("1806", "Lampung Utara", 23, 2, _J),
    Regency("1205", "Langkat", 23, 3, _M),
    Regency("1207", "Deli Serdang", 22, 4, _J),
    Regency("1208", "Simalungun", 31, 2, _H),
    Regency("1209", "Asahan", 25, 3, _M),
    Regency("5101", "Jembrana", 5, 2, _B),
    Regency("5102", "Tabanan", 10, 2, _B),
    Regency("5107", "Karangasem", 8, 2, _B),
    Regency("5108", "Buleleng", 9, 4, _B),
    Regency("3601", "Pandeglang", 35, 2, _S),
    Regency("3602", "Lebak", 28, 2, _S),
    Regency("3604", "Serang", 29, 3, _S),
    Regency("5303", "Kupang", 24, 2, _T),
    Regency("5304", "Timor Tengah Selatan", 32, 3, _T),
    Regency("5305", "Timor Tengah Utara", 24, 1, _T),
    Regency("6101", "Sambas", 19, 3, _M),
    Regency("7302", "Bulukumba", 10, 1, _M),
    Regency("7308", "Bone", 27, 1, _M),
)

VILLAGES: dict[str, tuple[str, ...]] = {
    _J: (
        "Sumberejo",
        "Karangrejo",
        "Sidomulyo",
        "Tegalrejo",
        "Mulyorejo",
        "Banjarsari",
        "Kedungrejo",
        "Sukorejo",
        "Wonosari",
        "Purwodadi",
        "Ngadirejo",
        "Sidorejo",
    ),
    _S: (
        "Sukamaju",
        "Sukamulya",
        "Margamulya",
        "Cibodas",
        "Sindangsari",
        "Cikalong",
        "Mekarsari",
        "Sukasari",
        "Cimanggu",
        "Jayamukti",
    ),
    _K: (
        "Sakra",
        "Masbagik",
        "Aikmel",
        "Pringgabaya",
        "Jerowaru",
        "Praya",
        "Kopang",
        "Sukamulia",
        "Batukliang",
        "Labuhan Haji",
    ),
    _B: ("Banjar Tegal", "Sidemen", "Seririt", "Kubutambahan", "Pupuan", "Negara", "Abang"),
    _T: ("Oelbiteno", "Noelbaki", "Niki-Niki", "Soe", "Oinlasi", "Kefa", "Baun"),
    _H: ("Pematang Raya", "Tiga Dolok", "Saribu Dolok", "Parapat", "Sipispis"),
    _M: ("Tebas", "Pemangkat", "Sejangkung", "Tanjung Pura", "Kisaran", "Watampone", "Gantarang"),
}
