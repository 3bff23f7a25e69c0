"""Other languages: every public page in Polish, Gujarati and Urdu with nothing left in English, the
language choice, right-to-left Urdu, plans in a chosen language, and the catalogues themselves."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict
from gettext import NullTranslations
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from flask_babel import force_locale, get_domain
from helpers import DROP_IN, OFFLINE, CheckedClient, complete_journey, csrf_token, page_text
from public_pages import every_public_page
from sqlalchemy import select

from triage.core.interface_languages import INTERFACE_LANGUAGES
from triage.web.app import create_app
from triage.web.extensions import db
from triage.web.models import Resource, Ward
from triage.web.shell.fragments import kept_pieces

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "triage" / "translations"
TRANSLATED = [lang.code for lang in INTERFACE_LANGUAGES if lang.code != "en"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}|%%|</?\w+")


def catalogue(code: str):
    with open(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=code)


def template():
    with open(TRANSLATIONS / "messages.pot", "rb") as f:
        return read_po(f)


# The catalogues ---------------------------------------------------------------------------------


def test_the_template_lists_every_message_in_the_code(tmp_path):
    """A string marked for translation but missing from messages.pot: run `make messages`."""
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [Path(sys.executable).parent / "pybabel", "extract", "-F", "babel.cfg", "-k", "N_", "-k", "_l",
         "-o", str(fresh), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with open(fresh, "rb") as f:
        extracted = {m.id for m in read_po(f) if m.id}
    assert extracted == {m.id for m in template() if m.id}


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated_with_its_placeholders_and_markup(code):
    translations = catalogue(code)
    expected = {m.id for m in template() if m.id}
    assert {m.id for m in translations if m.id} == expected, "run `make messages`"
    problems = []
    for message in translations:
        if not message.id:
            continue
        singular = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(f"not translated: {singular!r}")
            continue
        wanted = sorted(PLACEHOLDER.findall(singular))
        for string in strings:
            if sorted(PLACEHOLDER.findall(string)) != wanted and "%(num)d" not in singular:
                problems.append(f"placeholders or markup differ: {singular!r} -> {string!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("code", TRANSLATED)
def test_each_language_has_a_glossary_of_key_terms(code):
    glossary = (ROOT / "docs" / "translations" / f"glossary-{code}.md").read_text(encoding="utf-8")
    for term in ("Digital Champion", "plan", "reference", "postcode", "easy read"):
        assert term.lower() in glossary.lower(), f"{code} glossary lacks {term}"


# Pages with nothing left untranslated ------------------------------------------------------------


@pytest.fixture(scope="module")
def missing_messages(app):
    """Every message a page asked a catalogue for and did not find, by language."""
    missing: dict[str, set[str]] = defaultdict(set)

    class NotInCatalogue(NullTranslations):
        def __init__(self, code: str):
            super().__init__()
            self.code = code

        def gettext(self, message):
            missing[self.code].add(message)
            return message

        def ngettext(self, singular, plural, n):
            missing[self.code].add(singular)
            return singular if n == 1 else plural

        def pgettext(self, context, message):
            missing[self.code].add(f"{context}|{message}")
            return message

        def npgettext(self, context, singular, plural, n):
            missing[self.code].add(f"{context}|{singular}")
            return singular if n == 1 else plural

    with app.test_request_context():
        for code in TRANSLATED:
            with force_locale(code):
                get_domain().get_translations().add_fallback(NotInCatalogue(code))
    kept_pieces(app).clear()  # pieces rendered before would not ask the catalogue again
    return missing


@pytest.fixture
def journey_data(app, people):
    """A plan whose help includes one that takes referrals, and a directory entry's page."""
    client = people(None)
    response = complete_journey(client, OFFLINE)
    reference = response.request.path.rsplit("/", 1)[1]
    with app.app_context():
        drop_in = db.session.execute(select(Resource).where(Resource.name == DROP_IN)).scalar_one()
        return reference, drop_in.id, drop_in.slug


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_public_page_finds_every_message_in_the_catalogue(app, missing_messages, journey_data, code):
    client = app.test_client()
    client.get(f"/?lang={code}")
    pages = 0
    for path, response in every_public_page(client, *journey_data):
        pages += 1
        assert response.status_code < 500, path
        assert not missing_messages[code], f"{path}: not in the {code} catalogue: {sorted(missing_messages[code])}"
        html = BeautifulSoup(response.get_data(as_text=True), "html.parser").html
        assert html["lang"] == code, path
        assert html["dir"] == ("rtl" if code == "ur" else "ltr"), path
    assert pages > 40


