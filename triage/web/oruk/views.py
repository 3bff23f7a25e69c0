"""The Open Referral UK 3.0 API under /oruk/: the directory of help as an open, anonymous feed.

All nine GET endpoints of the ORUK 3.0 OpenAPI, with the standard page wrapper, CORS for everyone and
JSON errors that name the parameter (never a 5xx for bad input). Retired help is never published. The
mapping to ORUK is in feed.py.
"""

from __future__ import annotations

import math
import re

from flask import Blueprint, Response, jsonify, request
from sqlalchemy import ColumnElement, String, and_, cast, exists, false, func, or_, select

from triage.core.geography import Lookup, Point, distance_km
from triage.core.taxonomy import BY_KEY, TAXONOMIES, TAXONOMY_BY_ID, TERM_BY_ID, TERMS
from triage.web.areas import packs
from triage.web.areas.profiles import council
from triage.web.assessments.places import find_postcode
from triage.web.directory.revision import per_revision
from triage.web.extensions import db
from triage.web.models import Organisation, Resource, Ward, resource_ward
from triage.web.oruk.feed import (
    API_DETAILS,
    ORUK_STATUS_OUT,
    Context,
    service_at_location_full,
    service_at_location_id,
    service_at_location_summary,
    service_full,
    service_id_for_slug,
    service_summary,
    taxonomy_doc,
    term_doc,
)
from triage.web.shell.errors import is_under, json_error

PREFIX = "/oruk"
bp = Blueprint("oruk", __name__, url_prefix=PREFIX)

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
MAX_PAGE = 10**6
MAX_PROXIMITY_M = 1_000_000
MAX_SEARCH = 200
COVERAGE_ORDER = {"local": 0, "borough": 1, "national": 2}  # help with no place: the most local first


class ParameterError(Exception):
    def __init__(self, name: str, problem: str):
        super().__init__(f"{name} {problem}")
        self.name, self.problem = name, problem


@bp.errorhandler(ParameterError)
def _bad_parameter(problem: ParameterError):
    return json_error(400, f"The parameter {problem.name} {problem.problem}", {problem.name: problem.problem})


@bp.after_app_request
def _open_to_all(response: Response) -> Response:
    """CORS on every response under /oruk/, including the app's own errors and redirects there."""
    if is_under(request.path, PREFIX):
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _whole_number(name: str, default: int, maximum: int) -> int:
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    if not re.fullmatch(r"[0-9]{1,9}", raw) or not 1 <= int(raw) <= maximum:
        raise ParameterError(name, f"must be a whole number from 1 to {maximum}")
    return int(raw)


