"""The languages the public pages are offered in, and whether each translation has been checked.

A translation made without a native speaker's review is shown with a notice saying so, until a
reviewer signs it off here (`reviewed_by`: who checked it and when). Glossaries of the service's key
terms for each language are in docs/translations/.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InterfaceLanguage:
    code: str  # BCP 47, also the catalogue's folder under triage/translations
    name: str  # in the language itself, as the switcher shows it
    english_name: str
    direction: str = "ltr"
    reviewed_by: str = ""  # for example "Anna Nowak, 12 January 2027"; empty until a native speaker checks it

    @property
    def checked(self) -> bool:
        return self.code == DEFAULT or bool(self.reviewed_by)


DEFAULT = "en"
INTERFACE_LANGUAGES: tuple[InterfaceLanguage, ...] = (
    InterfaceLanguage("en", "English", "English"),
    InterfaceLanguage("pl", "Polski", "Polish"),
    InterfaceLanguage("gu", "ગુજરાતી", "Gujarati"),
    InterfaceLanguage("ur", "اردو", "Urdu", direction="rtl"),
)
BY_CODE: dict[str, InterfaceLanguage] = {lang.code: lang for lang in INTERFACE_LANGUAGES}


def interface_language(code: str | None) -> InterfaceLanguage | None:
    """The interface language for a code such as 'pl' or 'PL', or None if we do not offer it."""
    if not isinstance(code, str):
        return None
    return BY_CODE.get(code.strip().lower())
