"""Read models that carry a name (and a district's name) in both languages: `name(lang)` and
`district(lang)` pick the one a page, a PDF or a mail is written in."""

from __future__ import annotations


class Named:
    """Mixed into a dataclass with `name_he` and `name_en` fields."""

    name_he: str
    name_en: str

    def name(self, lang: str) -> str:
        return self.name_he if lang == "he" else self.name_en


class NamedPlace(Named):
    """A locality's read model: its name and its district's (empty when it has none)."""

    district_he: str | None
    district_en: str | None

    def district(self, lang: str) -> str:
        return (self.district_he if lang == "he" else self.district_en) or ""
