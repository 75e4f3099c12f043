"""Matching the locality names people write to CBS codes.

A file may carry the CBS code, or a name written any of the ways people write it: קריית or קרית,
gershayim as ״ or " or '' (or left out), a maqaf or hyphen or space, extra spaces, an old name
(נצרת עילית for נוף הגליל, kept in the catalogue's aliases), or an English transliteration
(Kiryat Shmona for Qiryat Shemona, Sderot for Sederot). Names are normalised, then, for English,
reduced to a consonant skeleton; a name that fits more than one locality is refused, not guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from employdash.models import Locality

_QUOTES = re.compile(r"[\"'`´׳״\u2018\u2019\u201c\u201d]")
_DASHES = re.compile(r"[-\u05be\u2010-\u2015_/.,()]")
_SPACES = re.compile(r"\s+")
_NIQQUD = re.compile(r"[\u0591-\u05c7]")
# Spellings that differ in letters, not only in vowels (Hebrew full/defective spelling).
_HEBREW_VARIANTS = ((r"\bקריית\b", "קרית"), (r"\bעיריית\b", "עירית"))
_ENGLISH_VARIANTS = (
    (r"\bkiryat\b", "qiryat"),
    (r"\bkfar\b", "kefar"),
    (r"\bbeit\b", "bet"),
    (r"\bbeer\b", "beer"),
    (r"tz|ts", "z"),
    (r"ch", "h"),
    (r"kh", "h"),
    (r"ph", "f"),
    (r"k", "q"),
    (r"w", "v"),
)
# Well-known English names that no spelling rule reaches.
EXTRA_ALIASES = {"safed": 8000, "tsfat": 8000, "nazareth illit": 1061, "upper nazareth": 1061}


def normalise(name: str) -> str:
    text = unicodedata.normalize("NFC", str(name)).strip().lower()
    text = _NIQQUD.sub("", text)
    text = _QUOTES.sub("", text)
    text = _DASHES.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    for pattern, repl in _HEBREW_VARIANTS:
        text = re.sub(pattern, repl, text)
    return text


def skeleton(name: str) -> str:
    """English names without vowels and spaces: Sderot and Sederot both give 'sdrt'."""
    text = normalise(name)
    for pattern, repl in _ENGLISH_VARIANTS:
        text = re.sub(pattern, repl, text)
    text = text.replace(" ", "")
    return text[:1] + re.sub(r"[aeiouy]", "", text[1:]) if text else ""


@dataclass
class LocalityMatcher:
    codes: set[int]
    exact: dict[str, int] = field(default_factory=dict)
    loose: dict[str, set[int]] = field(default_factory=dict)
    # Each locality's (Hebrew, English) name, for telling the user which locality a row named.
    names: dict[int, tuple[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> LocalityMatcher:
        rows = session.execute(
            select(Locality.code, Locality.name_he, Locality.name_en, Locality.aliases)
        ).all()
        matcher = cls(
            codes={r.code for r in rows}, names={r.code: (r.name_he, r.name_en) for r in rows}
        )
        # Aliases first so that a current name always wins over someone's old name.
        for row in rows:
            for alias in (row.aliases or "").replace(",", ";").split(";"):
                if alias.strip():
                    matcher.exact.setdefault(normalise(alias), row.code)
        for alias, code in EXTRA_ALIASES.items():
            matcher.exact[normalise(alias)] = code
        for row in rows:
            for name in (row.name_he, row.name_en):
                matcher.exact[normalise(name)] = row.code
            matcher.loose.setdefault(skeleton(row.name_en), set()).add(row.code)
        return matcher

    def match(self, code: object, name: object) -> tuple[int | None, str | None]:
        """(code, None) or (None, reason key)."""
        if code not in (None, ""):
            try:
                number = int(float(str(code).strip()))
            except ValueError:
                return None, "ind.import.reason.bad_code"
            return (
                (number, None) if number in self.codes else (None, "ind.import.reason.unknown_code")
            )
        if name in (None, "") or not str(name).strip():
            return None, "ind.import.reason.no_locality"
        key = normalise(str(name))
        if key in self.exact:
            return self.exact[key], None
        found = self.loose.get(skeleton(str(name)), set())
        if len(found) == 1:
            return next(iter(found)), None
        return None, (
            "ind.import.reason.ambiguous_locality"
            if found
            else "ind.import.reason.unknown_locality"
        )
