"""The directory's vocabulary, each term written once: kinds of help, coverages, ways of helping,
accessibility features, weekdays and entry statuses, with the code stored for it and every label it is
shown with.

`code` is what the database, the CSV and both APIs store; codes are never renamed (docs/api.md,
Stability). `staff` is the English of the staff workspace. `public` is what residents read, marked with
N_ so `make messages` extracts it; the web layer translates it where it is shown, so its wording is also
a message id in the catalogues. The `oruk_*` fields are what the Open Referral UK feed publishes
(core/taxonomy.py, web/oruk/feed.py). Every other table of these codes and labels is derived from here,
and tests/core/test_vocabulary.py checks that each term has every label it needs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from triage.core.text import N_


class Coded(Protocol):
    """Any term: it has the code that is stored for it."""

    @property
    def code(self) -> str: ...


class Published(Coded, Protocol):
    """A term of one of the taxonomies the ORUK feed publishes."""

    @property
    def oruk_name(self) -> str: ...

    @property
    def oruk_description(self) -> str: ...


@dataclass(frozen=True)
class Kind:
    """What a directory entry is."""

    code: str
    staff: str
    public: str  # also the name of its ORUK taxonomy term
    oruk_description: str

    @property
    def oruk_name(self) -> str:
        return self.public


@dataclass(frozen=True)
class Coverage:
    """Who can use a piece of help: people in particular wards, the whole borough or the whole country."""

    code: str
    staff: str


@dataclass(frozen=True)
class DeliveryMode:
    """A way of helping."""

    code: str
    staff: str
    public: str  # in lower case: a page joins them into a list and raises its first letter
    oruk_name: str
    oruk_description: str


@dataclass(frozen=True)
class AccessibilityFeature:
    """Something that makes help easier to reach or use."""

    code: str
    public: str  # as it reads in a sentence ("has a hearing loop"); staff see the same words
    oruk_name: str
    oruk_description: str

    @property
    def staff(self) -> str:
        return self.public


@dataclass(frozen=True)
class Day:
    """A day of the week, as opening times store it."""

    code: str
    public: str  # staff see the same words
    oruk_byday: str  # the iCalendar day ORUK schedules use

    @property
    def staff(self) -> str:
        return self.public


@dataclass(frozen=True)
class EntryStatus:
    """Whether a directory entry is open; only open help is ever suggested."""

    code: str
    staff: str
    oruk_status: str | None  # None: never published


KINDS: tuple[Kind, ...] = (
    Kind(
        "digital_champion",
        "Digital Champion",
        N_("Digital Champion"),
        "A trained volunteer or worker who helps people one-to-one, at their own pace, with their own device.",
    ),
    Kind(
        "library",
        "Library",
        N_("Library"),
        "A public library, usually with free computers, wifi and staff who can help.",
    ),
    Kind("course", "Course", N_("Course"), "A class or group that teaches digital skills, often free."),
    Kind(
        "device_scheme",
        "Device scheme",
        N_("Device scheme"),
        "A scheme that gives or lends phones, tablets or laptops.",
    ),
    Kind("data_scheme", "Data scheme", N_("Free data"), "A scheme that gives free mobile data or SIM cards."),
    Kind(
        "partner_service",
        "Partner service",
        N_("Support service"),
        "Another service that helps with something linked to getting online, such as money advice.",
    ),
)
COVERAGES: tuple[Coverage, ...] = (
    Coverage("local", "Particular areas (wards)"),
    Coverage("borough", "The whole district or borough"),
    Coverage("national", "The whole country"),
)
DELIVERY_MODES: tuple[DeliveryMode, ...] = (
    DeliveryMode("one_to_one", "One-to-one", N_("one-to-one"), "One-to-one", "Help for one person at a time."),
    DeliveryMode("group", "Group", N_("group sessions"), "Group sessions", "Help in a group or class."),
    DeliveryMode("home_visit", "Home visit", N_("home visits"), "Home visits", "Someone comes to the person's home."),
    DeliveryMode("phone", "Phone", N_("on the phone"), "On the phone", "Help over the phone."),
    DeliveryMode(
        "drop_in",
        "Drop-in",
        N_("drop in, no need to book"),
        "Drop in",
        "Turn up during opening times; no need to book.",
    ),
    DeliveryMode("online", "Online", N_("online"), "Online", "Help on a website, by video or by email."),
)
ACCESSIBILITY_FEATURES: tuple[AccessibilityFeature, ...] = (
    AccessibilityFeature(
        "step_free", N_("step-free access"), "Step-free access", "The venue can be reached without steps."
    ),
    AccessibilityFeature("hearing_loop", N_("a hearing loop"), "Hearing loop", "An induction loop for hearing aids."),
    AccessibilityFeature(
        "accessible_toilet", N_("an accessible toilet"), "Accessible toilet", "A toilet for disabled people."
    ),
    AccessibilityFeature("large_print", N_("large print"), "Large print", "Guides and handouts in large print."),
    AccessibilityFeature(
        "screen_reader", N_("screen readers"), "Screen readers", "Screen reader software or help to use one."
    ),
    AccessibilityFeature("bsl", N_("British Sign Language"), "British Sign Language", "Help in British Sign Language."),
    AccessibilityFeature(
        "quiet_space", N_("a quiet space"), "Quiet space", "A quiet place, for people who find busy places hard."
    ),
    AccessibilityFeature(
        "easy_read", N_("easy-read guides"), "Easy read", "Easy-read guides, with short sentences and pictures."
    ),
)
DAYS: tuple[Day, ...] = (
    Day("monday", N_("Monday"), "MO"),
    Day("tuesday", N_("Tuesday"), "TU"),
    Day("wednesday", N_("Wednesday"), "WE"),
    Day("thursday", N_("Thursday"), "TH"),
    Day("friday", N_("Friday"), "FR"),
    Day("saturday", N_("Saturday"), "SA"),
    Day("sunday", N_("Sunday"), "SU"),
)
ENTRY_STATUSES: tuple[EntryStatus, ...] = (
    EntryStatus("active", "Open", "active"),
    EntryStatus("temporarily_closed", "Temporarily closed", "temporarily closed"),
    EntryStatus("retired", "Retired", None),
)


def codes(terms: Iterable[Coded]) -> tuple[str, ...]:
    """The terms' codes, in order: codes(KINDS) == ("digital_champion", "library", ...)."""
    return tuple(term.code for term in terms)
