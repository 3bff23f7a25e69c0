"""Routing: which kinds of help a person's answers and scores call for.

Each route is a need the directory can meet; a resource lists the route codes it serves. Several
routes can fire at once, and they come back in priority order. Source: triage-model.md section 3.3.
"""

from __future__ import annotations

from dataclasses import dataclass

from .questionnaire import NONE, as_list
from .scoring import Result


@dataclass(frozen=True)
class RouteInfo:
    code: str
    title: str  # the heading residents see in their plan
    next_step: str  # a plain-English next step


ROUTES: tuple[RouteInfo, ...] = (
    RouteInfo(
        "assisted_digital", "Help with your task now", "Get help to do your urgent task together, before your date."
    ),
    RouteInfo("device", "Get a device", "Ask about a free or loaned phone, tablet or laptop."),
    RouteInfo("free_computers", "Use a free computer and wifi", "Use free computers and wifi near you."),
    RouteInfo("data_sim", "Get free mobile data", "Ask for a free SIM card with mobile data."),
    RouteInfo("social_tariff", "Pay less for the internet", "Check if you can get cheaper broadband or phone deals."),
    RouteInfo("money_advice", "Money and benefits advice", "Talk to someone about money and benefits."),
    RouteInfo("champion", "One-to-one help", "Meet a Digital Champion who will help you one step at a time."),
    RouteInfo("course", "Learn with others", "Join a free course to build your skills."),
    RouteInfo("staying_safe", "Stay safe online", "Learn how to spot scams and keep your accounts safe."),
    RouteInfo("low_pressure", "Other ways to get things done", "You don't have to go online. Here are other ways."),
    RouteInfo("accessibility", "Make devices easier to use", "Get help to set up your device so it works for you."),
    RouteInfo("learning_disability", "Help at your own pace", "Get patient, regular help and easy-read guides."),
    RouteInfo(
        "literacy", "Reading and writing support", "Get help with reading and writing, and tools that read aloud."
    ),
    RouteInfo("esol", "English and digital skills", "Learn English and digital skills together."),
    RouteInfo("helpers", "Help for helpers", "Get support for you as the person helping."),
    RouteInfo("volunteer", "Help others get online", "You have good digital skills. You could help others."),
)
ROUTE_INFO: dict[str, RouteInfo] = {r.code: r for r in ROUTES}
ORDER = {r.code: n for n, r in enumerate(ROUTES)}

FORM_HOOKS = {"council", "benefits", "jobs_learning", "school"}
POOR_CONNECTION = {"not_online", "public_wifi"}


@dataclass(frozen=True)
class FiredRoute:
    code: str
    why: str


def _device_need(devices: list[str], goals: set[str]) -> str | None:
    if NONE in devices:
        return "you don't have a working phone, tablet or computer"
    if devices == ["basic_phone"]:
        return "you only have a phone for calls and texts"
    smartphone_only = set(devices) <= {"smartphone", "basic_phone"}
    if smartphone_only and goals & FORM_HOOKS:
        return "you only have a smartphone, and some things you want to do are easier on a bigger screen"
    return None


def routes_for(answers: dict, result: Result) -> list[FiredRoute]:  # noqa: C901 - one rule per line of the table
    """Every route the answers call for, in priority order, each with why it fired."""
    fired: dict[str, str] = {}
    devices = as_list(answers["devices"])
    money = set(as_list(answers["money"]))
    goals = set(as_list(answers["goals"]))
    barriers = set(as_list(answers["barriers"]))
    connection = answers["connection"]
    skills = result.score("skills")

    def fire(code: str, why: str) -> None:
        fired.setdefault(code, why)

    if answers.get("deadline") == "yes":
        fire("assisted_digital", "you have something to do online by a set date")
    device_need = _device_need(devices, goals)
    if device_need:
        fire("device", device_need)
    if device_need or connection in POOR_CONNECTION:
        fire("free_computers", device_need or "you don't have the internet at home")
    if connection in POOR_CONNECTION and ({"benefits", "cannot_afford_broadband", "food_or_heating"} & money):
        fire("data_sim", "you don't have the internet at home and money is tight")
    if "runs_out_of_data" in money:
        fire("data_sim", "you often run out of data or credit")
    if "cannot_afford_broadband" in money and "benefits" in money:
        fire("social_tariff", "you can't afford home internet and you get a benefit")
    if "food_or_heating" in money:
        fire("money_advice", "you have had to choose between the internet and food or heating")
        fire("data_sim", "you have had to choose between the internet and food or heating")
    if "school" in goals and (not {"computer", "tablet"} & set(devices) or connection != "broadband"):
        fire("device", "children's school work needs a laptop or tablet and home internet")
        fire("data_sim", "children's school work needs home internet")
    not_interested = answers["feelings"] == "does_not_want" and goals == {NONE}
    if not_interested:
        fire("low_pressure", "you don't want to use the internet right now, and that's OK")
    elif skills >= 6:
        fire("champion", "you are still learning the first steps")
    elif skills >= 1:
        fire("course", "there are some everyday online tasks you could learn")
        fire("champion", "a helper can go through the things you want to learn, one-to-one")
    if "being_safe" in result.missing_life_areas or answers["feelings"] == "nervous":
        fire("staying_safe", "you are worried about scams, or not yet sure how to spot them")
    if {"sight", "hearing", "hands"} & barriers:
        fire("accessibility", "seeing, hearing or using your hands makes devices harder")
    if "memory" in barriers:
        fire("learning_disability", "memory or understanding makes devices harder")
    if "reading" in barriers:
        fire("literacy", "reading or writing makes devices harder")
    if "english" in barriers:
        fire("esol", "English is not your first language")
    if answers["who_for"] == "someone_i_help":
        fire("helpers", "you are helping someone else")
    if result.band == "low" and not result.missing_life_areas and skills == 0:
        fire("volunteer", "you can already do all the essential things online")
    return sorted((FiredRoute(c, w) for c, w in fired.items()), key=lambda r: ORDER[r.code])
