"""Indonesian names by naming practice, and each agency's own way of writing them.

Javanese and Sundanese names are often a single word (Sumiati, Painem); Muslim names add
"bin/binti <father>" on documents; Balinese names carry birth-order names (Wayan, Made,
Nyoman, Ketut); names in NTT and among the Batak end in a family name. Agencies then write
the same person differently: upper case, with or without "binti <father>" (or BT/BN),
Muhammad as Muhamad/Mohammad/Moch., joined or split names (Nurhayati / Nur Hayati), and
small typos. ``spell`` produces those variants.
"""

from __future__ import annotations

from collections.abc import Callable

Tokens = tuple[str, ...]


def _words(text: str) -> Tokens:
    return tuple(text.split())


_ISLAMIC_F = _words(
    "Siti Nur Umi Dewi Sri Ani Rina Yuli Dwi Tri Eka Fitri Indah Ratna Lilik Endang Ika "
    "Nurul Dian Wahyu"
)
_ISLAMIC_F_LAST = _words(
    "Aminah Wahyuni Rahayu Lestari Wulandari Hayati Astuti Handayani Susanti Purwanti "
    "Ningsih Suryani Yuliani Kurniawati Fatimah Khotimah Mariyam Maesaroh Anggraini "
    "Rahmawati Setyowati Utami Safitri Aini Jannah Halimah"
)
_JAVA_F_SINGLE = _words(
    "Sumiati Painem Sulastri Suwarni Tukinah Kasiyem Sutini Wartini Sumarni Rukmini "
    "Karsinah Juwariyah Nurhayati Nuraini Nurjanah Mujiati Sarmi Tumini Masriah Sukarti"
)
_ISLAMIC_M = _words(
    "Muhammad Muhammad Muhammad Ahmad Agus Budi Eko Joko Heri Dwi Tri Bambang Edi Arif "
    "Imam Nur Abdul Rudi Andi Fajar Dedi Wahyu Bayu Rizki"
)
_ISLAMIC_M_LAST = _words(
    "Santoso Setiawan Prasetyo Hidayat Saputra Kurniawan Nugroho Susanto Wibowo Purnomo "
    "Riyadi Hartono Fauzi Hakim Syaifudin Maulana Ikhsan Rohman Arifin Anwar Hasan "
    "Mustofa Ridwan Sholeh Yusuf Rizki"
)
_JAVA_M_SINGLE = _words(
    "Sutrisno Suparman Sukirman Slamet Sugeng Supriyadi Sumarno Paimin Sarno Karyono "
    "Waluyo Darmaji Tukiman Sahroni Karno Abdullah Kasman Ngadimin"
)
_SUNDA_F = _words("Euis Iis Neng Cucu Enung Imas Yayah Entin Tati Lilis Nining Titin Siti Nur Dede")
_SUNDA_F_LAST = _words(
    "Sumiati Rohaeti Kurniasih Komalasari Nurhasanah Jubaedah Mulyani Rosita Sukaesih "
    "Nurlela Hasanah Maryati Aisyah"
)
_SUNDA_M = _words(
    "Asep Ujang Cecep Dadang Deden Yayan Iwan Ade Aep Jajang Agus Rahmat Muhammad Ahmad"
)
_SUNDA_M_LAST = _words(
    "Saepudin Hidayat Sopian Sunarya Permana Kusnadi Ruhiyat Mulyana Supriatna Firmansyah "
    "Rohman Ramdani"
)
_SASAK_F = _words("Baiq Nurul Rabiatul Siti Sri Hurniati Marni Sahnah Nur Zuhriah")
_SASAK_F_LAST = _words(
    "Aini Adawiyah Wahyuni Hidayati Fitriani Hasanah Rohani Mardiah Jannah Aminah"
)
_SASAK_M = _words("Lalu Muhammad Ahmad Zainul Hairul Saepul Abdul Burhan Samsul Lalu")
_SASAK_M_LAST = _words("Hadi Arifin Wathoni Hamdi Majid Ihsan Rahman Aziz Fahmi Jayadi")
_BALI_ORDER = ("Putu", "Made", "Nyoman", "Ketut", "Kadek", "Komang", "Wayan", "Gede")
_BALI_F_LAST = (
    "Sari",
    "Suartini",
    "Sukerti",
    "Wirati",
    "Darmini",
    "Adnyani",
    "Sriani",
    "Ayu Lestari",
    "Puspita",
)
_BALI_M_LAST = (
    "Sudarma",
    "Suarta",
    "Adi Putra",
    "Budiarta",
    "Sutama",
    "Wirawan",
    "Darmawan",
    "Arta",
)
_NTT_F = _words("Maria Yohana Fransiska Agustina Yuliana Margaretha Elisabeth Marselina Yuliana")
_NTT_M = ("Yohanes", "Yosef", "Agustinus", "Fransiskus", "Paulus", "Petrus", "Markus", "Kornelis")
_NTT_FAMILY = _words("Nenobais Tefa Seran Kase Bria Nahak Lake Tallo Nope Banunaek Taneo Bani")
_BATAK_F = ("Rosmawati", "Lisna", "Dewi", "Rina", "Sri", "Rosdiana", "Maria", "Nurhayati")
_BATAK_M = ("Rudi", "Hendra", "Jhonson", "Roy", "Bonar", "Parlindungan", "Togar", "Maruli")
_BATAK_FAMILY = _words(
    "Siregar Nasution Simanjuntak Sinaga Harahap Lubis Sitorus Hutagalung Manurung Pane "
    "Saragih Purba"
)

