"""The directory's vocabulary: every term has every label it needs, codes and labels are not shared
between terms, and every table that lists the codes elsewhere is the vocabulary's own."""

from __future__ import annotations

import csv
import re
from dataclasses import fields
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from triage.core import directory_rules, matching, taxonomy, vocabulary
from triage.core.area_packs import DAYS
from triage.web.areas import packs
from triage.web.directory.forms import EntryForm
from triage.web.languages import labels
from triage.web.oruk import feed
from triage.web.seed import DAY_NAMES

ROOT = Path(__file__).resolve().parents[2]
VOCABULARIES = {
    "kinds": vocabulary.KINDS,
    "coverages": vocabulary.COVERAGES,
    "delivery modes": vocabulary.DELIVERY_MODES,
    "accessibility features": vocabulary.ACCESSIBILITY_FEATURES,
    "days": vocabulary.DAYS,
    "entry statuses": vocabulary.ENTRY_STATUSES,
}
LABELS = ("staff", "public", "oruk_name", "oruk_description", "oruk_byday")
PUBLISHED = {
    "help_types": vocabulary.KINDS,
    "ways_of_helping": vocabulary.DELIVERY_MODES,
    "accessibility": vocabulary.ACCESSIBILITY_FEATURES,
}


def _labels(term) -> dict[str, str]:
    """Every label a term has, by the name of its field or property."""
    return {name: getattr(term, name) for name in LABELS if hasattr(term, name)}


def _messages() -> set[str]:
    with open(ROOT / "triage" / "translations" / "messages.pot", "rb") as f:
        return {m.id for m in read_po(f) if m.id}


@pytest.mark.parametrize("name", VOCABULARIES)
def test_every_term_has_every_label_it_needs(name):
    messages = _messages()
    for term in VOCABULARIES[name]:
        assert re.fullmatch(r"[a-z][a-z_]*[a-z]", term.code), f"{name}: {term.code!r} is not a code"
        assert "staff" in _labels(term), f"{name}: {term.code} has no staff label"
        for label, text in _labels(term).items():
            assert text and text == text.strip(), f"{name}: {term.code} has no {label}"
        if hasattr(term, "public"):  # marked with N_, so the catalogues translate it
            assert term.public in messages, f"{name}: {term.public!r} is not marked for translation"


def test_every_published_term_has_an_oruk_name_and_description():
    for terms in PUBLISHED.values():
        for term in terms:
            assert term.oruk_name and term.oruk_description.endswith("."), term.code
    assert all(re.fullmatch(r"(MO|TU|WE|TH|FR|SA|SU)", day.oruk_byday) for day in vocabulary.DAYS)
    published = [s for s in vocabulary.ENTRY_STATUSES if s.oruk_status]
    assert [s.code for s in vocabulary.ENTRY_STATUSES if s not in published] == ["retired"]


@pytest.mark.parametrize("name", VOCABULARIES)
def test_no_two_terms_share_a_code_or_a_label(name):
    terms = VOCABULARIES[name]
    assert len(set(vocabulary.codes(terms))) == len(terms)
    for field in fields(terms[0]):
        values = [getattr(term, field.name) for term in terms if getattr(term, field.name) is not None]
        assert len(set(values)) == len(values), f"{name}: two terms share a {field.name}"


def test_the_core_tables_are_the_vocabularys():
    assert matching.KINDS == vocabulary.codes(vocabulary.KINDS) == tuple(directory_rules.KIND_NAMES)
    assert matching.COVERAGES == vocabulary.codes(vocabulary.COVERAGES) == tuple(directory_rules.COVERAGE_NAMES)
    assert matching.DELIVERY_MODES == vocabulary.codes(vocabulary.DELIVERY_MODES) == tuple(directory_rules.MODE_NAMES)
    assert matching.ACCESSIBILITY_FEATURES == vocabulary.codes(vocabulary.ACCESSIBILITY_FEATURES)
    assert tuple(matching.FEATURE_NAMES) == matching.ACCESSIBILITY_FEATURES
    assert tuple(directory_rules.ENTRY_STATUSES) == vocabulary.codes(vocabulary.ENTRY_STATUSES)
    assert matching.MATCHABLE_STATUS in directory_rules.ENTRY_STATUSES
    days = vocabulary.codes(vocabulary.DAYS)
    assert tuple(code for code, _ in directory_rules.WEEKDAYS) == days
    assert [f for f in directory_rules.FIELDS if f in days] == list(days)


def test_the_oruk_taxonomy_publishes_the_vocabularys_names_and_descriptions():
    for key, terms in PUBLISHED.items():
        published = [(t.code, t.name, t.description) for t in taxonomy.BY_KEY[key].terms]
        assert published == [(t.code, t.oruk_name, t.oruk_description) for t in terms]
    assert feed.DAY_CODES == {day.code: day.oruk_byday for day in vocabulary.DAYS}
    assert set(feed.ORUK_STATUS_OUT) < set(directory_rules.ENTRY_STATUSES)


def test_the_web_tables_are_the_vocabularys():
    assert tuple(labels.KIND_LABELS) == matching.KINDS
    assert tuple(labels.MODE_LABELS) == matching.DELIVERY_MODES
    assert labels.DAYS == tuple(labels.DAY_NAMES) == vocabulary.codes(vocabulary.DAYS)
    assert all(hasattr(EntryForm, day) for day in labels.DAYS), "the entry form needs a field for every day"
    assert DAY_NAMES == labels.DAYS
    assert tuple(day[:3] for day in DAY_NAMES) == DAYS


def test_the_seed_reads_every_days_hours_from_the_libraries_file():
    with open(packs.pack("E07000130").path("libraries"), newline="", encoding="utf-8") as f:
        columns = next(csv.reader(f))
    assert [c for c in columns if c.endswith("_hours_librarieshacked")] == [f"{d}_hours_librarieshacked" for d in DAYS]
