"""The public "find help near you" pages: search the directory by postcode or area, filter by kind,
cost, language and accessibility, results in distance order, and a page for each piece of help.
Plain GET forms, so they work without JavaScript and results can be bookmarked or shared."""

from __future__ import annotations

import re

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import load_only

from triage.core.directory_rules import LANGUAGE_NAMES
from triage.core.geography import Lookup, describe_distance
from triage.core.matching import ACCESSIBILITY_FEATURES, FEATURE_NAMES, KINDS
from triage.core.routing import ROUTE_INFO, ROUTES
from triage.core.search import Filters, Found, search
from triage.web.areas import packs
from triage.web.areas.profiles import council
from triage.web.assessments.places import council_wards, find_postcode, place_from_postcode, place_from_ward
from triage.web.directory.index import current_index
from triage.web.extensions import db
from triage.web.languages.i18n import translate
from triage.web.languages.labels import KIND_LABELS, language_name
from triage.web.models import Resource
from triage.web.shell.fragments import kept_piece

bp = Blueprint("find", __name__)
PER_PAGE = 20

POSTCODE_PROBLEMS = {
    Lookup.INVALID: _l("Enter a real postcode, like LE11 3DU"),
    Lookup.NOT_FOUND: _l("We do not know that postcode. Check it, or choose your area instead"),
    Lookup.OUTSIDE: _l("That postcode is outside the area this service covers. Choose an area instead"),
}


# What a result shows (find/search.html and its pieces), and no more: reading another column would cost
# a query per result, so it raises instead.
RESULT_COLUMNS = load_only(
    Resource.id,
    Resource.slug,
    Resource.name,
    Resource.kind,
    Resource.coverage,
    Resource.address,
    Resource.postcode,
    Resource.free,
    Resource.is_sample,
    raiseload=True,
)


def _distance_in_words(km: float) -> Markup:
    """'400 metres', '4.3 km' in the reader's language; there are a few hundred such phrases in all, so each
    is written once per language and kept (shell/fragments.py), as writing a decimal is slow."""
    words = describe_distance(km)
    return kept_piece(("distance", words), lambda: escape(translate(words)))


def _page() -> int:
    value = request.args.get("page", "1")
    return int(value) if re.fullmatch(r"[1-9][0-9]{0,3}", value) else 1


def _choice(name: str, allowed) -> str | None:
    value = request.args.get(name, "")
    return value if value in allowed else None


def _with_rows(shown: list[Found]) -> list[tuple[Resource, Found]]:
    """The page's results with their directory entries, in one query: the index chose and ordered them."""
    ids = [f.resource.id for f in shown]
    if not ids:
        return []
    query = select(Resource).where(Resource.id.in_(ids), Resource.status == "active").options(RESULT_COLUMNS)
    rows = {r.id: r for r in db.session.execute(query).scalars()}
    return [(rows[f.resource.id], f) for f in shown if f.resource.id in rows]


@bp.get("/find-help")
def search_page():
    wards = council_wards()
    postcode, area = request.args.get("postcode", "").strip()[:20], request.args.get("area", "")
    filters = Filters(
        kind=_choice("kind", KINDS),
        need=_choice("need", ROUTE_INFO),
        free_only=request.args.get("free") == "yes",
        language=_choice("language", LANGUAGE_NAMES),
        accessibility=_choice("access", ACCESSIBILITY_FEATURES),
    )
    error, place, searched_for = None, None, ""
    if postcode:
        found = find_postcode(postcode)
        if found.outcome is Lookup.FOUND:
            place, searched_for = place_from_postcode(found), found.postcode
        else:
            error = POSTCODE_PROBLEMS[found.outcome]
    elif area:
        place = place_from_ward(area)
        if place is None or place.source == "none":
            error, place = _("Choose an area from the list"), None
        else:
            searched_for = place.ward_name
    results, total, page = None, 0, _page()
    if place is not None:
        found = search(current_index().resources.values(), place.point, place.ward_code, filters)
        total = len(found)
        page = min(page, max(1, -(-total // PER_PAGE)))
        results = _with_rows(found[(page - 1) * PER_PAGE : page * PER_PAGE])
    return render_template(
        "find/search.html",
        wards=wards,
        postcode=postcode,
        area=area,
        filters=filters,
        error=error,
        searched_for=searched_for,
        results=results,
        total=total,
        page=page,
        pages=-(-total // PER_PAGE),
        first_number=(page - 1) * PER_PAGE + 1,
        page_url=lambda n: url_for("find.search_page", **{**request.args.to_dict(), "page": n}),
        kinds=KIND_LABELS,
        needs={r.code: _(r.title) for r in ROUTES},
        languages={code: language_name(code) for code in LANGUAGE_NAMES},
        features={code: _(name) for code, name in FEATURE_NAMES.items()},
        describe_distance=_distance_in_words,
        local_help=current_index().has_local_help(),
        district_names={lad: packs.district_name(lad) for lad in council().lads},
    ), (400 if error else 200)


@bp.get("/help/<slug>")
def resource_page(slug: str):
    resource = db.session.execute(select(Resource).where(Resource.slug == slug)).scalar_one_or_none()
    if resource is None or resource.status == "retired":
        abort(404)
    return render_template("find/resource.html", r=resource, back=request.referrer if _same_site() else None)


def _same_site() -> bool:
    referrer = request.referrer or ""
    return referrer.startswith(request.host_url) and "/find-help" in referrer
