"""What a worker is shown before consenting, word for word, and the receipt afterwards.

The text is made by the hub from the consent's terms, in Indonesian and English, so the hash
stored in the ledger (UU 27/2022 Art. 22 and 24: proof of what was consented to) is the hash
of exactly what the console showed. Each purpose opens a closed set of categories (purpose
limitation); the worker picks among them, and next of kin only by an explicit choice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from auth.purpose import PURPOSE_TEXT, Purpose

CATEGORY_TEXT: dict[str, tuple[str, str]] = {
    "identity": ("identitas dasar (NIK tersamarkan)", "basic identity (NIK masked)"),
    "placement": ("penempatan dan P3MI", "placements and placement agency"),
    "social_security": ("kepesertaan dan klaim BPJS", "BPJS membership and claims"),
    "consular": ("lapor diri di perwakilan", "consular registration"),
    "case": ("kasus dan statusnya", "cases and their status"),
    "contact": ("nomor telepon Anda", "your phone number"),
}
CATEGORIES = tuple(CATEGORY_TEXT)

# Each purpose's categories: what the worker may open for it (the first ones by default).
PURPOSE_CATEGORIES: dict[Purpose, tuple[str, ...]] = {
    Purpose.CASE_ASSISTANCE: ("identity", "placement", "consular", "case", "contact"),
    Purpose.CLAIM_ASSISTANCE: ("identity", "social_security", "case"),
    Purpose.LEGAL_AID: ("identity", "placement", "social_security", "consular", "case", "contact"),
    Purpose.REPATRIATION_SUPPORT: ("identity", "consular", "case", "contact"),
    Purpose.REINTEGRATION: ("identity", "placement"),
}
MAX_DAYS = 90


@dataclass(frozen=True, slots=True)
class ConsentText:
    id: str
    en: str

    @property
    def shown(self) -> str:
        """What the console shows: Indonesian first, then English."""
        return f"{self.id}\n\n{self.en}"

    @property
    def hash(self) -> str:
        return "sha256:" + hashlib.sha256(self.shown.encode()).hexdigest()


def consent_text(
    organisation: str,
    purpose: Purpose,
    categories: list[str],
    valid_until: datetime,
    *,
    next_of_kin: bool,
    case_id: str | None,
) -> ConsentText:
    """The exact text for these terms (``organisation``: its registered name)."""
    pid, pen = PURPOSE_TEXT[purpose]
    cid = ", ".join(CATEGORY_TEXT[c][0] for c in categories)
    cen = ", ".join(CATEGORY_TEXT[c][1] for c in categories)
    until = valid_until.strftime("%Y-%m-%d")
    kin_id = (
        "Data keluarga/kontak darurat ikut dibuka."
        if next_of_kin
        else ("Data keluarga/kontak darurat TIDAK dibuka.")
    )
    kin_en = (
        "Your next of kin's details are included."
        if next_of_kin
        else ("Your next of kin's details are NOT included.")
    )
    case_id_text = f" untuk kasus {case_id}" if case_id else ""
    case_en_text = f" for case {case_id}" if case_id else ""
    text_id = (
        f"Saya mengizinkan {organisation} melihat (tidak menyimpan) data saya di PMI Hub "
        f"untuk {pid.lower()}{case_id_text}: {cid}. {kin_id} Berlaku sampai {until} atau "
        "sampai kasus ditutup. Saya dapat mencabutnya kapan saja di konsol, di perwakilan "
        "RI, atau lewat Halo TKI 0800-1000; pencabutan berlaku seketika. Persetujuan ini "
        "bukan syarat pekerjaan: tidak ada yang boleh memaksa Anda."
    )
    text_en = (
        f"I allow {organisation} to view (not keep) my data in PMI Hub for "
        f"{pen.lower()}{case_en_text}: {cen}. {kin_en} Valid until {until} or until the case "
        "closes. I can revoke it at any time in the console, at an Indonesian mission, or "
        "through Halo TKI 0800-1000; revocation takes effect at once. This consent is not a "
        "job requirement: nobody may force you."
    )
    return ConsentText(text_id, text_en)


__all__ = [
    "CATEGORIES",
    "CATEGORY_TEXT",
    "MAX_DAYS",
    "PURPOSE_CATEGORIES",
    "ConsentText",
    "consent_text",
]