MUSLIM_CULTURES = frozenset({"JAVA", "SUNDA", "SASAK", "BUGIS_MALAY"})


def _pick(pool: tuple[str, ...], u: float) -> str:
    return pool[int(u * len(pool))]


def _islamic(
    r: Callable[[], float], female: bool, first: Tokens, last: Tokens, single: Tokens
) -> Tokens:
    u = r()
    if u < 0.33:
        return (_pick(single, r()),)
    if u < 0.88:
        return (_pick(first, r()), _pick(last, r()))
    return (_pick(first, r()), _pick(last, r()), _pick(last, r()))


def make_name(culture: str, female: bool, r: Callable[[], float]) -> Tokens:
    """A canonical name as tokens in title case."""
    if culture == "SUNDA":
        if female:
            return _islamic(r, True, _SUNDA_F, _SUNDA_F_LAST, _SUNDA_F_LAST)
        return _islamic(r, False, _SUNDA_M, _SUNDA_M_LAST, _SUNDA_M_LAST)
    if culture == "SASAK":
        if female:
            return _islamic(r, True, _SASAK_F, _SASAK_F_LAST, _ISLAMIC_F_LAST)
        return _islamic(r, False, _SASAK_M, _SASAK_M_LAST, _SASAK_M_LAST)
    if culture == "BALI":
        last = _pick(_BALI_F_LAST if female else _BALI_M_LAST, r()).split()
        return ("Ni" if female else "I", _pick(_BALI_ORDER, r()), *last)
    if culture == "NTT":
        return (_pick(_NTT_F if female else _NTT_M, r()), _pick(_NTT_FAMILY, r()))
    if culture == "BATAK":
        return (_pick(_BATAK_F if female else _BATAK_M, r()), _pick(_BATAK_FAMILY, r()))
    if female:
        return _islamic(r, True, _ISLAMIC_F, _ISLAMIC_F_LAST, _JAVA_F_SINGLE)
    return _islamic(r, False, _ISLAMIC_M, _ISLAMIC_M_LAST, _JAVA_M_SINGLE)


def father_name(culture: str, r: Callable[[], float]) -> str:
    if culture in MUSLIM_CULTURES:
        if r() < 0.6:
            return _pick(_JAVA_M_SINGLE if culture != "SUNDA" else _SUNDA_M_LAST, r())
        return " ".join(make_name(culture, False, r))
    return " ".join(make_name(culture, False, r))


_MUHAMMAD = ("Muhamad", "Mohammad", "Mohamad", "Mochammad", "Moch.", "Moh.", "M.")
_VARIANTS = {"Muhammad": _MUHAMMAD, "Ahmad": ("Achmad", "Akhmad"), "Abdul": ("Abd.", "Abdoel")}
_JOINERS = frozenset({"Nur", "Abdul", "Nurul"})
_SUBSTITUTIONS = (
    ("u", "oe"),
    ("j", "dj"),
    ("y", "i"),
    ("f", "p"),
    ("kh", "h"),
    ("sy", "s"),
    ("i", "y"),
    ("c", "tj"),
)


def _join_or_split(tokens: list[str]) -> bool:
    for i in range(len(tokens) - 1):
        if tokens[i] in _JOINERS:
            tokens[i : i + 2] = [tokens[i] + tokens[i + 1].lower()]
            return True
    for i, token in enumerate(tokens):
        for joiner in ("Nurul", "Nur", "Abdul"):
            rest = token[len(joiner) :]
            if token.startswith(joiner) and len(rest) >= 3:
                tokens[i : i + 1] = [joiner, rest.capitalize()]
                return True
    return False


def typo(token: str, u: float, v: float) -> str:
    """One small misspelling of ``token``: a phonetic swap, a doubled or dropped letter."""
    low = token.lower()
    if u < 0.45:
        options = [pair for pair in _SUBSTITUTIONS if pair[0] in low[1:]]
        if options:
            old, new = options[int(v * len(options))]
            at = low.index(old, 1)
            return (low[:at] + new + low[at + len(old) :]).capitalize()
    if u < 0.6 and low.endswith("ah"):
        return token[:-1]
    if u < 0.8 and len(low) >= 4:
        at = 1 + int(v * (len(low) - 2))
        return (low[:at] + low[at] + low[at:]).capitalize()
    if len(low) >= 4:
        at = 1 + int(v * (len(low) - 3))
        return (low[:at] + low[at + 1] + low[at] + low[at + 2 :]).capitalize()
    return token


def spell(
    tokens: Tokens, father: str, muslim: bool, female: bool, style: str, r: Callable[[], float]
) -> str:
    """The name as one agency writes it. ``style``: KEMNAKER, P2MI, BPJS or EMBASSY."""
    out = list(tokens)
    if r() < 0.18:
        for i, token in enumerate(out):
            variants = _VARIANTS.get(token)
            if variants:
                out[i] = variants[int(r() * len(variants))]
                break
    if r() < 0.12:
        _join_or_split(out)
    if r() < (0.05 if style == "EMBASSY" else 0.03):
        longest = max(range(len(out)), key=lambda i: len(out[i]))
        out[longest] = typo(out[longest], r(), r())
    if muslim and style in ("P2MI", "EMBASSY") and r() < 0.4:
        word = ("Binti", "Bt") if female else ("Bin", "Bn")
        out += [word[0] if style == "P2MI" or r() < 0.5 else word[1], father]
    text = " ".join(out)
    return text if style == "P2MI" else text.upper()
