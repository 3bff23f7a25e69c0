"""Ward insight resists bulk submission: no more than INSIGHT_PLANS_PER_ADDRESS_PER_DAY plans from one address
on one day are counted, as plans are saved and by `flask rebuild-insight`; every plan is still saved and
works; the address is never stored, only a keyed code of it and the day, cleared once the day is over."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta

import pytest
from helpers import CONFIDENT, OFFLINE, complete_journey, page_text, sign_in
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage.web.extensions import db
from triage.web.models import Assessment, WardMonthStat
from triage.web.shell.addresses import day_code

SOUTHFIELDS = "E05014676"
CAP = 3
EXAMPLES = itertools.count(1)  # each example sends from addresses of its own


@pytest.fixture
def capped(app, monkeypatch):
    monkeypatch.setitem(app.config, "INSIGHT_PLANS_PER_ADDRESS_PER_DAY", CAP)
    return app


def from_address(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def send(client, times: int, answers=OFFLINE) -> list[str]:
    references = []
    for _ in range(times):
        response = client.post("/api/v1/assessments", json={"postcode": "LE11 3DU", "answers": answers})
        assert response.status_code == 201
        references.append(response.get_json()["reference"])
    return references


def counted(app, metric: str = "assessments", code: str = "") -> int:
    with app.app_context():
        stat = db.session.get(WardMonthStat, (SOUTHFIELDS, datetime.now(UTC).date().replace(day=1), metric, code))
        return stat.count if stat else 0


def test_a_bulk_submission_moves_the_ward_by_at_most_the_cap_and_other_addresses_still_count(capped, runner):
    bulk = send(from_address(capped, "192.0.2.1"), 10)
    assert counted(capped) == CAP
    assert counted(capped, "band", "very_high") == CAP  # every figure, not only the total
    send(from_address(capped, "198.51.100.7"), 2)
    assert counted(capped) == CAP + 2
    reader = from_address(capped, "203.0.113.9")
    assert all(reader.get(f"/api/v1/assessments/{r}").status_code == 200 for r in bulk)  # all saved and working
    assert "recounted from 5 saved plans" in runner.invoke(args=["rebuild-insight"]).output
    assert counted(capped) == CAP + 2


def test_the_journey_is_capped_too(capped):
    client = from_address(capped, "192.0.2.1")
    for _ in range(CAP + 1):
        assert "Your plan" in page_text(complete_journey(client, CONFIDENT))
    assert counted(capped) == CAP


def test_plans_made_by_signed_in_staff_always_count(capped, make_user):
    staff = sign_in(from_address(capped, "192.0.2.1"), make_user("staff"))
    send(staff, CAP + 2)
    assert counted(capped) == CAP + 2
    with capped.app_context():
        assert db.session.query(Assessment).filter(Assessment.address_day.is_not(None)).count() == 0
    send(from_address(capped, "192.0.2.1"), CAP + 2)  # the same address without signing in: capped
    assert counted(capped) == 2 * CAP + 2


def test_the_address_is_never_stored_only_a_keyed_code_of_it_and_the_day(capped):
    send(from_address(capped, "192.0.2.1"), 1)
    send(from_address(capped, "198.51.100.7"), 1)
    with capped.app_context():
        codes = [a.address_day for a in db.session.query(Assessment)]
        with capped.test_request_context(environ_base={"REMOTE_ADDR": "192.0.2.1"}):
            today, tomorrow = day_code(), day_code(datetime.now(UTC).date() + timedelta(days=1))
        capped.config["SECRET_KEY"] = "another key"
        with capped.test_request_context(environ_base={"REMOTE_ADDR": "192.0.2.1"}):
            other_key = day_code()
        capped.config["SECRET_KEY"] = "test-secret"
    assert len(set(codes)) == 2 and all(re.fullmatch(r"[0-9a-f]{32}", c) for c in codes)
    assert today in codes and tomorrow not in codes and other_key not in codes
    assert not any("192.0.2" in c or "198.51" in c for c in codes)


def test_apply_retention_clears_the_codes_of_past_days_and_counts_stay(capped, runner):
    send(from_address(capped, "192.0.2.1"), 2)
    with capped.app_context():
        earlier = db.session.query(Assessment).order_by(Assessment.id).first()
        earlier.created_at = datetime.now(UTC) - timedelta(days=1)
        db.session.commit()
    output = runner.invoke(args=["apply-retention"]).output
    assert "Cleared the address codes of 1 saved plan from before today." in output
    with capped.app_context():
        assert [a.address_day is None for a in db.session.query(Assessment).order_by(Assessment.id)] == [True, False]
    runner.invoke(args=["rebuild-insight"])
    assert counted(capped) == 2


def test_officers_read_how_the_cap_works(capped, people):
    text = page_text(people("admin@example.org").get("/staff/insight"))
    assert f"no more than {CAP} plans a day from one internet address are counted" in text


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=4))
def test_each_address_counts_for_at_most_the_cap(capped, plans_per_address):
    """However many plans each address sends, the ward counts min(sent, cap) from each."""
    example, before = next(EXAMPLES), counted(capped)
    for n, sent in enumerate(plans_per_address):
        send(from_address(capped, f"10.{example}.0.{n + 1}"), sent)
    assert counted(capped) - before == sum(min(sent, CAP) for sent in plans_per_address)
