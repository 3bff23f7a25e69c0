"""The Open Referral UK 3.0 feed (/oruk/) and `flask oruk-import`.

Responses are checked against the official ORUK 3.0 OpenAPI and compiled schemas (copied into
tests/fixtures/oruk/, see PROVENANCE.md there), walking pages and ids as the official validator does.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from geopy.distance import geodesic
from helpers import page_text, upload_directory_csv
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from sqlalchemy import delete, select

from triage.core import matching, routing
from triage.core.taxonomy import NAMESPACE, TAXONOMIES, TERM_BY_CODE
from triage.web.directory.editing import check_entry, entry_of
from triage.web.extensions import db
from triage.web.models import Postcode, Resource, ResourceChange, Ward, resource_ward
from triage.web.oruk.feed import SAMPLE_NOTE, service_id
from triage.web.oruk.importer import FeedError, import_feed

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "oruk"
MOCKS = FIXTURES / "validator-mocks"
OPENAPI_URL = "https://openreferraluk.org/specifications/3.0/openapi.json"
SCHEMA_URL = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
OPENAPI = json.loads((FIXTURES / "schema" / "openapi.json").read_text(encoding="utf-8"))
MOCK_ID = "ac148810-d857-441c-9679-408f346de14b"
OTHER_ID = "0b0f7c0e-5d0a-4c58-9a43-6f1e2d3c4b5a"

# The OpenAPI names the schemas by their GitHub addresses: serve those from the copies in fixtures/.
REGISTRY = Registry().with_resources(
    [(OPENAPI_URL, DRAFT202012.create_resource(OPENAPI))]
    + [
        (SCHEMA_URL + path.relative_to(FIXTURES / "schema").as_posix(), DRAFT202012.create_resource(json.loads(text)))
        for path in (FIXTURES / "schema").rglob("*.json")
        if path.name != "openapi.json" and (text := path.read_text(encoding="utf-8"))
    ]
)
FORMATS = FormatChecker()


@FORMATS.checks("uri")
def _is_uri(value) -> bool:
    parts = urlsplit(value) if isinstance(value, str) else None
    return parts is None or bool(parts.scheme and (parts.netloc or parts.path))


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value) -> bool:
    return not isinstance(value, str) or ("T" in value and bool(datetime.fromisoformat(value.replace("Z", "+00:00"))))


def check(schema_ref: str, body) -> None:
    """Validate against a schema: an OpenAPI path's 200 response ("/services/{id}") or a schema file."""
    if schema_ref.startswith("/"):
        pointer = schema_ref.replace("~", "~0").replace("/", "~1")
        ref = f"{OPENAPI_URL}#/paths/{pointer}/get/responses/200/content/application~1json/schema"
    else:
        ref = SCHEMA_URL + schema_ref
    validator = Draft202012Validator({"$ref": ref}, registry=REGISTRY, format_checker=FORMATS)
    problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(body)]
    assert not problems, f"{schema_ref}: {problems[:5]}"


def get(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.get_data(as_text=True)[:300])
    assert response.headers.get("Access-Control-Allow-Origin") == "*", url
    assert response.mimetype == "application/json", url
    return response.get_json()


def empties(value, where: str = "") -> list[str]:
    """Every place in a document holding null, "", [] or {} (ORUK: leave empty fields out)."""
    if value in (None, "", [], {}):
        return [where or "(document)"]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in empties(v, f"{where}.{k}")]
    if isinstance(value, list):
        return [p for n, v in enumerate(value) for p in empties(v, f"{where}[{n}]")]
    return []


def published(app) -> list[Resource]:
    with app.app_context():
        rows = db.session.execute(select(Resource).where(Resource.status != "retired")).scalars().all()
        for row in rows:
            list(row.wards)  # loaded while the session is open
        db.session.expunge_all()
        return rows


# --- the schemas themselves, and the taxonomy ---


def test_the_copied_schemas_accept_the_validators_passing_feed_and_reject_its_failing_one():
    check("/services/{id}", json.loads((MOCKS / "V3.0-UK-Default" / "service_full.json").read_text()))
    check("/services", json.loads((MOCKS / "V3.0-UK-Default" / "service_list.json").read_text()))
    with pytest.raises(AssertionError, match="'name' is a required property"):
        check("/services", json.loads((MOCKS / "V3.0-UK-Fail" / "service_list.json").read_text()))
    with pytest.raises(AssertionError, match="is not a 'uuid'"):
        check("/taxonomy_terms/{id}", {"id": "1", "name": "n", "description": "d"})
    with pytest.raises(AssertionError, match="is not a 'date-time'"):
        check("/services/{id}", {"id": MOCK_ID, "name": "n", "status": "active", "last_modified": "yesterday"})


