"""The versioned scoring model: every weight, threshold and floor in one place.

Every stored assessment records SCORING_VERSION, so a result can always be explained later. To change
a number, add a new version rather than editing this one in place once it has been used live.
Source: docs/triage-model.md section 3 (a transparent proposal, published on the
"How we score" page).
"""

from __future__ import annotations

from triage.core.text import N_

SCORING_VERSION = "2026.1"

DOMAINS: tuple[tuple[str, str], ...] = (
    ("access", N_("Access to a device and the internet")),
    ("affordability", N_("Affording the internet")),
    ("skills", N_("Digital skills")),
    ("confidence", N_("Confidence and motivation")),
    ("accessibility", N_("Accessibility and language")),
)
DOMAIN_MAX = 10

# Access: the best device counts (lowest points), and A is the worse of device and connection.
DEVICE_POINTS = {"computer": 0, "tablet": 3, "smartphone": 4, "basic_phone": 8, "none": 10}
CONNECTION_POINTS = {"broadband": 0, "phone_data": 4, "public_wifi": 7, "not_online": 10}

# Affordability: the highest item, plus a step for each extra item.
MONEY_POINTS = {"food_or_heating": 8, "cannot_afford_broadband": 6, "runs_out_of_data": 5}
MONEY_EXTRA_ITEM = 2

# Skills: EDS progression. Foundation tasks underpin the five EDS for Life areas.
FOUNDATION_TASKS = ("turn_on_and_log_in", "join_wifi", "open_app_or_website", "change_settings", "passwords")
SKILLS_NO_FOUNDATION = 10
SKILLS_PARTIAL_FOUNDATION_BASE = 5  # plus one per missing foundation task: 6 to 9
LIFE_AREAS: dict[str, tuple[str, ...]] = {
    "communicating": ("messages",),
    "handling_information": ("search",),
    "transacting": ("buy_or_pay", "forms"),
    "problem_solving": ("fix_problems",),
    "being_safe": ("spot_scams",),
}
LIFE_AREA_NAMES = {
    "communicating": N_("communicating (messages and video calls)"),
    "handling_information": N_("finding information"),
    "transacting": N_("buying, paying and filling in forms"),
    "problem_solving": N_("fixing problems"),
    "being_safe": N_("staying safe online"),
}

CONFIDENCE_POINTS = {"confident": 0, "worried_mistakes": 3, "nervous": 6, "does_not_want": 8}
CONFIDENCE_NO_HOOK = 2  # when the person says there is nothing they want to do online

BARRIER_POINTS = {
    "sight": 4,
    "hearing": 3,
    "hands": 4,
    "memory": 5,
    "reading": 5,
    "english": 5,
    "anxiety": 3,
}
BARRIER_EXTRA_ITEM = 2
TOOLS_WORK_RELIEF = 3

# Band: the mean of the five domains, raised by floors (exclusion is not compensatory).
BANDS = ("low", "medium", "high", "very_high")
MEAN_THRESHOLDS = (("very_high", 6), ("high", 4), ("medium", 2))
FLOOR_MEDIUM_ANY_DOMAIN = 4
FLOOR_HIGH = {"access": 8, "skills": 6, "affordability": 8}
FLOOR_VERY_HIGH_DOMAINS_AT = 6
FLOOR_VERY_HIGH_DOMAINS_COUNT = 3
