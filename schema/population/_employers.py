"""Employers: households (people's names in the local practice) and companies by country.

Domestic and care work is mostly for households; the rest for companies. In Saudi Arabia
the one-channel scheme (SPSK, Kepmenaker 291/2018) places household workers through Saudi
companies (*syarikah*), which is what keeps such a placement outside the moratorium.
"""

from __future__ import annotations

from collections.abc import Callable

_CANTONESE = (
    ("Chan", "Wong", "Lee", "Cheung", "Lau", "Ho", "Ng", "Leung", "Lam", "Tsang", "Yip", "Chow"),
    (
        "Tai Man",
        "Siu Ming",
        "Ka Yan",
        "Wai Kei",
        "Mei Ling",
        "Chi Keung",
        "Kwok Wing",
        "Yuk Lan",
        "Ho Yin",
        "Suk Fan",
    ),
)
_TAIWANESE = (
    ("Chen", "Lin", "Huang", "Chang", "Li", "Wang", "Wu", "Liu", "Tsai", "Yang"),
    (
        "Mei-Hua",
        "Chih-Ming",
        "Shu-Fen",
        "Chun-Hung",
        "Ya-Ting",
        "Wen-Chieh",
        "Li-Chen",
        "Kuo-Hua",
        "Hsiu-Ying",
        "Chien-Hung",
    ),
)
_SINGAPOREAN = (
    ("Tan", "Lim", "Lee", "Ng", "Ong", "Wong", "Goh", "Chua", "Koh", "Teo"),
    (
        "Ah Kow",
        "Wei Ling",
        "Boon Huat",
        "Mei Xin",
        "Kok Leong",
        "Hui Min",
        "Siew Lan",
        "Chee Keong",
    ),
)
_ARABIC = (
    (
        "Abdullah",
        "Mohammed",
        "Khalid",
        "Fahd",
        "Saud",
        "Faisal",
        "Sultan",
        "Nasser",
        "Ali",
        "Omar",
        "Hamad",
        "Yousef",
    ),
    (
        "Al-Harbi",
        "Al-Otaibi",
        "Al-Qahtani",
        "Al-Ghamdi",
        "Al-Zahrani",
        "Al-Dosari",
        "Al-Shehri",
        "Al-Mutairi",
        "Al-Mansouri",
        "Al-Kuwari",
        "Al-Balushi",
        "Al-Hashimi",
    ),
)
_MALAY = (
    (
        "Ahmad",
        "Mohd Faizal",
        "Rosli",
        "Azman",
        "Noraini",
        "Siti Hajar",
        "Zulkifli",
        "Hassan",
        "Awang",
        "Haji Osman",
    ),
    ("Ismail", "Abdullah", "Yusof", "Hamid", "Rahman", "Ibrahim", "Salleh", "Omar"),
)
_TURKISH = (
    ("Mehmet", "Ayse", "Mustafa", "Fatma", "Ahmet", "Emine"),
    ("Yilmaz", "Kaya", "Demir", "Sahin", "Celik", "Aydin"),
)
_ITALIAN = (
    ("Giuseppe", "Maria", "Giovanni", "Anna", "Marco", "Lucia"),
    ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano"),
)

_HOUSEHOLD = {
    "HK": _CANTONESE,
    "MO": _CANTONESE,
    "TW": _TAIWANESE,
    "SG": _SINGAPOREAN,
    "MY": _MALAY,
    "BN": _MALAY,
    "SA": _ARABIC,
    "AE": _ARABIC,
    "QA": _ARABIC,
    "KW": _ARABIC,
    "OM": _ARABIC,
    "BH": _ARABIC,
    "JO": _ARABIC,
    "TR": _TURKISH,
    "IT": _ITALIAN,
}

_COMPANY_HEADS = {
    "KR": ("Daehan", "Hanil", "Samwon", "Sejin", "Dongyang", "Kumho", "Shinwoo", "Daewon"),
    "JP": ("Yamada", "Tanaka", "Suzuki", "Sato", "Kato", "Nakamura", "Hokuriku", "Tokai"),
    "TW": ("Hsin Feng", "Tai Hua", "Chung Yi", "Yung Sheng", "Da Tung", "Fu Chen"),
    "MY": ("Sawit Jaya", "Ladang Permai", "Borneo Agro", "Kinabalu", "Mutiara", "Seri Alam"),
    "SG": ("Lion City", "Merlion", "Straits", "Kallang"),
    "HK": ("Pearl River", "Harbour View", "Golden Dragon"),
    "MO": ("Lotus", "Cotai"),
    "BN": ("Belait", "Tutong", "Seria"),
    "DE": ("Klinikum", "Pflegedienst", "Seniorenheim"),
    "PL": ("Polska", "Mazowsze", "Wielkopolska"),
    "IT": ("Adriatica", "Tirrenia"),
    "TR": ("Anadolu", "Bosphorus"),
}
_GULF_HEADS = ("Al Noor", "Gulf Star", "Al Jazeera", "Desert Rose", "Al Waha", "Crescent")
_SECTOR_WORD = {
    "MANUFACTURING": ("Precision", "Metal", "Industrial", "Plastics", "Electronics"),
    "PLANTATION": ("Plantation", "Agro", "Farm"),
    "CONSTRUCTION": ("Construction", "Engineering", "Builders"),
    "FISHERIES_SEA": ("Fishery", "Marine", "Ocean Fishing"),
    "HOSPITALITY": ("Hotel", "Restaurant", "Resort"),
    "CARE": ("Care Center", "Nursing Home", "Senior Living"),
    "DOMESTIC": ("Home Services",),
    "OTHER": ("Services", "Logistics", "Facility Management"),
}
_LEGAL = {
    "MY": "Sdn Bhd",
    "BN": "Sdn Bhd",
    "SG": "Pte Ltd",
    "DE": "GmbH",
    "PL": "Sp. z o.o.",
    "IT": "S.r.l.",
    "TR": "A.S.",
    "KR": "Co., Ltd.",
    "JP": "Co., Ltd.",
    "TW": "Co., Ltd.",
    "HK": "Limited",
    "MO": "Limited",
}
_SYARIKAH = ("Maharah", "Saed", "Al Mawarid", "Smasco", "Nusuk", "Ajeer")


def _of(pool: tuple[str, ...], u: float) -> str:
    return pool[int(u * len(pool))]


def employer_name(country: str, sector: str, spsk: bool, r: Callable[[], float]) -> str:
    """A household's or a company's name; ``spsk`` makes a Saudi syarikah."""
    if spsk:
        return f"Syarikah {_of(_SYARIKAH, r())} for Manpower"
    household = _HOUSEHOLD.get(country)
    if household is not None and sector in ("DOMESTIC", "CARE"):
        first, second = household
        return f"{_of(first, r())} {_of(second, r())}"
    heads = _COMPANY_HEADS.get(country, _GULF_HEADS)
    legal = _LEGAL.get(country, "LLC")
    return f"{_of(heads, r())} {_of(_SECTOR_WORD[sector], r())} {legal}"