def test_taxonomy_has_a_term_for_every_code_the_directory_can_hold():
    fields = {t.field: {term.code for term in t.terms} for t in TAXONOMIES}
    assert fields == {
        "kind": set(matching.KINDS),
        "needs": {r.code for r in routing.ROUTES},
        "delivery_modes": set(matching.DELIVERY_MODES),
        "accessibility": set(matching.ACCESSIBILITY_FEATURES),
    }
    ids = [t.id for t in TAXONOMIES] + [term.id for term in TERM_BY_CODE.values()]
    assert len(ids) == len(set(ids)) and all(uuid.UUID(i).version == 5 for i in ids)


def test_taxonomy_is_pure():
    code = "import sys, triage.core.taxonomy; print([m for m in sys.modules if m.startswith(('flask', 'sqlalchemy'))])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --- every endpoint, page and id, as the validator walks them ---


def test_api_details_name_the_version_the_validator_looks_for(client):
    body = get(client, "/oruk/")
    check("/", body)
    expected = json.loads((MOCKS / "V3.0-UK-Default" / "api_details.json").read_text())
    assert set(body) == set(expected) and body["version"] == "HSDS-UK-3.0"
    assert body["openapi_url"] == OPENAPI_URL


def test_every_openapi_path_is_served(client):
    tested = {"/", "/services", "/services/{id}", "/service_at_locations", "/service_at_locations/{id}"}
    tested |= {"/taxonomies", "/taxonomies/{id}", "/taxonomy_terms", "/taxonomy_terms/{id}"}
    assert set(OPENAPI["paths"]) == tested


WALKS = [
    ("/oruk/services?per_page=7", "/services", "/oruk/services/"),
    ("/oruk/service_at_locations?per_page=7", "/service_at_locations", "/oruk/service_at_locations/"),
    (
        "/oruk/service_at_locations?per_page=4&postcode=LE11+3DU&proximity=5000",
        "/service_at_locations",
        "/oruk/service_at_locations/",
    ),
    ("/oruk/taxonomies?per_page=1", "/taxonomies", "/oruk/taxonomies/"),
    ("/oruk/taxonomy_terms?per_page=5", "/taxonomy_terms", "/oruk/taxonomy_terms/"),
]


