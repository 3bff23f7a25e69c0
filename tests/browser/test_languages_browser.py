"""The journey in Polish, Gujarati and Urdu in a real browser: an axe-core scan of every page, the
plan's script drawn with real glyphs (no "tofu" boxes), and screenshots of the plan in Gujarati and Urdu."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from browser_checks import assert_accessible
from helpers import OFFLINE
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-results"
JOURNEY = [
    ("who_for", "Me"),
    ("postcode", "LE11 3DU"),
    ("devices", ["Phone for calls and texts only"]),
    ("connection", "I don't go online"),
    ("money", ["None of these"]),
    ("foundation_skills", ["None of these yet"]),
    ("life_skills", ["None of these yet"]),
    ("feelings", "Nervous, or worried about scams"),
    ("goals", ["Health, for example the GP or the NHS App"]),
    ("barriers", ["English is not my first language"]),
    ("language", "Polish"),
    ("help_preferences", ["One-to-one with a helper"]),
    ("deadline", "No"),
]
# The characters a page in each script must contain, so the glyph check looks at the right text.
SCRIPTS = {"gu": ("\u0a80", "\u0aff"), "ur": ("\u0600", "\u06ff")}


def translations(code: str) -> dict[str, str]:
    with open(ROOT / "triage" / "translations" / code / "LC_MESSAGES" / "messages.po", "rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id and isinstance(m.id, str)}


def walk_in(page, axe, code: str) -> str:
    """The whole journey in one language, scanning every page; returns the plan's reference."""
    t = translations(code)
    page.goto(f"/?lang={code}")
    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if code == "ur" else "ltr")
    assert_accessible(axe, page)
    page.get_by_role("button", name=t["Start now"]).click()
    for question, value in JOURNEY:
        expect(page.locator("h1")).to_have_count(1)
        assert_accessible(axe, page)
        if question == "postcode":
            page.locator("input[name=postcode]").fill(value)
        else:
            for label in value if isinstance(value, list) else [value]:
                page.get_by_label(t[label], exact=True).check()
        page.get_by_role("button", name=t["Continue"], exact=True).click()
    expect(page.locator("h1")).to_have_text(t["Check your answers"])
    assert_accessible(axe, page)
    page.get_by_role("button", name=t["See my plan"]).click()
    expect(page.locator(".govuk-panel__title")).to_have_text(t["Your plan"])
    assert_accessible(axe, page)
    return page.locator(".signpost-reference").first.inner_text()


@pytest.mark.parametrize("code", ["pl", "gu", "ur"])
def test_the_journey_plan_and_easy_read_plan_in_each_language_pass_axe(page, axe, code):
    reference = walk_in(page, axe, code)
    page.goto(f"/plan/{reference}/easy-read")
    expect(page.locator(".signpost-easy-read__step").first).to_be_visible()
    assert_accessible(axe, page)
    page.goto("/find-help?postcode=LE11+3DU")
    assert_accessible(axe, page)
    page.goto("/privacy")
    assert_accessible(axe, page)


TOFU_CHECK = """() => {
  const canvas = document.createElement("canvas");
  canvas.width = 64; canvas.height = 64;
  const ctx = canvas.getContext("2d", {willReadFrequently: true});
  const font = getComputedStyle(document.querySelector("main")).fontFamily;
  const draw = (ch) => {
    ctx.clearRect(0, 0, 64, 64);
    ctx.font = "40px " + font;
    ctx.fillText(ch, 8, 48);
    return ctx.getImageData(0, 0, 64, 64).data.join(",");
  };
  const blank = draw(" ");
  const tofu = draw("\\u0378");  // unassigned: every font draws its missing-glyph box
  const chars = [...new Set([...document.body.innerText].filter((c) => c.trim()))];
  return {tofuIsDrawn: tofu !== blank, chars: chars.join(""), missing: chars.filter((c) => draw(c) === tofu)};
}"""


@pytest.mark.parametrize("code", ["gu", "ur"])
def test_the_plan_in_gujarati_and_urdu_has_real_glyphs_for_every_character(page, code):
    response = page.request.post(
        "/api/v1/assessments",
        data={"postcode": "LE11 3DU", "answers": {**OFFLINE, "barriers": ["sight", "english"], "language": "gu"}},
    )
    reference = response.json()["reference"]
    for path in (f"/plan/{reference}?lang={code}", f"/plan/{reference}/easy-read?lang={code}"):
        page.goto(path)
        SCREENSHOTS.mkdir(exist_ok=True)
        name = "plan" if "easy-read" not in path else "plan-easy-read"
        page.screenshot(path=SCREENSHOTS / f"{name}-{code}.png", full_page=True)
        found = page.evaluate(TOFU_CHECK)
        assert found["tofuIsDrawn"], "the missing-glyph box should draw something to compare with"
        low, high = SCRIPTS[code]
        assert sum(low <= c <= high for c in found["chars"]) > 20, "the page should be in the language's script"
        assert not found["missing"], f"{path}: drawn as empty boxes: {found['missing']}"
        fonts = _fonts_for(page, ".govuk-panel__title" if name == "plan" else "h1")
        script_font = {"gu": "Gujarati", "ur": "Urdu"}[code]
        assert any(script_font in f["familyName"] for f in fonts), fonts


def _fonts_for(page, selector: str) -> list[dict]:
    """The fonts Chromium really used to draw an element's text (DevTools' "Rendered fonts")."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
