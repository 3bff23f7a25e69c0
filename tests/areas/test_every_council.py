"""Every shipped council profile, each in a database of its own, seeded once for the session: a postcode of
each of its districts gives its own ward on the resident journey, find help lists the district's real
libraries, the ORUK feed answers, ward insight renders every district's wards, and a postcode of another
council's area gets "not in <area>" (never a 500)."""

from __future__ import annotations

from council_apps import ADMIN, PASSWORD, PROFILES
from helpers import OFFLINE, answer, complete_journey, csrf_token, page_text
from sqlalchemy import select

from triage.web.areas import packs, profiles
from triage.web.extensions import db
from triage.web.models import Assessment, Resource


def _officer(app):
    client = app.test_client()
    token = csrf_token(client, "/staff/sign-in")
    response = client.post("/staff/sign-in", data={"csrf_token": token, "email": ADMIN, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _districts(app):
    return app.extensions["council"].lads


def test_a_postcode_of_each_district_gives_its_own_ward(council_app):
    for lad in _districts(council_app):
        postcode = packs.postcodes(lad)[len(packs.postcodes(lad)) // 2]
        client = council_app.test_client()
        answer(client, "who_for", "me")
        assert answer(client, "postcode", postcode.postcode).headers["Location"].endswith("/questions/devices")
        with client.session_transaction() as session:
            assert session["place"]["ward_code"] == postcode.ward_code
        plan = complete_journey(client, OFFLINE, postcode.postcode)
        assert plan.status_code == 200 and "Your plan" in page_text(plan)
        with council_app.app_context():
            newest = db.session.execute(select(Assessment).order_by(Assessment.id.desc())).scalars().first()
            assert newest.ward_code == postcode.ward_code


def test_find_help_lists_each_districts_real_libraries(council_app):
    client = council_app.test_client()
    for lad in _districts(council_app):
        library = packs.libraries(lad)[0]
        page = client.get(f"/find-help?postcode={library.postcode.replace(' ', '+')}")
        assert page.status_code == 200
        assert library.name in page_text(page), (lad, library.name)


def test_no_made_up_local_help_outside_charnwood_but_the_national_schemes_everywhere(council_app):
    with council_app.app_context():
        entries = list(db.session.execute(select(Resource)).scalars())
    samples = {r.slug for r in entries if r.is_sample}
    assert {"sample-national-databank", "sample-citizens-advice", "sample-course-learn-my-way"} <= samples
    local_samples = {r.slug for r in entries if r.is_sample and r.coverage != "national"}
    assert bool(local_samples) == (council_app.extensions["council"].file == "councils/charnwood.toml")
    libraries = {r.name for r in entries if r.kind == "library"}
    assert not {"HMP Maidstone Library", "Kent Archives Library", "Mobile C Library", "Barwell Library"} & libraries
    expected = sum(len(packs.libraries(lad)) for lad in _districts(council_app))
    assert len(libraries) == expected


def test_a_council_without_local_help_says_so_where_help_is_listed(council_app):
    profile = council_app.extensions["council"]
    lad = _districts(council_app)[0]
    postcode = packs.libraries(lad)[0].postcode
    client = council_app.test_client()
    search = page_text(client.get(f"/find-help?postcode={postcode.replace(' ', '+')}"))
    plan = page_text(complete_journey(client, OFFLINE, postcode))
    said = f"{profile.name} has not added local help to this service yet"
    new_council = profile.file != "councils/charnwood.toml"  # only Charnwood has (sample) local help
    assert (said in search) == (said in plan) == new_council


def test_the_oruk_feed_answers_with_the_councils_libraries(council_app):
    body = council_app.test_client().get("/oruk/services?per_page=200").get_json()
    names = {s["name"] for s in body["contents"]}
    first = packs.libraries(_districts(council_app)[0])[0].name
    assert body["total_items"] >= 1 and any(first in n for n in names)


def test_ward_insight_renders_every_districts_wards(council_app):
    officer = _officer(council_app)
    page = officer.get("/staff/insight")
    assert page.status_code == 200
    text = page_text(page)
    wards = sum(len(packs.wards(lad)) for lad in _districts(council_app))
    assert f"Here the scores are scaled across the {wards} wards compared" in text
    if len(_districts(council_app)) > 1:
        assert "every ward of the 7 districts together" in text
    for lad in _districts(council_app):
        ward = packs.wards(lad)[0]
        assert ward.name in text, (lad, ward.name)
        assert officer.get(f"/staff/insight/wards/{ward.code}").status_code == 200


def test_a_postcode_of_another_area_is_not_in_this_councils_area(council_app):
    profile = council_app.extensions["council"]
    other = next(lad for lad in ("E07000130", "E06000049") if lad not in profile.lads)
    postcode = packs.postcodes(other)[0].postcode
    client = council_app.test_client()
    answer(client, "who_for", "me")
    response = answer(client, "postcode", postcode)
    assert response.status_code == 302 and response.headers["Location"].endswith("/questions/area")
    page = client.get("/questions/area")
    sector = postcode[:-2]
    assert page.status_code == 200
    assert f"The postcode you gave, starting {sector}, is not in {profile.area}." in page_text(page)
    api = client.post("/api/v1/assessments", json={"postcode": postcode, "answers": OFFLINE})
    assert api.status_code < 500


def test_every_ward_shows_its_district_when_the_council_serves_several(council_app):
    client = council_app.test_client()
    answer(client, "who_for", "me")
    answer(client, "postcode", "SW1A 1AA")  # outside every council: the area page lists the council's wards
    chooser, search = page_text(client.get("/questions/area")), page_text(client.get("/find-help"))
    several = len(_districts(council_app)) > 1
    for lad in _districts(council_app):
        ward = packs.wards(lad)[-1]
        label = f"{ward.name} ({packs.district_name(lad)})" if several else ward.name
        assert label in chooser and label in search, label
        assert several or f"{ward.name} (" not in chooser


def test_the_header_names_the_council_and_its_colour_is_served(council_app):
    profile = council_app.extensions["council"]
    client = council_app.test_client()
    assert profile.name in page_text(client.get("/"))
    css = client.get(f"/council.css?v={profile.brand_colour[1:]}")
    assert css.mimetype == "text/css" and profile.brand_colour in css.get_data(as_text=True)


def test_the_shipped_profiles_are_the_ones_tested():
    assert sorted(PROFILES) == sorted(p.stem for p in profiles.COUNCILS.glob("*.toml"))


def test_ward_insight_for_one_district_scales_the_risk_across_its_wards_alone(council_app):
    officer, lads = _officer(council_app), _districts(council_app)
    whole = page_text(officer.get("/staff/insight"))
    if len(lads) == 1:  # nothing to choose: the page has no chooser and refuses a district
        assert 'id="district"' not in officer.get("/staff/insight").get_data(as_text=True)
        refused = officer.get(f"/staff/insight?district={lads[0]}")
        assert refused.status_code == 400 and "Choose a district from the list" in page_text(refused)
        return
    assert f"All of {council_app.extensions['council'].area}" in whole
    one, other = lads[0], lads[1]
    name, wards = packs.district_name(one), packs.wards(one)
    page = officer.get(f"/staff/insight?district={one}")
    text = page_text(page)
    assert page.status_code == 200
    assert f"scaled across the {len(wards)} wards compared: the wards of {name} only" in text
    assert all(w.name in text for w in wards)
    assert packs.wards(other)[0].name not in text
    ward_page = officer.get(f"/staff/insight/wards/{wards[0].code}?district={one}")
    assert ward_page.status_code == 200 and f"All wards of {name}" in page_text(ward_page)
    assert officer.get(f"/staff/insight/wards/{packs.wards(other)[0].code}?district={one}").status_code == 404
    csv = officer.get(f"/staff/insight?district={one}&format=csv").get_data(as_text=True)
    assert len(csv.strip().splitlines()) == len(wards) + 1
    assert officer.get("/staff/insight?district=E09000001").status_code == 400  # the City of London: not ours


def test_an_account_limited_to_one_district_reads_that_districts_insight_only(council_app):
    lads = _districts(council_app)
    officer = _officer(council_app)
    form = officer.get("/staff/accounts/new").get_data(as_text=True)
    assert ('name="district"' in form) == (len(lads) > 1)
    email = f"district-officer-{len(lads)}@example.org"
    data = {
        "csrf_token": csrf_token(officer, "/staff/accounts/new"),
        "name": "District officer",
        "email": email,
        "role": "admin",
        "organisation": "",
        "district": lads[-1] if len(lads) > 1 else "",
        "password": PASSWORD,
    }
    assert officer.post("/staff/accounts/new", data=data).status_code == 302
    limited = council_app.test_client()
    token = csrf_token(limited, "/staff/sign-in")
    signed_in = limited.post("/staff/sign-in", data={"csrf_token": token, "email": email, "password": PASSWORD})
    assert signed_in.status_code == 302
    text = page_text(limited.get(f"/staff/insight?district={lads[0]}"))  # asks for another: gets its own
    own = packs.wards(lads[-1])
    assert all(w.name in text for w in own)
    if len(lads) > 1:
        assert packs.wards(lads[0])[0].name not in text
        assert "your account is for this district" in text
        assert limited.get(f"/staff/insight/wards/{packs.wards(lads[0])[0].code}").status_code == 404
        accounts = page_text(limited.get("/staff/accounts"))
        assert "District officer" in accounts and "Test officer" not in accounts  # only its district's accounts
        chooser = limited.get("/staff/accounts/new").get_data(as_text=True)
        assert "Every district" not in chooser
