"""The reader's language: chosen by `?lang=` or the switcher, remembered for the session.

Public pages are offered in every language of core.interface_languages; the staff workspace is in
English (staff print or show a plan in another language through the plan's print view). Catalogues
live in triage/translations and are compiled by `make setup` (see the Makefile's `messages` target).
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, g, request, session, url_for
from flask_babel import Babel, format_decimal, get_locale, gettext, ngettext
from markupsafe import Markup
from werkzeug.routing import BuildError

from triage.core.interface_languages import BY_CODE, DEFAULT, INTERFACE_LANGUAGES, InterfaceLanguage, interface_language
from triage.core.text import Text
from triage.web.config import ROOT

TRANSLATIONS = ROOT / "triage" / "translations"
ENGLISH_ONLY_BLUEPRINTS = {"staff", "api", "oruk", "health"}
PLURAL_EXAMPLES = {"one": 1, "few": 2, "many": 5, "other": 5}  # a number that takes each CLDR plural form


def select_locale() -> str:
    if request.blueprint in ENGLISH_ONLY_BLUEPRINTS:
        return DEFAULT
    chosen = interface_language(session.get("lang"))
    return chosen.code if chosen else DEFAULT


def current_language() -> InterfaceLanguage:
    return BY_CODE.get(str(get_locale()), BY_CODE[DEFAULT])


def translate(text: Text | dict | str) -> str:
    """A core sentence (or one stored as JSON) in the reader's language."""
    if not isinstance(text, Text):
        text = Text.from_json(text)
    return text.render(gettext, number=lambda value: format_decimal(value, format="0.0"))


def switch_language_url(code: str) -> str:
    """This page again, in another language (a page shown after a form was sent: the form again)."""
    if "page_to_translate" not in g:  # every language's link, and the notice's, is to the same page
        g.page_to_translate = _page_to_translate()
    if g.page_to_translate is None:
        return url_for("resident.start", lang=code)
    path, query = g.page_to_translate
    return f"{path}?{urlencode([*query, ('lang', code)])}"


def _page_to_translate() -> tuple[str, list[tuple[str, str]]] | None:
    """This page's path and query without its language, or None for a page that cannot be asked for again."""
    rule = request.url_rule
    if request.endpoint is None or rule is None or "GET" not in (rule.methods or ()):
        return None
    try:
        path = url_for(request.endpoint, **(request.view_args or {}))
    except BuildError:
        return None
    query = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"] if request.method == "GET" else []
    return path, query


def character_count_text(limit: int) -> dict:
    """The GOV.UK character count's messages in the reader's language (govuk-frontend has them in English).

    Its JavaScript picks a plural form with Intl.PluralRules and fills in %{count}; Polish needs all four forms.
    """
    remaining = {
        form: ngettext(
            "You have %(count)s character remaining", "You have %(count)s characters remaining", n, count="%{count}"
        )
        for form, n in PLURAL_EXAMPLES.items()
    }
    too_many = {
        form: ngettext(
            "You have %(count)s character too many", "You have %(count)s characters too many", n, count="%{count}"
        )
        for form, n in PLURAL_EXAMPLES.items()
    }
    return {
        "maxlength": limit,
        "textareaDescriptionText": ngettext(
            "You can enter up to %(num)d character", "You can enter up to %(num)d characters", limit
        ),
        "charactersUnderLimitText": remaining,
        "charactersAtLimitText": gettext("You have 0 characters remaining"),
        "charactersOverLimitText": too_many,
    }


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    Babel(app, locale_selector=select_locale)  # one per app: Flask-Babel caches catalogues on its instance

    @app.before_request
    def remember_language():
        chosen = interface_language(request.args.get("lang"))
        if chosen and request.blueprint not in ENGLISH_ONLY_BLUEPRINTS:
            session["lang"] = chosen.code

    @app.after_request
    def content_language(response):
        if response.mimetype == "text/html":
            response.headers.setdefault("Content-Language", str(get_locale()))
        return response

    @app.context_processor
    def language_context():
        language = current_language()
        # govuk-frontend-jinja's page template has no `dir`; it is added to the html element's lang value.
        html_lang = Markup('{}" dir="{}').format(language.code, language.direction)
        return {
            "language": language,
            "interface_languages": INTERFACE_LANGUAGES,
            "html_lang": html_lang,
            "offer_languages": request.blueprint not in ENGLISH_ONLY_BLUEPRINTS,
        }

    app.add_template_global(switch_language_url)
    app.add_template_global(character_count_text)
    app.add_template_filter(translate, "t")