def _paging() -> tuple[int, int]:
    return _whole_number("page", 1, MAX_PAGE), _whole_number("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)


def _page(total: int, page: int, per_page: int, contents: list[dict]):
    total_pages = math.ceil(total / per_page)
    return jsonify(
        total_items=total,
        total_pages=total_pages,
        page_number=page,
        size=len(contents),
        first_page=page == 1,
        last_page=page >= total_pages,
        empty=not contents,
        contents=contents,
    )


def _context() -> Context:
    samples = db.session.execute(select(Organisation.id).where(Organisation.is_sample)).scalars()
    profile = council()
    districts = {lad: packs.wards(lad)[0].lad_name for lad in profile.lads}
    return Context(profile.area, districts, frozenset(samples))


def _has_code(field: str, code: str):
    if field == "kind":
        return Resource.kind == code
    return cast(getattr(Resource, field), String).contains(f'"{code}"', autoescape=True)


def _filters() -> list:
    """The published entries that match `search`, `taxonomy_term_id` and `taxonomy_id`."""
    conditions: list[ColumnElement[bool]] = [Resource.status.in_(list(ORUK_STATUS_OUT))]
    search = request.args.get("search", "").strip()
    if len(search) > MAX_SEARCH or not search.isprintable():
        raise ParameterError("search", f"must be at most {MAX_SEARCH} printable characters")
    if search:
        columns = (Resource.name, Resource.description, Resource.organisation)
        conditions.append(or_(*(column.icontains(search, autoescape=True) for column in columns)))
    term_id = request.args.get("taxonomy_term_id", "").strip().lower()
    if term_id:
        term = TERM_BY_ID.get(term_id)
        conditions.append(_has_code(BY_KEY[term.taxonomy_key].field, term.code) if term else false())
    taxonomy_id = request.args.get("taxonomy_id", "").strip().lower()
    if taxonomy_id:
        taxonomy = TAXONOMY_BY_ID.get(taxonomy_id)
        if taxonomy is None:
            conditions.append(false())
        elif taxonomy.field != "kind":  # every entry has a kind; the other fields are lists that may be empty
            conditions.append(cast(getattr(Resource, taxonomy.field), String).contains('"'))
    return conditions


def _rows_in_order(ids: list[int]) -> list[Resource]:
    rows = {r.id: r for r in db.session.execute(select(Resource).where(Resource.id.in_(ids))).scalars()}
    return [rows[i] for i in ids]


def _build_id_maps() -> tuple[dict[str, int], dict[str, int]]:
    services, places = {}, {}
    for row_id, slug in db.session.execute(select(Resource.id, Resource.slug)):
        sid = service_id_for_slug(slug)
        services[sid] = row_id
        places[service_at_location_id(sid)] = row_id
    return services, places


def _id_maps() -> tuple[dict[str, int], dict[str, int]]:
    """Service and service-at-location ids to rows. The ids are computed, not stored: the maps are kept
    until the directory changes, so a detail request does not hash every slug."""
    return per_revision("oruk id maps", _build_id_maps)


def _published(row_id: int | None) -> Resource | None:
    row = db.session.get(Resource, row_id) if row_id is not None else None
    return row if row is not None and row.status in ORUK_STATUS_OUT else None


@bp.get("/")
def api_details():
    return jsonify(API_DETAILS)


@bp.get("/services")
def services():
    page, per_page = _paging()
    conditions = _filters()
    total = db.session.scalar(select(func.count(Resource.id)).where(*conditions))
    rows = db.session.execute(
        select(Resource)
        .where(*conditions)
        .order_by(Resource.name, Resource.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).scalars()
    context = _context()
    return _page(total, page, per_page, [service_summary(r, context) for r in rows])


@bp.get("/services/<string:sid>")
def service(sid: str):
    resource = _published(_id_maps()[0].get(sid.strip().lower()))
    if resource is None:
        return json_error(404, "No published service has that id")
    return jsonify(service_full(resource, _context()))


def _place():
    """The postcode's ward and centroid, and the proximity in metres, from the query string (or None)."""
    raw_postcode = request.args.get("postcode", "").strip()
    raw_proximity = request.args.get("proximity", "").strip()
    proximity = None
    if raw_proximity:
        try:
            proximity = float(raw_proximity)
        except ValueError:
            proximity = math.nan
        if not math.isfinite(proximity) or not 0 < proximity <= MAX_PROXIMITY_M:
            raise ParameterError(
                "proximity", f"must be a distance in metres, more than 0 and at most {MAX_PROXIMITY_M}"
            )
        if not raw_postcode:
            raise ParameterError("proximity", "needs a postcode to measure from")
    if not raw_postcode:
        return None, None
    result = find_postcode(raw_postcode)
    if result.outcome is Lookup.INVALID:
        raise ParameterError("postcode", "is not a valid UK postcode")
    if result.outcome is not Lookup.FOUND:
        raise ParameterError("postcode", "is not in this service's postcode table")
    return result.place, proximity


def _box(point: Point, metres: float):
    """A latitude/longitude box that holds every point within `metres` (a little larger, never smaller)."""
    d_lat = metres / 110_000  # a degree of latitude is 110.6 to 111.7 km
    far_lat = min(abs(point.lat) + d_lat, 89.0)
    d_lon = metres / (111_000 * math.cos(math.radians(far_lat)))
    return and_(
        Resource.lat.between(point.lat - d_lat, point.lat + d_lat),
        Resource.lon.between(point.lon - d_lon, point.lon + d_lon),
    )


def _near(place, proximity: float | None, conditions: list) -> list[tuple[int, float | None]]:
    """Entry ids and distances for a postcode, nearest first, then help with no place, the most local first.

    Help with a place matches within `proximity` metres; without a proximity, or for help with no place,
    the help's area must cover the postcode (its ward, its borough or the country), or it must have no area.
    """
    lad = db.session.get_one(Ward, place.ward_code).lad_code  # a postcode's ward_code is a foreign key to ward
    has_ward = select(resource_ward.c.resource_id).where(resource_ward.c.ward_code == place.ward_code)
    any_ward = exists().where(resource_ward.c.resource_id == Resource.id)
    covers = or_(
        Resource.id.in_(has_ward),
        and_(Resource.coverage == "borough", Resource.borough_code == lad),
        Resource.coverage == "national",
        and_(Resource.coverage == "local", ~any_ward),
    )
    where = covers if proximity is None else or_(_box(place.point, proximity), and_(Resource.lat.is_(None), covers))
    located, elsewhere = [], []
    columns = (Resource.id, Resource.name, Resource.coverage, Resource.lat, Resource.lon)
    for row_id, name, coverage, lat, lon in db.session.execute(select(*columns).where(*conditions, where)):
        if lat is None or lon is None:
            elsewhere.append((COVERAGE_ORDER.get(coverage, 0), name, row_id))
            continue
        metres = distance_km(place.point, Point(lat, lon)) * 1000
        if proximity is None or metres <= proximity:
            located.append((metres, name, row_id))
    located.sort()
    elsewhere.sort()
    return [(row_id, metres) for metres, _, row_id in located] + [(row_id, None) for _, _, row_id in elsewhere]


@bp.get("/service_at_locations")
def service_at_locations():
    page, per_page = _paging()
    conditions = _filters()
    place, proximity = _place()
    context = _context()
    start = (page - 1) * per_page
    if place is None:
        total = db.session.scalar(select(func.count(Resource.id)).where(*conditions))
        rows = db.session.execute(
            select(Resource).where(*conditions).order_by(Resource.name, Resource.id).offset(start).limit(per_page)
        ).scalars()
        return _page(total, page, per_page, [service_at_location_summary(r, context) for r in rows])
    found = _near(place, proximity, conditions)
    chosen = found[start : start + per_page]
    rows = _rows_in_order([row_id for row_id, _ in chosen])
    contents = [service_at_location_summary(r, context, m) for r, (_, m) in zip(rows, chosen, strict=True)]
    return _page(len(found), page, per_page, contents)


@bp.get("/service_at_locations/<string:sal_id>")
def service_at_location(sal_id: str):
    resource = _published(_id_maps()[1].get(sal_id.strip().lower()))
    if resource is None:
        return json_error(404, "No published service at location has that id")
    return jsonify(service_at_location_full(resource, _context()))


@bp.get("/taxonomies")
def taxonomies():
    page, per_page = _paging()
    chosen = TAXONOMIES[(page - 1) * per_page : page * per_page]
    return _page(len(TAXONOMIES), page, per_page, [taxonomy_doc(t, with_terms=False) for t in chosen])


@bp.get("/taxonomies/<string:taxonomy_id>")
def taxonomy(taxonomy_id: str):
    found = TAXONOMY_BY_ID.get(taxonomy_id.strip().lower())
    if found is None:
        return json_error(404, "No taxonomy has that id")
    return jsonify(taxonomy_doc(found, with_terms=True))


@bp.get("/taxonomy_terms")
def taxonomy_terms():
    page, per_page = _paging()
    chosen = TERMS[(page - 1) * per_page : page * per_page]
    return _page(len(TERMS), page, per_page, [term_doc(t) for t in chosen])


@bp.get("/taxonomy_terms/<string:term_id>")
def taxonomy_term(term_id: str):
    found = TERM_BY_ID.get(term_id.strip().lower())
    if found is None:
        return json_error(404, "No taxonomy term has that id")
    return jsonify(term_doc(found))


@bp.get("/<path:unknown>")
def not_found(unknown: str):
    return json_error(404, "There is nothing at this address: see /oruk/ and docs/oruk.md")