# A pseudo-translation marks every translated message ⟦like this⟧; any English left outside the marks
# was never passed through the catalogue (hard-coded in a template or in Python).
OPEN, CLOSE = "\u27e6", "\u27e7"
BRACKETED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
VALUE = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def _bracketed(message: str) -> str:
    """⟦message⟧, with each placeholder left outside the marks, so a value filled in untranslated shows."""
    return OPEN + VALUE.sub(lambda m: CLOSE + m.group(0) + OPEN, message) + CLOSE


def _pseudo_catalogue(directory: Path) -> None:
    pseudo = template()
    pseudo.locale = "pl"
    for message in pseudo:
        if message.id:
            if isinstance(message.id, tuple):
                message.string = tuple(_bracketed(part) for part in (message.id[0], message.id[1], message.id[1]))
            else:
                message.string = _bracketed(message.id)
    target = directory / "pl" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with open(target / "messages.mo", "wb") as f:
        write_mo(f, pseudo)


@pytest.fixture(scope="module")
def pseudo_app(app, tmp_path_factory):
    directory = tmp_path_factory.mktemp("pseudo")
    _pseudo_catalogue(directory)
    pseudo = create_app({**app.config, "BABEL_TRANSLATION_DIRECTORIES": str(directory)})
    pseudo.test_client_class = CheckedClient
    return pseudo


def _data_strings(app, reference: str) -> list[str]:
    """Text that comes from the directory and the council's data, which stays as it was entered."""
    with app.app_context():
        strings = {app.extensions["council"].name, app.extensions["council"].area, reference}
        for r in db.session.execute(select(Resource)).scalars():
            strings |= {r.name, r.organisation or "", r.address or "", r.description or "", r.eligibility or ""}
            strings |= {r.cost or "", r.opening_notes or "", r.phone or "", r.email or "", r.postcode or ""}
        strings |= {w.name for w in db.session.execute(select(Ward)).scalars()}
    strings |= {
        "LE11 3DU",
        "LE11 3",
        "LE11 1ZZ",
        "LE11 1",
        "NOT A POSTCODE",
        "Renew my bus pass by 30 June",
        "AAAA-BBBB-CCCC",
    }
    strings.add(app.config["SESSION_COOKIE_NAME"])  # the cookies page names the cookie
    return sorted((s for s in strings if s), key=len, reverse=True)


def _untranslated(html: str, data: list[str]) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    for tag in soup.select(".signpost-languages [lang]"):  # the switcher names each language in itself
        tag.decompose()
    texts = [soup.body.get_text(" ")] + [soup.title.get_text()]
    texts += [tag[attr] for attr in ("aria-label", "alt", "title", "placeholder") for tag in soup.select(f"[{attr}]")]
    found = []
    for text in texts:
        while BRACKETED.search(text):
            text = BRACKETED.sub(" ", text)
        for item in data:
            text = text.replace(item, " ")
        found += [" ".join(text[max(0, m.start() - 30) : m.end() + 30].split()) for m in ENGLISH_WORD.finditer(text)]
    return found


def test_no_english_is_left_outside_the_catalogue_on_any_public_page(pseudo_app, journey_data):
    client = pseudo_app.test_client()
    client.get("/?lang=pl")
    data = _data_strings(pseudo_app, journey_data[0])
    problems = []
    for path, response in every_public_page(client, *journey_data):
        assert response.status_code < 300 or response.status_code >= 400, f"{path} redirected"
        problems += [f"{path}: …{text}…" for text in _untranslated(response.get_data(as_text=True), data)]
    assert not problems, "\n".join(dict.fromkeys(problems))


# Choosing a language ----------------------------------------------------------------------------


def test_the_language_chosen_is_remembered_for_the_session_and_shown_in_the_switcher(client):
    assert "Polski" in page_text(client.get("/"))
    first = BeautifulSoup(client.get("/?lang=ur").get_data(as_text=True), "html.parser")
    assert first.html["lang"] == "ur" and first.html["dir"] == "rtl"
    later = client.get("/find-help")
    assert later.headers["Content-Language"] == "ur"
    soup = BeautifulSoup(later.get_data(as_text=True), "html.parser")
    switcher = soup.find("nav", class_="signpost-languages")
    current = switcher.find(attrs={"aria-current": "true"})
    assert current.get_text(strip=True) == "اردو" and current["lang"] == "ur"
    links = {a["lang"]: a["href"] for a in switcher.find_all("a")}
    assert set(links) == {"en", "pl", "gu"}
    assert links["pl"] == "/find-help?lang=pl"
    english = BeautifulSoup(client.get(links["en"]).get_data(as_text=True), "html.parser")
    assert english.html["lang"] == "en" and english.html["dir"] == "ltr"


