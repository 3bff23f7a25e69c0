"""Sentences the core writes for people (why help was suggested), kept translatable without Flask.

The core builds a `Text`: an English template with named values, where a value can itself be a Text
(an answer's label, say). `str()` gives the English; the web layer renders the same Text in the
reader's language by translating each template (triage/web/languages/i18n.py). `N_` marks a literal so that
`make messages` extracts it into the catalogues; it changes nothing at run time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


def N_(message: str) -> str:
    """Mark a string for translation; it is translated where it is shown, not here."""
    return message


@dataclass(frozen=True)
class Text:
    template: str  # English, with {name} placeholders; also the message id in the catalogues
    values: tuple[tuple[str, Text | str | int | float], ...] = ()
    lower_first: bool = False  # quoted inside a sentence: "Seeing" reads "seeing"

    @classmethod
    def of(cls, template: str, **values: Text | str | int | float) -> Text:
        return cls(template, tuple(values.items()))

    def quoted(self) -> Text:
        return Text(self.template, self.values, lower_first=True)

    def render(self, translate: Callable[[str], str], number: Callable[[float], str] = str) -> str:
        """In a language: `translate` gives a template in it, `number` writes a decimal as it does (4,2 in Polish)."""
        out = translate(self.template)
        if self.values:
            out = out.format(**{k: self._value(v, translate, number) for k, v in self.values})
        if self.lower_first and out and not out.startswith(("I ", "I'")):
            out = out[0].lower() + out[1:]
        return out

    @staticmethod
    def _value(value, translate, number) -> str | int:
        if isinstance(value, Text):
            return value.render(translate, number)
        return number(value) if isinstance(value, float) else value

    def __str__(self) -> str:
        return self.render(lambda s: s)

    def to_json(self) -> dict:
        out: dict = {"text": self.template}
        if self.values:
            out["values"] = {k: v.to_json() if isinstance(v, Text) else v for k, v in self.values}
        if self.lower_first:
            out["lower_first"] = True
        return out

    @classmethod
    def from_json(cls, data: dict | str) -> Text:
        """A stored Text; a plain string (stored before reasons were translatable) becomes a Text of itself."""
        if isinstance(data, str):
            return cls(data)
        values = tuple(
            (k, cls.from_json(v) if isinstance(v, dict) else v) for k, v in (data.get("values") or {}).items()
        )
        return cls(data["text"], values, bool(data.get("lower_first")))


def english(stored: dict | str) -> str:
    """A stored sentence in English, as the JSON API and staff messages give it."""
    return str(Text.from_json(stored))
