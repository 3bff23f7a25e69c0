"""Routing: which kinds of help a person's answers and scores call for.

Each route is a need the directory can meet; a resource lists the route codes it serves. Several
routes can fire at once, and they come back in priority order. Source: triage-model.md section 3.3.
"""

from __future__ import annotations

from dataclasses import dataclass

from .questionnaire import NONE, as_list
from .scoring import Result
from .text import N_, Text


@dataclass(frozen=True)
class RouteInfo:
    code: str
    title: str  # the heading residents see in their plan
    next_step: str  # a plain-English next step


ROUTES: tuple[RouteInfo, ...] = (
    RouteInfo(
        "assisted_digital",
        N_("Help with your task now"),
        N_("Get help to do your urgent task together, before your date."),
    ),
    RouteInfo("device", N_("Get a device"), N_("Ask about a free or loaned phone, tablet or laptop.")),
    RouteInfo("free_computers", N_("Use a free computer and wifi"), N_("Use free computers and wifi near you.")),
    RouteInfo("data_sim", N_("Get free mobile data"), N_("Ask for a free SIM card with mobile data.")),
    RouteInfo(
        "social_tariff", N_("Pay less for the internet"), N_("Check if you can get cheaper broadband or phone deals.")
    ),
    RouteInfo("money_advice", N_("Money and benefits advice"), N_("Talk to someone about money and benefits.")),
    RouteInfo("champion", N_("One-to-one help"), N_("Meet a Digital Champion who will help you one step at a time.")),
    RouteInfo("course", N_("Learn with others"), N_("Join a free course to build your skills.")),
    RouteInfo("staying_safe", N_("Stay safe online"), N_("Learn how to spot scams and keep your accounts safe.")),
    RouteInfo(
        "low_pressure", N_("Other ways to get things done"), N_("You don't have to go online. Here are other ways.")
    ),
    RouteInfo(
        "accessibility", N_("Make devices easier to use"), N_("Get help to set up your device so it works for you.")
    ),
    RouteInfo(
        "learning_disability", N_("Help at your own pace"), N_("Get patient, regular help and easy-read guides.")
    ),
    RouteInfo(
        "literacy",
        N_("Reading and writing support"),
        N_("Get help with reading and writing, and tools that read aloud."),
    ),
    RouteInfo("esol", N_("English and digital skills"), N_("Learn English and digital skills together.")),
    RouteInfo("helpers", N_("Help for helpers"), N_("Get support for you as the person helping.")),
    RouteInfo("volunteer", N_("Help others get online"), N_("You have good digital skills. You could help others.")),
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
    if "school" in goals and (not {"computer", "tablet"} & set(devices) or connection != "broadband"):
        fire("device", Text(N_("children's school work needs a laptop or tablet and home internet")))
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
