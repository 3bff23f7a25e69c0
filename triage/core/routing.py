"""Routing: which kinds of help a person's answers and scores call for.

Each route is a need the directory can meet; a resource lists the route codes it serves. Several
routes can fire at once, and they come back in priority order. A plan opens with one first step
(`first_step`), chosen as a Digital Champion would: a deadline, then a device or data when there is
none, then the rest in priority order. Source: docs/triage-model.md section 3.3.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from triage.core.questionnaire import NONE, as_list
from triage.core.scoring import Result
from triage.core.text import N_, Text


@dataclass(frozen=True)
class RouteInfo:
    code: str
    title: str  # the heading residents see in their plan
    next_step: str  # a plain-English next step
    first_because: str  # why to start here, when it is the plan's first step


ROUTES: tuple[RouteInfo, ...] = (
    RouteInfo(
        "assisted_digital",
        N_("Help with your task now"),
        N_("Get help to do your urgent task together, before your date."),
        N_("Do this first, so you meet your date."),
    ),
    RouteInfo(
        "device",
        N_("Get a device"),
        N_("Ask about a free or loaned phone, tablet or laptop."),
        N_("A phone, tablet or computer that works for you makes every other step easier."),
    ),
    RouteInfo(
        "free_computers",
        N_("Use a free computer and wifi"),
        N_("Use free computers and wifi near you."),
        N_("You can use a free computer straight away, while you sort out the rest."),
    ),
    RouteInfo(
        "data_sim",
        N_("Get free mobile data"),
        N_("Ask for a free SIM card with mobile data."),
        N_("Free data means you can get online while you work on the rest."),
    ),
    RouteInfo(
        "social_tariff",
        N_("Pay less for the internet"),
        N_("Check if you can get cheaper broadband or phone deals."),
        N_("A cheaper deal means you can keep using the internet."),
    ),
    RouteInfo(
        "money_advice",
        N_("Money and benefits advice"),
        N_("Talk to someone about money and benefits."),
        N_("Sorting out money worries first makes everything else easier to keep up."),
    ),
    RouteInfo(
        "champion",
        N_("One-to-one help"),
        N_("Meet a Digital Champion who will help you one step at a time."),
        N_("A helper can start with what matters most to you."),
    ),
    RouteInfo(
        "course",
        N_("Learn with others"),
        N_("Join a free course to build your skills."),
        N_("A course builds on what you can already do."),
    ),
    RouteInfo(
        "staying_safe",
        N_("Stay safe online"),
        N_("Learn how to spot scams and keep your accounts safe."),
        N_("Knowing how to spot scams will help you feel safe online."),
    ),
    RouteInfo(
        "low_pressure",
        N_("Other ways to get things done"),
        N_("You don't have to go online. Here are other ways."),
        N_("You can get things done without going online."),
    ),
    RouteInfo(
        "accessibility",
        N_("Make devices easier to use"),
        N_("Get help to set up your device so it works for you."),
        N_("When your device is set up to work for you, everything else gets easier."),
    ),
    RouteInfo(
        "learning_disability",
        N_("Help at your own pace"),
        N_("Get patient, regular help and easy-read guides."),
        N_("Regular help at your own pace is the best place to start."),
    ),
    RouteInfo(
        "literacy",
        N_("Reading and writing support"),
        N_("Get help with reading and writing, and tools that read aloud."),
        N_("Help with reading and writing makes the other steps easier."),
    ),
    RouteInfo(
        "esol",
        N_("English and digital skills"),
        N_("Learn English and digital skills together."),
        N_("Learning English and digital skills together helps with everything else."),
    ),
    RouteInfo(
        "helpers",
        N_("Help for helpers"),
        N_("Get support for you as the person helping."),
        N_("Support for you makes it easier to help the person you care for."),
    ),
    RouteInfo(
        "volunteer",
        N_("Help others get online"),
        N_("You have good digital skills. You could help others."),
        N_("You could help other people near you get online."),
    ),
)
ROUTE_INFO: dict[str, RouteInfo] = {r.code: r for r in ROUTES}

# The easy-read plan: one short idea per line, and the picture that goes beside each step
# (templates/partials/easy_read_pictures.html draws them).
EASY_READ: dict[str, tuple[str, tuple[str, ...]]] = {
    "assisted_digital": (
        "calendar",
        (N_("You have something to do online by a date."), N_("Someone can help you do it.")),
    ),
    "device": ("tablet", (N_("You need a phone, tablet or computer."), N_("You may be able to get one free."))),
    "free_computers": (
        "computer",
        (N_("You can use a computer for free."), N_("Libraries have free computers and wifi.")),
    ),
    "data_sim": ("sim", (N_("You can get free data for your phone."), N_("Ask for a free SIM card."))),
    "social_tariff": ("money", (N_("Internet can cost less."), N_("Ask about cheaper deals."))),
    "money_advice": ("money", (N_("Money can be hard."), N_("Someone can talk to you about money."))),
    "champion": ("helper", (N_("A helper can meet you."), N_("They will help you one step at a time."))),
    "course": ("group", (N_("You can join a class."), N_("You learn with other people."))),
    "staying_safe": ("shield", (N_("Learn to spot scams."), N_("Keep your accounts safe."))),
    "low_pressure": ("phone", (N_("You do not have to go online."), N_("You can phone or visit instead."))),
    "accessibility": ("eye", (N_("Your device can be easier to use."), N_("Someone can change the settings for you."))),
    "learning_disability": (
        "helper",
        (N_("You can learn at your own pace."), N_("A helper can meet you again and again.")),
    ),
    "literacy": (
        "book",
        (N_("You can get help with reading and writing."), N_("Your device can read words out loud.")),
    ),
    "esol": ("speech", (N_("You can learn English."), N_("You can learn to use the internet at the same time."))),
    "helpers": ("helper", (N_("You help someone else."), N_("There is help for you too."))),
    "volunteer": ("group", (N_("You are good with the internet."), N_("You could help other people."))),
}
ORDER = {r.code: n for n, r in enumerate(ROUTES)}

FORM_HOOKS = {"council", "benefits", "jobs_learning", "school"}
POOR_CONNECTION = {"not_online", "public_wifi"}


@dataclass(frozen=True)
class FiredRoute:
    code: str
    why: Text


def _school_needs_a_device(devices: list[str], goals: set[str]) -> bool:
    """The Minimum Digital Living Standard: a household with children needs a laptop or tablet."""
    return "school" in goals and not {"computer", "tablet"} & set(devices)


def _device_need(devices: list[str], goals: set[str]) -> Text | None:
    if NONE in devices:
        return Text(N_("you don't have a working phone, tablet or computer"))
    if devices == ["basic_phone"]:
        return Text(N_("you only have a phone for calls and texts"))
    smartphone_only = set(devices) <= {"smartphone", "basic_phone"}
    if smartphone_only and goals & FORM_HOOKS:
        return Text(N_("you only have a smartphone, and some things you want to do are easier on a bigger screen"))
    return None


def routes_for(answers: dict, result: Result) -> list[FiredRoute]:  # noqa: C901 - one rule per line of the table
    """Every route the answers call for, in priority order, each with why it fired."""
    fired: dict[str, Text] = {}
    devices = as_list(answers["devices"])
    money = set(as_list(answers["money"]))
    goals = set(as_list(answers["goals"]))
    barriers = set(as_list(answers["barriers"]))
    connection = answers["connection"]
    skills = result.score("skills")

    def fire(code: str, why: Text) -> None:
        fired.setdefault(code, why)

    if answers.get("deadline") == "yes":
        fire("assisted_digital", Text(N_("you have something to do online by a set date")))
    device_need = _device_need(devices, goals)
    if device_need:
        fire("device", device_need)
    if device_need or connection in POOR_CONNECTION:
        fire("free_computers", device_need or Text(N_("you don't have the internet at home")))
    if connection in POOR_CONNECTION and ({"benefits", "cannot_afford_broadband", "food_or_heating"} & money):
        fire("data_sim", Text(N_("you don't have the internet at home and money is tight")))
    if "runs_out_of_data" in money:
        fire("data_sim", Text(N_("you often run out of data or credit")))
    if "cannot_afford_broadband" in money and "benefits" in money:
        fire("social_tariff", Text(N_("you can't afford home internet and you get a benefit")))
    if "food_or_heating" in money:
        fire("money_advice", Text(N_("you have had to choose between the internet and food or heating")))
        fire("data_sim", Text(N_("you have had to choose between the internet and food or heating")))
    if _school_needs_a_device(devices, goals):
        fire("device", Text(N_("children's school work needs a laptop or tablet and home internet")))
    if "school" in goals and connection != "broadband":
        fire("data_sim", Text(N_("children's school work needs home internet")))
    not_interested = answers["feelings"] == "does_not_want" and goals == {NONE}
    if not_interested:
        fire("low_pressure", Text(N_("you don't want to use the internet right now, and that's OK")))
    elif skills >= 6:
        fire("champion", Text(N_("you are still learning the first steps")))
    elif skills >= 1:
        fire("course", Text(N_("there are some everyday online tasks you could learn")))
        fire("champion", Text(N_("a helper can go through the things you want to learn, one-to-one")))
    if "being_safe" in result.missing_life_areas or answers["feelings"] == "nervous":
        fire("staying_safe", Text(N_("you are worried about scams, or not yet sure how to spot them")))
    if {"sight", "hearing", "hands"} & barriers:
        fire("accessibility", Text(N_("seeing, hearing or using your hands makes devices harder")))
    if "memory" in barriers:
        fire("learning_disability", Text(N_("memory or understanding makes devices harder")))
    if "reading" in barriers:
        fire("literacy", Text(N_("reading or writing makes devices harder")))
    if "english" in barriers:
        fire("esol", Text(N_("English is not your first language")))
    if answers["who_for"] == "someone_i_help":
        fire("helpers", Text(N_("you are helping someone else")))
    if result.band == "low" and not result.missing_life_areas and skills == 0:
        fire("volunteer", Text(N_("you can already do all the essential things online")))
    return sorted((FiredRoute(c, w) for c, w in fired.items()), key=lambda r: ORDER[r.code])


# Routes that come first when they fired for want of a device or of data; after them, the rest in
# priority order (see first_step).
FIRST_STEP_ORDER = ("assisted_digital", "device", "data_sim")


def _has_no_device(answers: dict) -> bool:
    """No working device, or none that children's school work needs: when a device comes first."""
    devices = as_list(answers["devices"])
    no_device = NONE in devices or devices == ["basic_phone"]
    return no_device or _school_needs_a_device(devices, set(as_list(answers["goals"])))


def first_step(answers: dict, routes: list[FiredRoute], served: Collection[str]) -> str | None:
    """The one step to do first, as a route code; None when no route fired.

    Routes that have help come before routes that have none. Among them: a deadline, then a device
    when there is no working one (or none for children's school work), then free data, then the rest
    in priority order; a bigger screen for someone who already has a smartphone comes last.
    """
    late = len(FIRST_STEP_ORDER)
    no_device = _has_no_device(answers)

    def rank(position: int) -> tuple[bool, int, int]:
        code = routes[position].code
        if code == "device" and not no_device:
            early = late + 1
        else:
            early = FIRST_STEP_ORDER.index(code) if code in FIRST_STEP_ORDER else late
        return (code not in served, early, position)

    best = min(range(len(routes)), key=rank, default=None)
    return None if best is None else routes[best].code