@pytest.mark.parametrize(("url", "path", "detail"), WALKS)
def test_first_middle_and_last_pages_and_every_id_on_them_validate(client, url, path, detail):
    total_pages = get(client, url)["total_pages"]
    assert total_pages >= 3
    for number in sorted({1, (total_pages + 1) // 2, total_pages}):
        body = get(client, f"{url}&page={number}")
        check(path, body)
        assert body["page_number"] == number and body["size"] == len(body["contents"]) > 0
        assert (body["first_page"], body["last_page"], body["empty"]) == (number == 1, number == total_pages, False)
        assert not empties(body["contents"])
        for item in body["contents"]:
            document = get(client, detail + item["id"])
            check(f"{path}/{{id}}", document)
            assert document["id"] == item["id"] and not empties(document)
            if path == "/service_at_locations":  # also the shape compiled/service_at_location.json describes
                check("compiled/service_at_location.json", document)
                check("compiled/service_at_location_list.json", item)
                assert document["service"]["id"] == item["service"]["id"]


def test_pages_hold_every_published_entry_once(client, app):
    ids = []
    body = {"last_page": False, "page_number": 0}
    while not body["last_page"]:
        body = get(client, f"/oruk/services?per_page=9&page={body['page_number'] + 1}")
        ids += [item["id"] for item in body["contents"]]
    expected = {service_id(r) for r in published(app)}
    assert len(ids) == len(set(ids)) == body["total_items"] and set(ids) == expected


def test_a_page_after_the_last_is_empty(client):
    body = get(client, "/oruk/services?page=999")
    assert (body["contents"], body["size"], body["empty"], body["last_page"]) == ([], 0, True, True)
    check("/services", body)


def test_ids_are_uuid5_of_the_slug_and_stay_the_same(client, app):
    library = next(r for r in published(app) if r.slug == "library-loughborough")
    expected = str(uuid.uuid5(NAMESPACE, "service/library-loughborough"))
    assert str(NAMESPACE) == "1c3f7d52-9a0e-4b8c-a5d6-2f4e8b7c9d10"  # documented in docs/oruk.md
    first = get(client, f"/oruk/services/{expected}")
    assert first["name"] == library.name
    assert get(client, f"/oruk/services/{expected.upper()}") == first
    sal = first["service_at_locations"][0]
    assert get(client, f"/oruk/service_at_locations/{sal['id']}")["location"]["id"] == sal["location"]["id"]


# --- what the documents say ---


def test_a_library_maps_its_place_hours_wards_languages_and_taxonomy(client, app):
    library = next(r for r in published(app) if r.slug == "library-loughborough")
    doc = get(client, f"/oruk/services/{service_id(library)}")
    assert "sample_data" not in doc and not doc["description"].startswith(SAMPLE_NOTE)
    assert doc["schedules"] == [
        {
            "id": s["id"],
            "freq": "WEEKLY",
            "byday": {"monday": "MO", "tuesday": "TU", "wednesday": "WE", "thursday": "TH", "friday": "FR"}.get(
                session["day"], s["byday"]
            ),
            "opens_at": session["opens"],
            "closes_at": session["closes"],
            "notes": library.opening_notes,
        }
        for s, session in zip(doc["schedules"], library.opening_times, strict=True)
    ]
    assert [a["uri"] for a in doc["service_areas"]] == [
        f"http://statistics.data.gov.uk/id/statistical-geography/{w.code}" for w in library.wards
    ]
    assert doc["ward_codes"] == ["E05014676"]
    assert doc["languages"] == [{"id": doc["languages"][0]["id"], "name": "English", "code": "en"}]
    location = doc["service_at_locations"][0]["location"]
    assert (location["latitude"], location["longitude"]) == (library.lat, library.lon)
    assert location["addresses"][0]["postal_code"] == "LE11 3DU"
    terms = {(a["link_type"], a["taxonomy_term"]["term"]) for a in doc["attributes"]}
    assert terms == {("help_types", "library"), ("needs", "free_computers"), ("ways_of_helping", "drop_in")}
    assert doc["fees"] == "Free" and doc["cost_options"][0]["amount"] == 0


def test_sample_entries_say_so_and_accessibility_is_on_the_location(client, app):
    for row in published(app):
        doc = get(client, f"/oruk/services/{service_id(row)}")
        assert doc.get("sample_data", False) is row.is_sample
        assert doc["description"].startswith(SAMPLE_NOTE) is row.is_sample
        location = doc["service_at_locations"][0].get("location")
        features = [a["attributes"][0]["taxonomy_term"]["term"] for a in (location or {}).get("accessibility", [])]
        assert features == (row.accessibility if location else [])
    assert any(r.is_sample for r in published(app)) and not all(r.is_sample for r in published(app))


def test_borough_and_national_help_have_an_extent_and_the_ons_code(client, app):
    rows = {r.coverage: r for r in published(app)}
    borough = get(client, f"/oruk/services/{service_id(rows['borough'])}")["service_areas"]
    assert [(a["name"], a["extent"], a["extent_type"], a["uri"][-9:]) for a in borough] == [
        ("Charnwood", "Charnwood", "text", "E07000130")
    ]
    national = get(client, f"/oruk/services/{service_id(rows['national'])}")["service_areas"]
    assert [(a["extent"], a["uri"][-9:]) for a in national] == [("United Kingdom", "K02000001")]


@pytest.fixture
def statuses(app):
    """One entry temporarily closed and one retired, put back afterwards."""
    slugs = {"library-shepshed": "temporarily_closed", "library-anstey": "retired"}

    def set_statuses(values):
        with app.app_context():
            for row in db.session.execute(select(Resource).where(Resource.slug.in_(slugs))).scalars():
                row.status = values[row.slug] if values else "active"
            db.session.commit()

    set_statuses(slugs)
    yield slugs
    set_statuses(None)


def test_retired_help_never_appears_and_closed_help_says_so(client, app, statuses):
    rows = {r.slug: r for r in published(app)}
    assert "library-anstey" not in rows
    closed = get(client, f"/oruk/services/{service_id(rows['library-shepshed'])}")
    assert closed["status"] == "temporarily closed"
    retired = str(uuid.uuid5(NAMESPACE, "service/library-anstey"))
    get(client, f"/oruk/services/{retired}", 404)
    listed = get(client, "/oruk/services?per_page=500")["contents"]
    assert retired not in {s["id"] for s in listed} and len(listed) == len(rows)
    places = get(client, "/oruk/service_at_locations?per_page=500&postcode=LE7+7AU&proximity=20000")["contents"]
    assert retired not in {p["service"]["id"] for p in places}
    assert "temporarily closed" in {p["service"]["status"] for p in places}


@pytest.fixture
def notes(app):
    """Shepshed closed with a note, and Quorn open with a note left from before (an import or an old
    reopening kept one); both put back afterwards."""
    slugs = {
        "library-shepshed": ("temporarily_closed", "Closed for repairs until 5 January"),
        "library-quorn": (
            "active",
            "Was closed in March for the roof",
        ),
    }

    def set_notes(values):
        with app.app_context():
            for row in db.session.execute(select(Resource).where(Resource.slug.in_(slugs))).scalars():
                row.status, row.status_note = values[row.slug] if values else ("active", "")
            db.session.commit()

    set_notes(slugs)
    yield slugs
    set_notes(None)


def test_only_a_temporary_closure_is_an_alert(client, app, notes):
    rows = {r.slug: r for r in published(app)}
    closed = get(client, f"/oruk/services/{service_id(rows['library-shepshed'])}")
    still_noted = get(client, f"/oruk/services/{service_id(rows['library-quorn'])}")
    check("/services/{id}", closed)
    check("/services/{id}", still_noted)
    assert (closed["status"], closed["alert"]) == ("temporarily closed", "Closed for repairs until 5 January")
    assert still_noted["status"] == "active" and "alert" not in still_noted
    listed = {s["id"]: s for s in get(client, "/oruk/services?per_page=500")["contents"]}
    check("/services", get(client, "/oruk/services?per_page=500"))
    assert [s.get("alert") for s in listed.values() if s.get("alert")] == ["Closed for repairs until 5 January"]
    places = get(client, "/oruk/service_at_locations?per_page=500&postcode=LE11+9AR&proximity=20000")["contents"]
    alerts = {p["service"]["name"]: p["service"].get("alert") for p in places}
    assert alerts[rows["library-shepshed"].name] == "Closed for repairs until 5 January"
    assert alerts[rows["library-quorn"].name] is None


# --- filters ---


def test_search_and_taxonomy_filters(client, app):
    rows = published(app)
    found = get(client, "/oruk/services?per_page=500&search=LIBRARY")["contents"]
    expected = {service_id(r) for r in rows if "library" in f"{r.name} {r.description} {r.organisation}".lower()}
    assert {s["id"] for s in found} == expected and 0 < len(expected) < len(rows)
    device = TERM_BY_CODE[("needs", "device")]
    found = get(client, f"/oruk/service_at_locations?per_page=500&taxonomy_term_id={device.id}")["contents"]
    assert {s["service"]["id"] for s in found} == {service_id(r) for r in rows if "device" in r.needs} != set()
    features = next(t for t in TAXONOMIES if t.key == "accessibility")
    found = get(client, f"/oruk/services?per_page=500&taxonomy_id={features.id}")["contents"]
    assert {s["id"] for s in found} == {service_id(r) for r in rows if r.accessibility}
    assert get(client, f"/oruk/services?taxonomy_term_id={uuid.uuid4()}")["total_items"] == 0


def test_postcode_and_proximity_give_the_help_within_that_distance_nearest_first(client, app):
    with app.app_context():
        centre = db.session.get(Postcode, "LE11 3DU")
        point, ward = (centre.lat, centre.lon), centre.ward_code
    body = get(client, "/oruk/service_at_locations?postcode=le113du&proximity=3000&per_page=500")
    check("/service_at_locations", body)
    contents = body["contents"]
    located = [c for c in contents if "location" in c]
    assert contents[: len(located)] == located  # places first, then help with no place
    metres = [geodesic(point, (c["location"]["latitude"], c["location"]["longitude"])).m for c in located]
    assert metres == sorted(metres) and all(m <= 3000 for m in metres)
    assert [c["distance"] for c in located] == [round(m) for m in metres]
    rows = published(app)
    near = {service_id(r) for r in rows if r.lat is not None and geodesic(point, (r.lat, r.lon)).m <= 3000}
    far = {service_id(r) for r in rows if r.lat is not None} - near
    covering = {
        service_id(r)
        for r in rows
        if r.lat is None and (r.coverage in ("borough", "national") or ward in {w.code for w in r.wards} or not r.wards)
    }
    assert {c["service"]["id"] for c in contents} == near | covering
    assert near and far and covering


def test_postcode_alone_gives_the_help_whose_area_covers_it(client, app):
    with app.app_context():
        ward = db.session.get(Postcode, "LE12 9AN").ward_code
    contents = get(client, "/oruk/service_at_locations?postcode=LE12%209AN&per_page=500")["contents"]
    rows = published(app)
    covering = {
        service_id(r)
        for r in rows
        if r.coverage in ("borough", "national") or ward in {w.code for w in r.wards} or not r.wards
    }
    assert {c["service"]["id"] for c in contents} == covering and len(covering) < len(rows)


# --- bad requests ---

BAD = [
    ("/oruk/services?page=0", "page"),
    ("/oruk/services?page=abc", "page"),
    ("/oruk/services?page=-1", "page"),
    ("/oruk/services?page=1.5", "page"),
    ("/oruk/services?per_page=0", "per_page"),
    ("/oruk/services?per_page=501", "per_page"),
    ("/oruk/services?per_page=ten", "per_page"),
    ("/oruk/services?search=" + "x" * 201, "search"),
    ("/oruk/services?search=a%00b", "search"),
    ("/oruk/taxonomies?page=0", "page"),
    ("/oruk/taxonomy_terms?per_page=100000", "per_page"),
    ("/oruk/service_at_locations?page=abc", "page"),
    ("/oruk/service_at_locations?postcode=LE11+3DU&proximity=abc", "proximity"),
    ("/oruk/service_at_locations?postcode=LE11+3DU&proximity=-5", "proximity"),
    ("/oruk/service_at_locations?postcode=LE11+3DU&proximity=0", "proximity"),
    ("/oruk/service_at_locations?postcode=LE11+3DU&proximity=nan", "proximity"),
    ("/oruk/service_at_locations?postcode=LE11+3DU&proximity=inf", "proximity"),
    ("/oruk/service_at_locations?postcode=LE11+3DU&proximity=1e9", "proximity"),
    ("/oruk/service_at_locations?proximity=1000", "proximity"),
    ("/oruk/service_at_locations?postcode=not-a-postcode", "postcode"),
    ("/oruk/service_at_locations?postcode=SW1A+1AA&proximity=1000", "postcode"),
    ("/oruk/service_at_locations?postcode=LE11+9YY", "postcode"),
]


@pytest.mark.parametrize(("url", "parameter"), BAD)
def test_bad_parameters_are_a_400_naming_the_parameter(client, url, parameter):
    body = get(client, url, 400)
    assert parameter in body["error"]["fields"] and parameter in body["error"]["message"]


@pytest.mark.parametrize(
    "url",
    [
        f"/oruk/services/{uuid.uuid4()}",
        "/oruk/services/not-an-id",
        f"/oruk/service_at_locations/{uuid.uuid4()}",
        "/oruk/taxonomies/x",
        "/oruk/taxonomy_terms/x",
        "/oruk/organizations",
    ],
)
def test_unknown_ids_and_paths_are_a_json_404(client, url):
    assert get(client, url, 404)["error"]["status"] == 404


# --- import ---


@pytest.fixture
def clean_imports(app):
    """Delete the entries the test imported (slug "oruk-..."), with their ward links."""
    yield
    with app.app_context():
        db.session.remove()
        imported = select(Resource.id).where(Resource.slug.startswith("oruk-"))
        db.session.execute(delete(resource_ward).where(resource_ward.c.resource_id.in_(imported)))
        db.session.execute(delete(Resource).where(Resource.slug.startswith("oruk-")))
        db.session.commit()


def imported_count(app) -> int:
    with app.app_context():
        return len(db.session.execute(select(Resource.id).where(Resource.slug.startswith("oruk-"))).all())


def run_import(app, *paths, **options):
    with app.app_context():
        return import_feed([str(p) for p in paths], **options)


def write(tmp_path, name: str, data) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


MOCK_FILES = [MOCKS / "V3.0-UK-Default" / f for f in ("service_list.json", "service_full.json")]
MOCK_FILES.append(MOCKS / "V3.0-UK-Default" / "service_at_location_full.json")


def test_importing_the_validators_feed_keeps_what_fits_and_reports_the_rest(client, app, clean_imports):
    [outcome] = run_import(app, *MOCK_FILES, sample=True)
    assert (outcome.action, outcome.feed_id, outcome.name) == ("created", MOCK_ID, "Community Counselling")
    reported = "\n".join(outcome.dropped)
    for expected in (
        "accreditations: Signpost has no place for this",
        "contacts: Signpost has no place for this",
        "funding: Signpost has no place for this",
        "schedules[0]: attending_type, bymonthday, description, dtstart, schedule_link, valid_from, valid_to not kept",
        "service_areas[0]: no ward, borough or country code in the uri 'http://example.com'",
        "languages[0]: no name or code of a language Signpost knows",
        "cost_options[0]: only free (amount 0) options are kept",
        "attributes[0]: not a term of Signpost's taxonomies",
        "postal_code: 'ABC 1234' is not in the postcode table",
        "no known postcode and no valid latitude or longitude: the location and its accessibility not kept",
        "no help type term: entered as a support service",
    ):
        assert expected in reported
    with app.app_context():
        row = db.session.execute(select(Resource).where(Resource.slug == f"oruk-{MOCK_ID}")).scalar_one()
        assert (row.kind, row.is_sample, row.status, row.free, row.cost) == (
            "partner_service",
            True,
            "active",
            False,
            "fees_description",
        )
        assert (row.website, row.email, row.organisation) == (
            "http://example.com/counselling",
            "email@example.com",
            "Example Organization Inc.",
        )
        assert row.opening_times == [
            {"day": "thursday", "opens": "10:00", "closes": "18:00"},
            {"day": "friday", "opens": "10:00", "closes": "18:00"},
        ]
        assert row.opening_notes.startswith("Some of our staff") and row.lat is None and row.wards == []
        assert (row.last_reviewed_on, row.status_note[:20]) == (date(2005, 1, 1), "Following COVID-19 w")
    doc = get(client, f"/oruk/services/{MOCK_ID}")
    check("/services/{id}", doc)
    assert doc["sample_data"] is True and doc["description"].startswith(SAMPLE_NOTE)


def test_importing_again_updates_the_same_entry(app, clean_imports, tmp_path):
    run_import(app, *MOCK_FILES, sample=True)
    changed = json.loads(MOCK_FILES[1].read_text())
    changed["name"] = "Community Counselling (renamed)"
    [outcome] = run_import(app, write(tmp_path, "changed.json", changed), sample=True)
    assert outcome.action == "updated" and imported_count(app) == 1
    run_import(app, write(tmp_path, "changed.json", changed), sample=True)  # nothing changes: no history
    with app.app_context():
        row = db.session.execute(select(Resource).where(Resource.slug == f"oruk-{MOCK_ID}")).scalar_one()
        assert row.name == "Community Counselling (renamed)"
        query = select(ResourceChange).where(ResourceChange.resource_id == row.id).order_by(ResourceChange.id)
        history = db.session.execute(query).scalars()
        assert [(c.action, c.note, c.changes.get("name")) for c in history] == [
            ("imported", "Open Referral UK feed (service_list.json)", [None, "Community Counselling"]),
            ("imported", "Open Referral UK feed (changed.json)", ["Community Counselling", row.name]),
        ]


def test_our_own_feed_updates_our_own_entries_in_place(client, app, clean_imports, tmp_path):
    library = next(r for r in published(app) if r.slug == "library-sileby")
    before = get(client, f"/oruk/services/{service_id(library)}")
    [outcome] = run_import(app, write(tmp_path, "own.json", before))
    assert (outcome.action, outcome.dropped, imported_count(app)) == ("updated", [], 0)
    after = get(client, f"/oruk/services/{service_id(library)}")
    assert {**after, "last_modified": None} == {**before, "last_modified": None}


def without_service_ids(value):
    """A document without the ids made from its service id, and without last_modified."""
    if isinstance(value, dict):
        dropped = {"id", "service_id", "location_id", "link_id", "last_modified"}
        return {k: without_service_ids(v) for k, v in value.items() if k not in dropped}
    if isinstance(value, list):
        return [without_service_ids(v) for v in value]
    return value


def test_round_trip_export_import_export_keeps_every_mapped_field(client, app, clean_imports, tmp_path):
    originals = {}
    for item in get(client, "/oruk/services?per_page=500")["contents"]:
        originals[str(uuid.uuid5(uuid.NAMESPACE_URL, item["id"]))] = get(client, f"/oruk/services/{item['id']}")
    copies = [{**doc, "id": new_id} for new_id, doc in originals.items()]
    outcomes = run_import(app, write(tmp_path, "export.json", copies))
    assert [o.action for o in outcomes] == ["created"] * len(originals) and len(originals) > 50
    assert not [o.dropped for o in outcomes if o.dropped]
    for new_id, original in originals.items():
        exported = get(client, f"/oruk/services/{new_id}")
        assert exported["id"] == new_id
        assert without_service_ids(exported) == without_service_ids(original)


def test_round_trip_of_an_imported_entry_keeps_its_ids(client, app, clean_imports, tmp_path):
    run_import(app, *MOCK_FILES, sample=True)
    first = get(client, f"/oruk/services/{MOCK_ID}")
    [outcome] = run_import(app, write(tmp_path, "again.json", first))
    assert outcome.action == "updated"
    assert outcome.dropped == ["attributes: no needs term: it will not be offered in plans until its needs are set"]
    second = get(client, f"/oruk/services/{MOCK_ID}")
    assert {**second, "last_modified": None} == {**first, "last_modified": None}
    place = get(client, f"/oruk/service_at_locations/{first['service_at_locations'][0]['id']}")
    assert place["service"]["id"] == MOCK_ID


def test_values_the_directory_rules_refuse_are_reported_and_never_saved(app, runner, people, clean_imports, tmp_path):
    """So an officer can save an edit to every imported entry, and the directory's CSV export imports again."""
    area = {"uri": "http://statistics.data.gov.uk/id/statistical-geography/E07000130"}
    needs = [{"taxonomy_term_id": TERM_BY_CODE[("needs", "champion")].id}]
    feed = [
        {
            "id": OTHER_ID,
            "name": "Help at the hub",
            "status": "active",
            "description": "Friendly help with phones. " * 100,  # 2,700 characters: the rules keep 2,000
            "email": "help@localhost",
            "fees": "Free",
            "service_areas": [area],
            "attributes": needs,
        },
        {
            "id": MOCK_ID,
            "name": "Tablet lending",
            "status": "temporarily closed",
            "description": "Borrow a tablet.",
            "url": "www.example.org/tablets",
            "phones": [{"number": "0" * 41}],
            "assured_date": "2024-13-01",
            "alert": "Closed while we move. " * 20,  # 440 characters: the rules keep 300
            "fees": "Free",
            "service_areas": [area],
            "attributes": needs,
        },
    ]
    result = runner.invoke(args=["oruk-import", str(write(tmp_path, "feed.json", feed))])
    assert result.exit_code == 0, result.output
    with app.app_context():
        rows = db.session.execute(select(Resource).where(Resource.slug.startswith("oruk-"))).scalars().all()
        assert len(rows) == 2
        for row in rows:
            cleaned = check_entry({**entry_of(row), "_editing": row.id})
            assert cleaned.problems == {}, (row.name, cleaned.problems)
        hub, tablets = sorted(rows, key=lambda r: r.name)
        assert (hub.email, hub.description) == ("", ("Friendly help with phones. " * 74).strip())
        assert (tablets.website, tablets.phone, tablets.last_reviewed_on) == ("", "", None)
        assert tablets.status_note == "Closed while we move. " * 13 + "Closed while"
    for expected in (
        "  email: 'help@localhost' not kept (the directory rules say: enter an email address like name@example.org)",
        "  description: cut to 1997 characters, at the end of a word (the directory rules say: must be 2000",
        "  url: 'www.example.org/tablets' not kept (the directory rules say: enter a web address starting with",
        "  phones[0].number: '00000000000000000000000000000000000000000' not kept (the directory rules say: must be 40",
        "  assured_date: '2024-13-01' not kept (the directory rules say: must be a date like",
        "  alert: cut to 298 characters, at the end of a word (the directory rules say: must be 300 characters",
    ):
        assert expected in result.output, result.output
    admin = people("admin@example.org")
    exported = admin.get("/staff/directory/export.csv").get_data(as_text=True)
    report = page_text(upload_directory_csv(admin, exported))
    assert "The file is ready to import" in report and "0 entries will be added" in report


def test_a_feed_with_a_bad_record_saves_nothing(app, clean_imports):
    failing = MOCKS / "V3.0-UK-Fail" / "service_list.json"
    with pytest.raises(FeedError) as problem:
        run_import(app, MOCKS / "V3.0-UK-Default" / "service_full.json", failing)
    assert f"{failing}, contents[1]: the name is missing" in problem.value.problems
    assert imported_count(app) == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": "x", ', "this is not valid JSON (Expecting property name enclosed in double quotes at line 1"),
        ('{"contents": [1]}', "contents[0]: a service or service at location must be a JSON object"),
        (json.dumps({"id": "not-a-uuid", "name": "A", "status": "active"}), "the id must be a UUID"),
        (json.dumps({"id": OTHER_ID, "name": "A", "status": "open"}), "the status must be one of"),
        (json.dumps({"id": OTHER_ID, "status": "active"}), "the name is missing"),
        (json.dumps({"id": OTHER_ID, "name": "A" * 201, "status": "active"}), "longer than 200 characters"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(app, clean_imports, tmp_path, content, message):
    path = tmp_path / "feed.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FeedError) as problem:
        run_import(app, MOCK_FILES[1], path)
    assert any(p.startswith(str(path)) and message in p for p in problem.value.problems), problem.value.problems
    assert imported_count(app) == 0


def test_fields_of_the_wrong_shape_are_reported_not_a_crash(app, clean_imports, tmp_path):
    ward = "http://statistics.data.gov.uk/id/statistical-geography/E05014676"
    doc = {
        "id": OTHER_ID.upper(),
        "name": "Odd shapes",
        "status": "active",
        "schedules": 5,
        "cost_options": [{"amount": False}],
        "languages": [1, {"code": "pl"}],
        "service_areas": [{"uri": ward}, {"uri": ward}, "x"],
        "service_at_locations": {"location": 1},
        "phones": [{"number": 7}],
    }
    [outcome] = run_import(app, write(tmp_path, "odd.json", doc))
    for expected in (
        "schedules: not a list",
        "cost_options[0]: only free",
        "languages[0]: not an object",
        "service_areas[2]: not an object",
        "service_at_locations: not a list",
        "phones[0].number: not text",
    ):
        assert any(line.startswith(expected) for line in outcome.dropped), (expected, outcome.dropped)
    with app.app_context():
        row = db.session.execute(select(Resource).where(Resource.slug == f"oruk-{OTHER_ID}")).scalar_one()
        assert ([w.code for w in row.wards], row.languages, row.free) == (["E05014676"], ["pl"], False)


def test_the_command_reports_and_the_dry_run_saves_nothing(app, runner, clean_imports):
    paths = [str(p) for p in MOCK_FILES]
    result = runner.invoke(args=["oruk-import", "--sample", "--dry-run", *paths])
    assert result.exit_code == 0, result.output
    assert f"created {MOCK_ID} Community Counselling" in result.output and "  contacts: " in result.output
    assert "Would import 1 services: 1 created, 0 updated." in result.output and imported_count(app) == 0
    result = runner.invoke(args=["oruk-import", "--sample", *paths])
    assert "Imported 1 services: 1 created, 0 updated." in result.output and imported_count(app) == 1
    result = runner.invoke(args=["oruk-import", str(MOCKS / "V3.0-UK-Fail" / "service_list.json")])
    assert result.exit_code == 1 and "Nothing was imported:" in result.output and "the name is missing" in result.output


def test_an_imported_entry_with_a_known_postcode_and_wards_is_placed_and_matched(client, app, clean_imports, tmp_path):
    with app.app_context():
        ward = db.session.get(Ward, "E05014676")
        ward_name = ward.name
    needs = TERM_BY_CODE[("needs", "champion")]
    doc = {
        "id": str(uuid.uuid4()),
        "name": "Imported drop-in",
        "status": "active",
        "service_areas": [
            {"id": str(uuid.uuid4()), "uri": f"http://statistics.data.gov.uk/id/statistical-geography/{ward.code}"}
        ],
        "attributes": [{"id": str(uuid.uuid4()), "taxonomy_term_id": needs.id}],
        "languages": [{"id": str(uuid.uuid4()), "name": "Polish"}],
        "service_at_locations": [
            {
                "id": str(uuid.uuid4()),
                "location": {
                    "id": str(uuid.uuid4()),
                    "location_type": "physical",
                    "name": "Town Hall",
                    "addresses": [
                        {
                            "id": str(uuid.uuid4()),
                            "address_1": "Market Place",
                            "city": "Loughborough",
                            "postal_code": "le113du",
                        }
                    ],
                    "accessibility": [{"id": str(uuid.uuid4()), "description": "Hearing loop"}],
                },
            }
        ],
    }
    run_import(app, write(tmp_path, "one.json", doc))
    with app.app_context():
        row = db.session.execute(select(Resource).where(Resource.slug == f"oruk-{doc['id']}")).scalar_one()
        assert (row.postcode, row.ward_code, row.address) == (
            "LE11 3DU",
            "E05014676",
            "Town Hall, Market Place, Loughborough",
        )
        assert (row.coverage, [w.name for w in row.wards], row.needs) == ("local", [ward_name], ["champion"])
        assert (row.languages, row.accessibility) == (["pl"], ["hearing_loop"])
    near = get(client, "/oruk/service_at_locations?postcode=LE11+3DU&proximity=100&per_page=500")["contents"]
    assert doc["id"] in {c["service"]["id"] for c in near}