def test_a_language_we_do_not_offer_changes_nothing(client):
    client.get("/?lang=pl")
    response = client.get("/?lang=xx")
    assert response.status_code == 200
    assert BeautifulSoup(response.get_data(as_text=True), "html.parser").html["lang"] == "pl"


def test_a_page_keeps_its_query_when_switching_language(client):
    soup = BeautifulSoup(client.get("/find-help?postcode=LE11+3DU&free=yes").get_data(as_text=True), "html.parser")
    link = soup.find("nav", class_="signpost-languages").find("a", lang="gu")["href"]
    assert "postcode=LE11" in link and "free=yes" in link and "lang=gu" in link


@pytest.mark.parametrize("code", TRANSLATED)
def test_an_unchecked_translation_says_so_and_offers_english(client, code):
    soup = BeautifulSoup(client.get(f"/?lang={code}").get_data(as_text=True), "html.parser")
    notice = soup.find(class_="signpost-translation-notice")
    assert notice is not None
    assert notice.find("a", hreflang="en")["href"] == "/?lang=en"
    assert soup.find(class_="signpost-translation-notice") is not None


def test_english_pages_carry_no_translation_notice(client):
    soup = BeautifulSoup(client.get("/?lang=en").get_data(as_text=True), "html.parser")
    assert soup.find(class_="signpost-translation-notice") is None


def test_the_staff_workspace_stays_in_english(signed_in):
    client = signed_in("staff")
    client.get("/?lang=ur")
    response = client.get("/staff/")
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert soup.html["lang"] == "en" and soup.html["dir"] == "ltr"
    assert soup.find("nav", class_="signpost-languages") is None


# Plans in a language ----------------------------------------------------------------------------


def test_a_plan_made_in_english_reads_in_polish_with_its_reasons(client):
    reference = complete_journey(client, OFFLINE).request.path.rsplit("/", 1)[1]
    english = page_text(client.get(f"/plan/{reference}"))
    assert "We suggest this because you only have a phone for calls and texts" in english
    polish_page = client.get(f"/plan/{reference}?lang=pl")
    polish = page_text(polish_page)
    assert polish_page.headers["Content-Language"] == "pl"
    assert "you only have a phone for calls and texts" not in polish
    po = {m.id: m.string for m in catalogue("pl") if m.id}
    assert po["you only have a phone for calls and texts"] in polish
    assert po["Get a device"] in polish


def test_the_easy_read_plan_has_short_lines_and_a_picture_for_each_step(client):
    reference = complete_journey(client, OFFLINE).request.path.rsplit("/", 1)[1]
    plan = BeautifulSoup(client.get(f"/plan/{reference}").get_data(as_text=True), "html.parser")
    link = plan.find("a", href=f"/plan/{reference}/easy-read")
    assert link is not None
    response = client.get(link["href"])
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    steps = soup.select(".signpost-easy-read__step")
    assert len(steps) == len(plan.select(".signpost-step"))
    for step in steps:
        assert step.find("svg", attrs={"aria-hidden": "true"}) is not None
    sentences = [p.get_text(" ", strip=True) for p in soup.select(".signpost-easy-read__row p")]
    assert sentences and max(len(s.split()) for s in sentences) <= 12
    assert reference in page_text(response)


def test_an_easy_read_plan_in_gujarati(client):
    reference = complete_journey(client, OFFLINE).request.path.rsplit("/", 1)[1]
    soup = BeautifulSoup(client.get(f"/plan/{reference}/easy-read?lang=gu").get_data(as_text=True), "html.parser")
    po = {m.id: m.string for m in catalogue("gu") if m.id}
    assert po["You need a phone, tablet or computer."] in soup.get_text()
    assert soup.html["lang"] == "gu"


def test_an_unknown_plan_has_no_easy_read_version(client):
    assert client.get("/plan/AAAA-BBBB-CCCC/easy-read").status_code == 404


