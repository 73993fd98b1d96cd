"""Bilingual text: every message and action the engine writes exists in Indonesian and English.

Templates are ``str.format`` strings; a parameter may itself be a ``Text`` (a label, a phrase
such as "16 hari lagi" / "in 16 days"), which is resolved in the language being written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

LANGS = ("ID", "EN")


class UnsupportedLanguage(ValueError):
    """A language other than Indonesian (ID) or English (EN) was asked for."""

    code = "UNSUPPORTED_LANGUAGE"

    def __init__(self, lang: object) -> None:
        super().__init__(f"unsupported language {lang!r}: use ID or EN")


def check_lang(lang: str) -> str:
    """``lang`` as ID or EN (case-insensitive); UnsupportedLanguage otherwise."""
    normal = str(lang).upper()
    if normal not in LANGS:
        raise UnsupportedLanguage(lang)
    return normal


@dataclass(frozen=True, slots=True)
class Text:
    id: str
    en: str

    def in_(self, lang: str) -> str:
        return self.en if check_lang(lang) == "EN" else self.id

    def format(self, params: Mapping[str, object]) -> Text:
        """Fill both templates; ``Text`` parameters resolve in each template's language."""
        if not params or ("{" not in self.id and "{" not in self.en):
            return self  # nothing to fill: most actions have no parameter
        id_params = {k: v.id if isinstance(v, Text) else v for k, v in params.items()}
        en_params = {k: v.en if isinstance(v, Text) else v for k, v in params.items()}
        return Text(self.id.format_map(id_params), self.en.format_map(en_params))


def days_until(days: int) -> Text:
    """How a coming date reads: today, tomorrow, in N days."""
    if days == 0:
        return Text("hari ini", "today")
    if days == 1:
        return Text("besok", "tomorrow")
    return Text(f"{days} hari lagi", f"in {days} days")


def days_since(days: int) -> Text:
    """How a past date reads: yesterday, N days ago."""
    if days == 1:
        return Text("kemarin", "yesterday")
    return Text(f"{days} hari lalu", f"{days} days ago")


def count(n: int, word_id: str, word_en: str) -> Text:
    """``5 bulan`` / ``5 months``, ``1 month``."""
    return Text(f"{n} {word_id}", f"{n} {word_en}{'' if n == 1 else 's'}")


def join(items: list[str] | tuple[str, ...]) -> str:
    return ", ".join(items)


def join_and(items: list[str] | tuple[str, ...]) -> Text:
    """``JKK dan JKM`` / ``JKK and JKM``."""
    if len(items) < 2:
        return Text(join(items), join(items))
    head = join(items[:-1])
    return Text(f"{head} dan {items[-1]}", f"{head} and {items[-1]}")
