"""Scoring: five domain sub-scores (0 to 10, each point with its reason) and the risk band.

Pure functions over validated answers (see questionnaire.validate_answers). All numbers come from
scoring_model, whose SCORING_VERSION is stored with each assessment.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from triage.core import scoring_model as m
from triage.core.questionnaire import BY_ID, NONE, as_list


@dataclass(frozen=True)
class Reason:
    points: int
    text: str


@dataclass(frozen=True)
class DomainScore:
    domain: str
    score: int
    reasons: tuple[Reason, ...]

    @property
    def label(self) -> str:
        return dict(m.DOMAINS)[self.domain]


@dataclass(frozen=True)
class Result:
    version: str
    domains: dict[str, DomainScore]
    mean: float
    band: str
    band_reasons: tuple[str, ...]
    missing_life_areas: tuple[str, ...] = field(default=())

    def score(self, domain: str) -> int:
        return self.domains[domain].score


def _label(question_id: str, code: str) -> str:
    """An answer's label to quote inside a sentence: 'Seeing' becomes 'seeing', 'I don't...' stays."""
    label = BY_ID[question_id].option(code).label
    return label if label.startswith(("I ", "I'")) else label[0].lower() + label[1:]


def _capped(reasons: list[Reason], floor: int = 0) -> tuple[int, tuple[Reason, ...]]:
    """Sum the reasons, adding an explicit reason when the total is held inside 0..10."""
    total = sum(r.points for r in reasons)
    if total > m.DOMAIN_MAX:
        reasons.append(Reason(m.DOMAIN_MAX - total, f"capped at the maximum of {m.DOMAIN_MAX}"))
        total = m.DOMAIN_MAX
    if total < floor:
        reasons.append(Reason(floor - total, f"cannot go below {floor}"))
        total = floor
    return total, tuple(reasons)


def score_access(answers: dict) -> DomainScore:
    devices = as_list(answers["devices"])
    best = min(devices, key=lambda d: m.DEVICE_POINTS[d])
    device_points = m.DEVICE_POINTS[best]
    if best == NONE:
        device_text = "no working phone, tablet or computer"
    else:
        device_text = f"best working device is: {_label('devices', best)}"
    connection = answers["connection"]
    connection_points = m.CONNECTION_POINTS[connection]
    connection_text = f"gets online at home: {_label('connection', connection)}"
    # The worse of the two counts: a device without a connection (or the reverse) is no use alone.
    if device_points >= connection_points:
        counted, other = (
            Reason(device_points, device_text),
            Reason(0, f"{connection_text} (the worse of the two counts)"),
        )
    else:
        counted, other = (
            Reason(connection_points, connection_text),
            Reason(0, f"{device_text} (the worse of the two counts)"),
        )
    reasons = [counted, other] if counted.points else [Reason(0, device_text), Reason(0, connection_text)]
    return DomainScore("access", counted.points, tuple(reasons))


def _highest_plus_extras(items: list[str], points: dict[str, int], extra: int, question_id: str) -> list[Reason]:
    scored = sorted((i for i in items if i in points), key=lambda i: -points[i])
    reasons = []
    for n, item in enumerate(scored):
        text = _label(question_id, item)
        reasons.append(Reason(points[item] if n == 0 else extra, text if n == 0 else f"also: {text}"))
    return reasons


def score_affordability(answers: dict) -> DomainScore:
    items = as_list(answers["money"])
    reasons = _highest_plus_extras(items, m.MONEY_POINTS, m.MONEY_EXTRA_ITEM, "money")
    if "benefits" in items:
        reasons.append(Reason(0, "gets a benefit (not scored; it can open up social tariffs and free data)"))
    if not reasons:
        reasons.append(Reason(0, "no problems affording the internet mentioned"))
    total, reasons_t = _capped(reasons)
    return DomainScore("affordability", total, reasons_t)


def has_money_worries(answers: dict) -> bool:
    """Money is tight when a money answer scores affordability points; getting a benefit alone is not a worry."""
    return any(item in m.MONEY_POINTS for item in as_list(answers.get("money")))


def missing_life_areas(answers: dict) -> tuple[str, ...]:
    can_do = set(as_list(answers["life_skills"]))
    return tuple(area for area, tasks in m.LIFE_AREAS.items() if not can_do.intersection(tasks))


def score_skills(answers: dict) -> DomainScore:
    can_do = set(as_list(answers["foundation_skills"])) - {NONE}
    missing = [t for t in m.FOUNDATION_TASKS if t not in can_do]
    if len(missing) == len(m.FOUNDATION_TASKS):
        return DomainScore(
            "skills",
            m.SKILLS_NO_FOUNDATION,
            (Reason(m.SKILLS_NO_FOUNDATION, "cannot yet do any of the foundation tasks on their own"),),
        )
    if missing:
        reasons = [Reason(m.SKILLS_PARTIAL_FOUNDATION_BASE, "cannot yet do all the foundation tasks")]
        reasons += [Reason(1, f"foundation task still to learn: {_label('foundation_skills', t)}") for t in missing]
        return DomainScore("skills", m.SKILLS_PARTIAL_FOUNDATION_BASE + len(missing), tuple(reasons))
    areas = missing_life_areas(answers)
    reasons = [Reason(1, f"skills for life area still to learn: {m.LIFE_AREA_NAMES[a]}") for a in areas]
    if not reasons:
        reasons = [Reason(0, "can do all the foundation tasks and something in every skills for life area")]
    return DomainScore("skills", len(areas), tuple(reasons))


def score_confidence(answers: dict) -> DomainScore:
    feeling = answers["feelings"]
    reasons = [Reason(m.CONFIDENCE_POINTS[feeling], f"feels: {_label('feelings', feeling)}")]
    if as_list(answers["goals"]) == [NONE]:
        reasons.append(Reason(m.CONFIDENCE_NO_HOOK, "there is nothing they want to do online right now"))
    total, reasons_t = _capped(reasons)
    return DomainScore("confidence", total, reasons_t)


def score_accessibility(answers: dict) -> DomainScore:
    items = as_list(answers["barriers"])
    reasons = [
        Reason(r.points, f"harder to use because of: {r.text}")
        for r in _highest_plus_extras(items, m.BARRIER_POINTS, m.BARRIER_EXTRA_ITEM, "barriers")
    ]
    if not reasons:
        reasons.append(Reason(0, "nothing makes devices harder to use"))
    total, reasons_t = _capped(reasons)
    reasons = list(reasons_t)
    if "tools_work" in items and total > 0:
        relief = min(m.TOOLS_WORK_RELIEF, total)
        reasons.append(Reason(-relief, "uses tools that help, and they work well"))
        total -= relief
    return DomainScore("accessibility", total, tuple(reasons))


SCORERS = {
    "access": score_access,
    "affordability": score_affordability,
    "skills": score_skills,
    "confidence": score_confidence,
    "accessibility": score_accessibility,
}


def band_for(domains: dict[str, DomainScore], life_areas_missing: int) -> tuple[str, float, tuple[str, ...]]:
    """The band is the higher of the mean's band and any floor that applies; every step is explained."""
    scores = {d: s.score for d, s in domains.items()}
    mean = sum(scores.values()) / len(scores)
    by_mean = next((band for band, at in m.MEAN_THRESHOLDS if mean >= at), "low")
    reasons = [f"average of the five areas is {mean:.1f}, which is {by_mean.replace('_', ' ')}"]
    floors: list[tuple[str, str]] = []
    names = dict(m.DOMAINS)
    if any(s >= m.FLOOR_MEDIUM_ANY_DOMAIN for s in scores.values()):
        floors.append(("medium", f"at least one area scores {m.FLOOR_MEDIUM_ANY_DOMAIN} or more"))
    if life_areas_missing:
        floors.append(("medium", "at least one skills for life area is missing"))
    for domain, at in m.FLOOR_HIGH.items():
        if scores[domain] >= at:
            floors.append(("high", f"{names[domain].lower()} scores {scores[domain]} (high from {at})"))
    if any(s >= m.DOMAIN_MAX for s in scores.values()):
        floors.append(("high", f"at least one area scores the maximum of {m.DOMAIN_MAX}"))
    if scores["access"] >= 8 and scores["skills"] >= 6:
        floors.append(("very_high", "no usable access and no foundation skills (the 'completely offline' group)"))
    if scores["access"] >= 7 and scores["affordability"] >= 8:
        floors.append(("very_high", "little access and serious money pressure together"))
    high_count = sum(1 for s in scores.values() if s >= m.FLOOR_VERY_HIGH_DOMAINS_AT)
    if high_count >= m.FLOOR_VERY_HIGH_DOMAINS_COUNT:
        floors.append(("very_high", f"{high_count} areas score {m.FLOOR_VERY_HIGH_DOMAINS_AT} or more"))
    band = by_mean
    for floor_band, why in floors:
        if m.BANDS.index(floor_band) > m.BANDS.index(band):
            band = floor_band
            reasons.append(f"raised to {floor_band.replace('_', ' ')}: {why}")
    return band, mean, tuple(reasons)


def score(answers: dict) -> Result:
    """Score validated answers."""
    domains = {name: scorer(answers) for name, scorer in SCORERS.items()}
    missing = missing_life_areas(answers)
    band, mean, band_reasons = band_for(domains, len(missing))
    return Result(m.SCORING_VERSION, domains, round(mean, 2), band, band_reasons, missing)