def test_staff_print_a_plan_in_another_language_while_working_in_english(signed_in):
    staff = signed_in("staff")
    reference = staff.post("/api/v1/assessments", json={"postcode": "LE11 3DU", "answers": OFFLINE}).get_json()[
        "reference"
    ]
    page = BeautifulSoup(staff.get(f"/staff/plans/{reference}").get_data(as_text=True), "html.parser")
    form = page.find("form", action=f"/staff/plans/{reference}/print")
    assert {o["value"] for o in form.find_all("option")} == {lang.code for lang in INTERFACE_LANGUAGES}
    printed = staff.get(f"/staff/plans/{reference}/print?language=ur&version=standard")
    soup = BeautifulSoup(printed.get_data(as_text=True), "html.parser")
    assert soup.html["lang"] == "ur" and soup.html["dir"] == "rtl"
    po = {m.id: m.string for m in catalogue("ur") if m.id}
    assert po["Get a device"] in soup.get_text()
    assert "Staff home" not in soup.get_text()  # the staff menu stays off the printed plan
    easy = BeautifulSoup(
        staff.get(f"/staff/plans/{reference}/print?language=pl&version=easy_read").get_data(as_text=True),
        "html.parser",
    )
    assert easy.select(".signpost-easy-read__step") and easy.html["lang"] == "pl"
    after = BeautifulSoup(staff.get(f"/staff/plans/{reference}").get_data(as_text=True), "html.parser")
    assert after.html["lang"] == "en"


@pytest.mark.parametrize("query", ["language=xx&version=standard", "language=pl&version=poster"])
def test_printing_in_a_language_or_version_we_do_not_have_is_refused(signed_in, query):
    staff = signed_in("staff")
    reference = staff.post("/api/v1/assessments", json={"postcode": "LE11 3DU", "answers": OFFLINE}).get_json()[
        "reference"
    ]
    assert staff.get(f"/staff/plans/{reference}/print?{query}").status_code == 400


def test_residents_cannot_use_the_staff_print_view(client):
    reference = complete_journey(client, OFFLINE).request.path.rsplit("/", 1)[1]
    response = client.get(f"/staff/plans/{reference}/print?language=pl")
    assert response.status_code in (302, 401, 403)


# Matching prefers help in the person's language ---------------------------------------------------


def test_help_in_the_persons_language_comes_first_and_the_reason_says_so(client):
    answers = {**OFFLINE, "barriers": ["english"], "language": "pl"}
    response = client.post("/api/v1/assessments", json={"postcode": "LE11 3DU", "answers": answers}).get_json()
    in_polish = [r for r in response["recommendations"] if "pl" in r["resource"]["languages"]]
    assert in_polish, "the sample directory has help in Polish"
    for rec in in_polish:
        assert "help in Polish, the language you asked for" in rec["reasons"]


def test_switching_language_on_a_page_with_errors_goes_back_to_the_same_question(client):
    response = client.post("/questions/who_for", data={"csrf_token": csrf_token(client, "/questions/who_for")})
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert soup.find("nav", class_="signpost-languages").find("a", lang="pl")["href"] == "/questions/who_for?lang=pl"


@pytest.mark.parametrize(
    "query", ["endpoint=x", "_method=POST", "page=x", "_external=1", "_anchor=top", "lang=pl&lang=gu", "a=%E2%9C%93"]
)
def test_odd_query_strings_do_not_break_the_language_links(client, query):
    for path in ("/find-help", "/", "/questions/who_for", "/help/library-loughborough"):
        response = client.get(f"{path}?{query}")
        assert response.status_code in (200, 302), path
        if response.status_code == 200:
            links = BeautifulSoup(response.get_data(as_text=True), "html.parser").select(".signpost-languages a")
            assert len(links) == len(INTERFACE_LANGUAGES) - 1, path  # every language but the one shown
            assert all(a["href"].startswith(path) and "lang=" in a["href"] for a in links), path


def test_distances_are_written_the_way_each_language_writes_decimals(client):
    polish = page_text(client.get("/find-help?postcode=LE11+3DU&lang=pl"))
    english = page_text(client.get("/find-help?postcode=LE11+3DU&lang=en"))
    assert re.search(r"\d,\d km", polish) and not re.search(r"\d\.\d km", polish)
    assert re.search(r"\d\.\d km", english)


def test_the_staff_sign_in_page_offers_no_languages(client):
    soup = BeautifulSoup(client.get("/staff/sign-in?lang=pl").get_data(as_text=True), "html.parser")
    assert soup.html["lang"] == "en"
    assert soup.find("nav", class_="signpost-languages") is None


def test_a_printed_plan_says_its_language_and_links_to_the_english_printout(signed_in):
    staff = signed_in("staff")
    reference = staff.post("/api/v1/assessments", json={"postcode": "LE11 3DU", "answers": OFFLINE}).get_json()[
        "reference"
    ]
    printed = staff.get(f"/staff/plans/{reference}/print?language=gu&version=easy_read")
    assert printed.headers["Content-Language"] == "gu"
    notice = BeautifulSoup(printed.get_data(as_text=True), "html.parser").find(class_="signpost-translation-notice")
    assert notice.find("a")["href"] == f"/staff/plans/{reference}/print?language=en&version=easy_read"
