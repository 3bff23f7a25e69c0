"""The help-given figures the database works out (help_sessions/counting.py, from the day tallies and the plans'
sessions) are the figures a person would count from the logs one by one, for every grouping and reach; and the
tallies kept as logs are saved, corrected and deleted are the tallies rebuilt from scratch."""

from __future__ import annotations

from datetime import timedelta

from counting_by_hand import Log, combine, of
from helpers import OFFLINE, csrf_token, log_session
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from triage.core.help_sessions import VENUE
from triage.core.impact import TALLIED, outcomes
from triage.core.insight import month_of
from triage.core.permissions import Reach
from triage.web.extensions import db
from triage.web.help_sessions import counting, tallies
from triage.web.help_sessions.service import today
from triage.web.models import Assessment, HelpSession, HelpTally, Organisation, Resource, StaffUser, Ward


def stats() -> list[tuple]:
    rows = db.session.execute(select(HelpTally)).scalars()
    names = ("grouping", "span", "start", "organisation_id", "value", "district", *TALLIED)
    return sorted(tuple(getattr(r, name) for name in names) for r in rows if r.sessions)


def test_the_tallies_follow_every_log_saved_corrected_and_deleted(app, people):
    champion = people("champion@example.org")
    for changes in ({}, {"kind": "group", "headcount": "9"}, {"independence": "on_own", "given": []}):
        assert log_session(champion, **changes).status_code == 302
    with app.app_context():
        first, second, _ = db.session.execute(select(HelpSession.id).order_by(HelpSession.id)).scalars()
    path = f"/staff/help-sessions/{first}"
    yesterday = today() - timedelta(days=1)
    moved = [str(yesterday.day), str(yesterday.month), str(yesterday.year)]
    assert log_session(champion, path, length="90", place="online", session_date=moved).status_code == 302
    delete_path = f"/staff/help-sessions/{second}/delete"
    token = csrf_token(champion, f"/staff/help-sessions/{second}")
    assert champion.post(delete_path, data={"csrf_token": token}).status_code == 302
    with app.app_context():
        kept = stats()
        assert tallies.rebuild() == 2
        assert stats() == kept
        by_day = {r[2]: r[6] for r in kept if r[:2] == ("all", "day")}
        assert by_day == {yesterday: 1, today(): 1}  # the corrected log moved to its new day
        assert {r[5] for r in kept} == {"E07000130"}  # both in a Charnwood ward (LE11 3DU)
        by_month = {r[2]: r[6] for r in kept if r[:2] == ("all", "month")}
        assert sum(by_month.values()) == 2 and set(by_month) == {yesterday.replace(day=1), today().replace(day=1)}


KINDS = st.sampled_from(["one_to_one", "one_to_one", "group"])
LOGS = st.lists(
    st.tuples(
        st.integers(0, 75),  # days before today
        st.integers(0, 1),  # which organisation and champion
        KINDS,
        st.integers(2, 12),  # a group's headcount
        st.none() | st.integers(0, 3),  # which plan
        st.integers(0, 3),  # which ward, or none
        st.booleans(),  # first visit
        st.frozensets(st.sampled_from(["data_sim", "loaned_device", "gifted_device", "social_tariff"])),
        st.sampled_from(["full_help", "some_help", "on_own"]),
        st.sampled_from(["venue", "home", "phone"]),
    ),
    max_size=30,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(logs=LOGS, span=st.integers(0, 80), end=st.integers(0, 40))
def test_the_database_counts_as_a_person_would(app, people, logs, span, end):
    for who in ("champion@example.org", "other@example.org"):
        people(who)
    with app.app_context():
        if db.session.scalar(select(Assessment.id).limit(1)) is None:
            for _ in range(4):
                people(None).post("/api/v1/assessments", json={"postcode": "LE11 3DU", "answers": OFFLINE})
        plans = list(db.session.execute(select(Assessment.id).order_by(Assessment.id).limit(4)).scalars())
        champions = [
            db.session.execute(select(StaffUser).where(StaffUser.email == email)).scalar_one()
            for email in ("champion@example.org", "other@example.org")
        ]
        venues = [
            db.session.scalar(select(Resource.id).where(Resource.organisation_id == c.organisation_id).limit(1))
            for c in champions
        ]
        wards = list(db.session.execute(select(Ward.code).order_by(Ward.code).limit(3)).scalars())
        db.session.execute(delete(HelpSession))
        db.session.execute(delete(HelpTally))
        written = []
        for ago, who, kind, headcount, plan, ward, first, things, independence, place in logs:
            champion = champions[who]
            log = HelpSession(
                session_date=today() - timedelta(days=ago),
                logged_by_id=champion.id,
                organisation_id=champion.organisation_id,
                assessment_id=None if plan is None else plans[plan],
                minutes=15 + ago,
                kind=kind,
                headcount=headcount if kind == "group" else 1,
                place=place,
                venue_id=venues[who] if place == VENUE else None,
                tasks=["join_wifi"] * (1 + ago % 3),
                device="own",
                independence=independence,
                given=sorted(things),
                first_visit=first,
                ward_code=wards[ward] if ward < len(wards) else None,
                connecting=bool(things),
            )
            db.session.add(log)
            db.session.flush()
            tallies.add(log)
            written.append(log)
        db.session.commit()
        until = today() - timedelta(days=end)
        since = until - timedelta(days=span)
        groupings = {
            "month": lambda s: month_of(s.session_date),
            "organisation": lambda s: s.organisation_id,
            "champion": lambda s: str(s.logged_by_id),
            "venue": lambda s: tallies.venue_value(s.place, s.venue_id),
            "ward": lambda s: s.ward_code or "",
        }
        organisation = db.session.get(Organisation, champions[0].organisation_id)
        district_of = dict(db.session.execute(select(Ward.code, Ward.lad_code)).all())
        for reach in (
            Reach(every=True),
            Reach(every=False, organisation_id=organisation.id),
            Reach(every=True, district="E07000130"),  # Charnwood: the logs with a ward
            Reach(every=False, organisation_id=organisation.id, district="E07000130"),
            Reach(every=True, district="E07000129"),  # Blaby: none of these wards
        ):
            chosen = [
                s
                for s in written
                if since <= s.session_date <= until
                and (reach.every or s.organisation_id == reach.organisation_id)
                and (reach.district is None or district_of.get(s.ward_code) == reach.district)
            ]
            for by, key in groupings.items():
                expected: dict = {}
                for s in chosen:
                    expected.setdefault(key(s), []).append(s)
                found = counting.figures(by, since, until, reach)
                assert found == {k: of(as_log(s) for s in v) for k, v in expected.items()}, by
            every_one = {"": of(as_log(s) for s in chosen)} if chosen else {}
            assert counting.figures(None, since, until, reach) == every_one
            logs_here = [as_log(s) for s in chosen]
            assert counting.total(since, until, reach) == combine(logs_here)
            assert outcomes(*counting.total(since, until, reach), threshold=1) == outcomes(*combine(logs_here), 1)


def as_log(s: HelpSession) -> Log:
    return Log(
        ward=s.ward_code,
        minutes=s.minutes,
        kind=s.kind,
        headcount=s.headcount,
        plan_id=s.assessment_id,
        first_visit=s.first_visit,
        given=frozenset(s.given),
        tasks=len(s.tasks),
        independence=s.independence,
    )
