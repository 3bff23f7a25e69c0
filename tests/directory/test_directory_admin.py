"""Managing the directory: officers add, edit, close, retire, restore and review entries with a history;
partners propose and officers approve; CSV export and import with a dry run."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from bs4 import BeautifulSoup
from helpers import CHAMPIONS, NEW_ENTRY, OFFLINE, csrf_token, edit_entry, errors, page_text, upload_directory_csv

from triage.web.extensions import db
from triage.web.models import Proposal, Resource, ResourceChange
from triage.web.oruk.feed import service_id_for_slug

pytestmark = pytest.mark.usefixtures("directory_restored")


def post_form(client, path, data, form_page=None):
    return client.post(path, data={"csrf_token": csrf_token(client, form_page or path), **data})


SEARCH = "/find-help?postcode=LE11+3DU"


def result_names(response) -> list[str]:
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return [a.get_text(strip=True) for a in page.select("ol h3 a")]


def resource_named(name) -> Resource:
    return db.session.query(Resource).filter_by(name=name).one()


def test_an_officer_adds_an_entry_and_it_is_matched(people, app):
    admin = people("admin@example.org")
    response = post_form(admin, "/staff/directory/new", NEW_ENTRY)
    assert response.status_code == 302, errors(response)
    with app.app_context():
        added = resource_named(NEW_ENTRY["name"])
        assert (added.postcode, added.ward_code, added.is_sample) == ("LE11 3DU", "E05014676", False)
        assert added.lat and added.opening_times == [{"day": "monday", "opens": "09:30", "closes": "12:30"}]
        (change,) = db.session.query(ResourceChange).filter_by(resource_id=added.id).all()
        assert change.action == "created" and change.by.email == "admin@example.org"
        slug = added.slug
    plan = people(None).post("/api/v1/assessments", json={"postcode": "LE11 3DU", "answers": OFFLINE}).get_json()
    assert NEW_ENTRY["name"] in [r["resource"]["name"] for r in plan["recommendations"]]
    assert "Phone help at Shelthorpe" in page_text(people(None).get(f"/help/{slug}"))


def test_problems_are_explained_and_nothing_is_saved(people, app):
    bad = {**NEW_ENTRY, "name": "", "monday": "5pm-9am", "postcode": "SW1A 1AA", "needs": [], "free": "no"}
    response = post_form(people("admin@example.org"), "/staff/directory/new", bad)
    assert response.status_code == 400
    assert errors(response) == [
        "Enter a name",
        "We do not know this postcode; check it, or leave it blank",
        "Monday: 5pm-9am closes before it opens",
        "Say what it costs, or mark it as free",
        "Choose at least one need this help meets, so it can be matched",
    ]
    with app.app_context():
        assert db.session.query(Resource).filter_by(name="").count() == 0
        assert db.session.query(ResourceChange).count() == 0


def test_edits_are_kept_in_the_history(people, app):
    admin = people("admin@example.org")
    with app.app_context():
        library = resource_named("Loughborough Library").id
    assert edit_entry(admin, library, phone="0116 305 0000").status_code == 302
    with app.app_context():
        change = db.session.query(ResourceChange).filter_by(resource_id=library).one()
        assert change.action == "edited" and list(change.changes) == ["phone"]
        assert change.changes["phone"][1] == "0116 305 0000"
    assert "Phone number:" in page_text(admin.get(f"/staff/directory/{library}"))


def set_status(client, resource_id, status, note=""):
    page = f"/staff/directory/{resource_id}"
    return post_form(client, f"{page}/status", {"status": status, "note": note}, form_page=page)


def test_closed_and_retired_entries_are_never_matched(people, app):
    admin = people("admin@example.org")
    with app.app_context():
        library = resource_named("Loughborough Library")
        library_id, slug = library.id, library.slug

    def suggested():
        plan = people(None).post("/api/v1/assessments", json={"postcode": "LE11 3DU", "answers": OFFLINE}).get_json()
        return "Loughborough Library" in [r["resource"]["name"] for r in plan["recommendations"]]

    assert suggested()
    set_status(admin, library_id, "temporarily_closed", "Roof repairs until March")
    assert not suggested()
    public = page_text(people(None).get(f"/help/{slug}"))
    assert "Temporarily closed: Roof repairs until March" in public
    assert "Loughborough Library" not in result_names(people(None).get(f"{SEARCH}&kind=library"))
    set_status(admin, library_id, "retired", "Moved")
    assert people(None).get(f"/help/{slug}").status_code == 404
    set_status(admin, library_id, "active")
    assert suggested()
    with app.app_context():
        actions = [c.action for c in db.session.query(ResourceChange).order_by(ResourceChange.id)]
    assert actions == ["closed for now", "retired", "restored"]


def test_reopening_an_entry_clears_its_status_note_and_keeps_the_note_in_the_history(people, app, client):
    admin = people("admin@example.org")
    with app.app_context():
        library = resource_named("Quorn Library")
        library_id, slug = library.id, library.slug
    feed = f"/oruk/services/{service_id_for_slug(slug)}"
    set_status(admin, library_id, "temporarily_closed", "Roof repairs until March")
    assert client.get(feed).get_json()["alert"] == "Roof repairs until March"
    set_status(admin, library_id, "active", "Roof mended")
    with app.app_context():
        assert resource_named("Quorn Library").status_note == ""
        history = db.session.query(ResourceChange).filter_by(resource_id=library_id).order_by(ResourceChange.id)
        assert [(c.action, c.note) for c in history] == [
            ("closed for now", "Roof repairs until March"),
            ("reopened", "Roof mended"),
        ]
    assert "alert" not in client.get(feed).get_json()
    assert "Roof repairs" not in page_text(people(None).get(f"/help/{slug}"))
    assert "Status note: Roof repairs until March → (blank)" in page_text(admin.get(f"/staff/directory/{library_id}"))


def test_entries_not_reviewed_are_flagged_and_can_be_marked_reviewed(people, app):
    admin = people("admin@example.org")
    with app.app_context():
        total = db.session.query(Resource).filter(Resource.status != "retired").count()
        library = resource_named("Quorn Library")
        library.last_reviewed_on = date(2020, 1, 1)
        db.session.commit()
        library_id = library.id
    listing = page_text(admin.get("/staff/directory"))
    assert f"{total} entries not reviewed for 6 months or more" in listing
    post_form(admin, f"/staff/directory/{library_id}/reviewed", {}, form_page=f"/staff/directory/{library_id}")
    assert f"{total - 1} entries not reviewed" in page_text(admin.get("/staff/directory"))
    due = BeautifulSoup(admin.get("/staff/directory?status=review").get_data(as_text=True), "html.parser")
    assert "Quorn Library" not in due.get_text() and "Review due" in due.get_text()


def test_a_partner_proposes_and_nothing_is_public_until_approved(people, make_user, app):
    make_user("partner", email="partner@example.org", organisation=CHAMPIONS)
    partner = people("partner@example.org")
    assert partner.get("/staff/directory").status_code == 403
    fields = {k: v for k, v in NEW_ENTRY.items() if k != "status"}
    response = post_form(partner, "/staff/entries/new", fields)
    assert response.status_code == 302, errors(response)
    assert "waiting for a decision" in page_text(partner.get("/staff/entries"))
    with app.app_context():
        assert db.session.query(Resource).filter_by(name=NEW_ENTRY["name"]).count() == 0
        proposal = db.session.query(Proposal).one().id
    assert NEW_ENTRY["name"] not in result_names(people(None).get(f"{SEARCH}&kind=digital_champion"))
    admin = people("admin@example.org")
    review = page_text(admin.get(f"/staff/directory/proposals/{proposal}"))
    assert "What would change" in review and "Phone help at Shelthorpe" in review
    rejected = post_form(admin, f"/staff/directory/proposals/{proposal}", {"decision": "reject"})
    assert errors(rejected) == ["Say why you are rejecting it, so the partner can put it right"]
    assert post_form(admin, f"/staff/directory/proposals/{proposal}", {"decision": "approve"}).status_code == 302
    with app.app_context():
        added = resource_named(NEW_ENTRY["name"])
        assert added.organisation == CHAMPIONS and added.is_sample  # the sample organisation's entries are sample
        assert db.session.query(ResourceChange).filter_by(resource_id=added.id).one().action == "approved proposal"
    assert NEW_ENTRY["name"] in result_names(people(None).get(f"{SEARCH}&kind=digital_champion"))


def test_partners_only_propose_changes_to_their_own_entries(people, make_user, app):
    make_user("partner", email="partner@example.org", organisation=CHAMPIONS)
    partner = people("partner@example.org")
    with app.app_context():
        own = db.session.query(Resource).filter_by(organisation=CHAMPIONS).first()
        other = resource_named("Loughborough Library")
        own_id, other_id, own_name = own.id, other.id, own.name
    assert partner.get(f"/staff/entries/{other_id}/edit").status_code == 404
    page = BeautifulSoup(partner.get(f"/staff/entries/{own_id}/edit").get_data(as_text=True), "html.parser")
    assert page.select_one("input[name=name]")["value"] == own_name
    assert page.select_one("input[name=status]") is None  # partners cannot close or retire
    assert people("champion@example.org").get("/staff/entries").status_code == 403


def test_export_then_import_changes_nothing(people, app):
    admin = people("admin@example.org")
    exported = admin.get("/staff/directory/export.csv")
    assert exported.mimetype == "text/csv"
    text = exported.get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    with app.app_context():
        assert len(rows) == db.session.query(Resource).count()
    checked = upload_directory_csv(admin, text)
    assert "0 entries will be added and" in page_text(checked)
    token = csrf_token(admin, "/staff/directory/import")
    applied = admin.post("/staff/directory/import/apply", data={"csrf_token": token, "text": text})
    assert applied.status_code == 302
    assert admin.get("/staff/directory/export.csv").get_data(as_text=True) == text


def test_import_reports_every_problem_by_row_and_column_and_saves_nothing(people, app):
    header = "id,kind,name,description,coverage,wards,needs,free,monday\n"
    good = "new-one,course,A course,Learn things,borough,,course,yes,10-12\n"
    bad = "new-two,pub,,Learn,local,,course,perhaps,9-late\n"
    duplicate = "new-one,course,Again,Again,borough,,course,yes,\n"
    report = upload_directory_csv(people("admin@example.org"), header + good + bad + duplicate)
    table = BeautifulSoup(report.get_data(as_text=True), "html.parser").find("tbody")
    problems = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in table.find_all("tr")]
    assert [
        "3",
        "kind",
        "must be one of: digital_champion, library, course, device_scheme, data_scheme, partner_service",
    ] in problems
    assert ["3", "name", "enter a name"] in problems
    assert ["3", "free", "must be yes or no"] in problems
    assert ["3", "monday", "Monday: write '9-late' as opening and closing times, like 9:30-12:30"] not in problems
    assert any(p[:2] == ["3", "monday"] for p in problems)
    assert ["4", "id", "the same id is on row 2"] in problems
    assert "Nothing has been saved" in page_text(report)
    with app.app_context():
        assert db.session.query(Resource).filter_by(slug="new-one").count() == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,colour\nA,red\n", "these columns are missing"),
        ("id,kind,name,description,coverage,needs,shoe_size\n", "unknown columns"),
        ("id,kind,name,description,coverage,needs\n", "the file has no rows under the header"),
    ],
)
def test_import_explains_a_wrong_file(people, text, message):
    assert message in page_text(upload_directory_csv(people("admin@example.org"), text))


def _problems(response) -> list[list[str]]:
    table = BeautifulSoup(response.get_data(as_text=True), "html.parser").find("tbody")
    return [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in table.find_all("tr")] if table else []


def test_import_names_a_cell_no_database_can_store_and_saves_nothing(people, app):
    header = "id,kind,name,description,coverage,needs,free\n"
    text = (
        header + "new-one,course,A course,Learn,borough,course,yes\nnew-\x00two,course,B\x00,Learn,borough,course,yes\n"
    )
    response = upload_directory_csv(people("admin@example.org"), text)
    assert response.status_code == 200 and "Import these entries" not in page_text(response)
    nul = "contains a character that cannot be stored (a NUL byte or a lone surrogate)"
    assert _problems(response) == [["3", "id", nul], ["3", "name", nul]]
    with app.app_context():
        assert db.session.query(Resource).filter(Resource.slug.like("new-%")).count() == 0


def test_import_reads_a_file_whose_lines_end_in_cr_alone(people):
    header = "id,kind,name,description,coverage,needs,free\r"
    text = (
        header + 'new-one,course,A course,"Two\rlines",borough,course,yes\rnew-two,course,B,Learn,borough,course,yes\r'
    )
    response = upload_directory_csv(people("admin@example.org"), text)
    assert _problems(response) == []
    assert "2 entries will be added and 0 updated" in page_text(response)


def test_import_reports_a_cell_longer_than_csv_can_read(people):
    header = "id,kind,name,description,coverage,needs,free\n"
    text = header + f"new-one,course,A course,{'x' * 131_073},borough,course,yes\n"
    response = upload_directory_csv(people("admin@example.org"), text)
    assert _problems(response) == [["2", "", "this row cannot be read as CSV (field larger than field limit (131072))"]]


def test_an_uploaded_file_name_no_database_can_store_is_refused(people):
    response = upload_directory_csv(people("admin@example.org"), "id,kind\n", name="a\x00.csv")
    assert response.status_code == 400 and "Sorry, there is a problem with your request" in page_text(response)


def test_import_refuses_a_file_that_is_not_utf8(people):
    token = csrf_token(people("admin@example.org"), "/staff/directory/import")
    client = people("admin@example.org")
    token = csrf_token(client, "/staff/directory/import")
    data = {"csrf_token": token, "file": (io.BytesIO("name\nCaf\xe9\n".encode("latin-1")), "d.csv")}
    response = client.post("/staff/directory/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert errors(response) == ["The file must be a CSV saved as UTF-8 (in Excel: CSV UTF-8)"]


def test_import_adds_and_updates_all_or_nothing(people, app):
    admin = people("admin@example.org")
    text = (
        "id,kind,name,description,coverage,wards,needs,free\n"
        "new-course,course,New course,Learn the basics,borough,,course,yes\n"
        "library-loughborough,library,Loughborough Library,Renamed description,local,E05014676,free_computers,yes\n"
    )
    assert "1 entry will be added and 1 updated" in page_text(upload_directory_csv(admin, text))
    token = csrf_token(admin, "/staff/directory/import")
    admin.post("/staff/directory/import/apply", data={"csrf_token": token, "text": text})
    with app.app_context():
        assert resource_named("New course").coverage == "borough"
        library = resource_named("Loughborough Library")
        assert library.description == "Renamed description" and library.postcode == "LE11 3DU"
        assert {c.action for c in db.session.query(ResourceChange)} == {"imported"}


def test_the_seed_does_not_undo_officers_changes(people, app, runner):
    with app.app_context():
        library_id = resource_named("Quorn Library").id
    set_status(people("admin@example.org"), library_id, "temporarily_closed", "Flooded")
    runner.invoke(args=["seed"])
    with app.app_context():
        assert db.session.get(Resource, library_id).status == "temporarily_closed"


DIRECTORY_MATRIX = [
    "/staff/directory",
    "/staff/directory/new",
    "/staff/directory/proposals",
    "/staff/directory/import",
    "/staff/directory/export.csv",
    "/staff/directory/1",
    "/staff/directory/1/edit",
]


@pytest.mark.parametrize("who", [None, "champion@example.org", "staff@example.org"])
@pytest.mark.parametrize("path", DIRECTORY_MATRIX)
def test_only_officers_manage_the_directory(people, who, path):
    response = people(who).get(path)
    if who is None:
        assert response.headers["Location"].startswith("/staff/sign-in")
    else:
        assert response.status_code == 403
    if who == "staff@example.org":
        assert people("admin@example.org").get(path).status_code == 200


def test_a_status_change_needs_a_status_and_a_short_note(people, app):
    admin = people("admin@example.org")
    with app.app_context():
        library_id = resource_named("Quorn Library").id
    missing = set_status(admin, library_id, "")
    assert "Select the new status" in page_text(admin.get(missing.headers["Location"]))
    too_long = set_status(admin, library_id, "retired", "x" * 301)
    assert "The note must be 300 characters or fewer" in page_text(admin.get(too_long.headers["Location"]))
    with app.app_context():
        assert db.session.get(Resource, library_id).status == "active"
        assert db.session.query(ResourceChange).count() == 0


def test_a_big_directory_file_imports(people, app):
    header = "id,kind,name,description,coverage,wards,needs,free\n"
    rows = "".join(
        f"bulk-{n},course,Course {n},{'A long description. ' * 20},borough,,course,yes\n" for n in range(300)
    )
    text = header + rows
    assert len(text.encode()) > 100_000
    admin = people("admin@example.org")
    assert "300 entries will be added and 0 updated" in page_text(upload_directory_csv(admin, text))
    token = csrf_token(admin, "/staff/directory/import")
    assert admin.post("/staff/directory/import/apply", data={"csrf_token": token, "text": text}).status_code == 302
    with app.app_context():
        assert db.session.query(Resource).filter(Resource.slug.like("bulk-%")).count() == 300


def test_the_import_still_needs_its_csrf_token(people, app):
    admin = people("admin@example.org")
    text = "id,kind,name,description,coverage,needs,free\nnew-x,course,X,Y,borough,course,yes\n"
    assert admin.post("/staff/directory/import/apply", data={"text": text}).status_code == 400
    with app.app_context():
        assert db.session.query(Resource).filter_by(slug="new-x").count() == 0


def test_a_new_row_never_takes_an_id_another_row_asks_for(people, app):
    text = (
        "id,kind,name,description,coverage,needs,free\n"
        ",course,Foo Bar,First,borough,course,yes\n"
        "foo-bar,course,Other,Second,borough,course,yes\n"
    )
    admin = people("admin@example.org")
    assert "2 entries will be added" in page_text(upload_directory_csv(admin, text))
    token = csrf_token(admin, "/staff/directory/import")
    assert admin.post("/staff/directory/import/apply", data={"csrf_token": token, "text": text}).status_code == 302
    with app.app_context():
        assert resource_named("Other").slug == "foo-bar" and resource_named("Foo Bar").slug == "foo-bar-2"


def test_approving_an_old_proposal_keeps_the_officers_status(people, make_user, app):
    make_user("partner", email="partner@example.org", organisation=CHAMPIONS)
    with app.app_context():
        own = db.session.query(Resource).filter_by(organisation=CHAMPIONS).first()
        own_id = own.id
    partner = people("partner@example.org")
    page = BeautifulSoup(partner.get(f"/staff/entries/{own_id}/edit").get_data(as_text=True), "html.parser")
    data = {i["name"]: i.get("value", "") for i in page.select("input[type=text]")}
    data |= {t["name"]: t.get_text() for t in page.select("textarea")}
    for group in ("wards", "languages", "accessibility", "delivery_modes", "needs"):
        data[group] = [i["value"] for i in page.select(f"input[name={group}][checked]")]
    for group in ("kind", "coverage", "free"):
        data[group] = page.select_one(f"input[name={group}][checked]")["value"]
    data["phone"] = "01632 960999"
    assert post_form(partner, f"/staff/entries/{own_id}/edit", data).status_code == 302
    admin = people("admin@example.org")
    set_status(admin, own_id, "retired", "Stopped")
    with app.app_context():
        proposal = db.session.query(Proposal).one().id
    assert post_form(admin, f"/staff/directory/proposals/{proposal}", {"decision": "approve"}).status_code == 302
    with app.app_context():
        entry = db.session.get(Resource, own_id)
        assert entry.phone == "01632 960999" and entry.status == "retired"


def test_unanswered_radios_get_a_select_message(people):
    data = {k: v for k, v in NEW_ENTRY.items() if k not in ("kind", "coverage")}
    response = post_form(people("admin@example.org"), "/staff/directory/new", data)
    assert response.status_code == 400
    problems = errors(response)
    assert problems == ["Select what kind of help it is", "Select who can use it"]
