"""Signpost's own digital-inclusion taxonomy, published through the Open Referral UK feed.

No national taxonomy covers digital inclusion, so we publish ours: four flat vocabularies, each code
the one the directory already stores (a resource's kind, the needs it serves, how it helps, and its
accessibility features). Ids are UUIDs made with uuid5 from NAMESPACE and the vocabulary and code, so
they never change while the codes do not (codes are never renamed: docs/api.md, Stability).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from triage.core import vocabulary
from triage.core.routing import ROUTES

# Every id Signpost publishes in its ORUK feed is a uuid5 in this namespace (a fixed random UUID).
NAMESPACE = uuid.UUID("1c3f7d52-9a0e-4b8c-a5d6-2f4e8b7c9d10")
VERSION = "1"


def stable_id(*parts: str) -> str:
    """A UUID that is always the same for the same parts: stable_id("taxonomy", "needs")."""
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


@dataclass(frozen=True)
class Term:
    taxonomy_key: str
    code: str
    name: str
    description: str

    @property
    def id(self) -> str:
        return stable_id("taxonomy_term", self.taxonomy_key, self.code)


@dataclass(frozen=True)
class Taxonomy:
    key: str
    field: str  # the directory field (and core.matching.Resource field) that holds these codes
    name: str
    description: str
    terms: tuple[Term, ...]

    @property
    def id(self) -> str:
        return stable_id("taxonomy", self.key)


def _terms(key: str, entries: dict[str, tuple[str, str]]) -> tuple[Term, ...]:
    return tuple(Term(key, code, name, description) for code, (name, description) in entries.items())


def _vocabulary(terms: tuple[vocabulary.Published, ...]) -> dict[str, tuple[str, str]]:
    """A vocabulary's terms as ORUK publishes them: {code: (name, description)}."""
    return {term.code: (term.oruk_name, term.oruk_description) for term in terms}


TAXONOMIES: tuple[Taxonomy, ...] = (
    Taxonomy(
        "help_types",
        "kind",
        "Signpost digital inclusion: types of help",
        "What kind of help a directory entry is: a Digital Champion, a library, a course, a scheme or a service.",
        _terms("help_types", _vocabulary(vocabulary.KINDS)),
    ),
    Taxonomy(
        "needs",
        "needs",
        "Signpost digital inclusion: needs",
        "The needs a piece of help meets, as Signpost's needs questionnaire finds them (its routes).",
        _terms("needs", {r.code: (r.title, r.next_step) for r in ROUTES}),
    ),
    Taxonomy(
        "ways_of_helping",
        "delivery_modes",
        "Signpost digital inclusion: ways of helping",
        "How help is given: one-to-one, in groups, at home, on the phone, by dropping in or online.",
        _terms("ways_of_helping", _vocabulary(vocabulary.DELIVERY_MODES)),
    ),
    Taxonomy(
        "accessibility",
        "accessibility",
        "Signpost digital inclusion: accessibility",
        "What makes the help easier to reach and use for disabled people and people with other access needs.",
        _terms("accessibility", _vocabulary(vocabulary.ACCESSIBILITY_FEATURES)),
    ),
)
BY_KEY: dict[str, Taxonomy] = {t.key: t for t in TAXONOMIES}
TAXONOMY_BY_ID: dict[str, Taxonomy] = {t.id: t for t in TAXONOMIES}
TERM_BY_ID: dict[str, Term] = {term.id: term for t in TAXONOMIES for term in t.terms}
TERMS: tuple[Term, ...] = tuple(term for t in TAXONOMIES for term in t.terms)
TERM_BY_CODE: dict[tuple[str, str], Term] = {(term.taxonomy_key, term.code): term for term in TERMS}
