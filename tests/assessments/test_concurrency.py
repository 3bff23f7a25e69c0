"""Saving plans when many arrive at once: a plan is saved while others read the database (several workers
share one), and a new plan whose reference is already taken gets another one and is saved whole (its help
and its insight count) exactly once. bench/load_faults.py runs the same under real load, killing a worker."""

from __future__ import annotations

import secrets

from helpers import OFFLINE
from sqlalchemy import func, select

from triage.web.extensions import db
from triage.web.models import Assessment, Recommendation, WardMonthStat


def post(client, answers=OFFLINE):
    return client.post("/api/v1/assessments", json={"postcode": "LE11 3DU", "answers": answers})


def test_a_new_plan_whose_reference_is_taken_gets_another_and_is_saved_once(client, app, monkeypatch):
    taken = post(client).get_json()["reference"]
    # The system's randomness stands in for the bad luck of drawing a taken reference: the next draw repeats it.
    draws = iter(taken.replace("-", ""))
    real_choice = secrets.choice
    monkeypatch.setattr(secrets, "choice", lambda seq: next(draws, None) or real_choice(seq))

    response = post(client)

    assert response.status_code == 201
    second = response.get_json()
    assert second["reference"] != taken
    assert client.get(f"/plan/{second['reference']}").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Assessment)) == 2
        saved = db.session.execute(select(Assessment).filter_by(reference=second["reference"])).scalar_one()
        stored_help = select(func.count()).select_from(Recommendation).filter_by(assessment_id=saved.id)
        assert db.session.scalar(stored_help) == len(second["recommendations"]) > 0
        counted = select(func.sum(WardMonthStat.count)).filter_by(metric="assessments")
        assert db.session.scalar(counted) == 2  # the attempt that clashed is not counted


def test_a_plan_is_saved_while_another_worker_is_reading(client, app):
    """On SQLite a reader in the middle of a long read (an export, say) used to hold every save back until it
    timed out with 'database is locked'; a PostgreSQL reader never blocks a writer."""
    with app.app_context():
        reader = db.engine.raw_connection()
        try:
            cursor = reader.cursor()
            if db.engine.dialect.name == "sqlite":
                cursor.execute("BEGIN")  # the driver opens a transaction only for writes
            cursor.execute("SELECT COUNT(*) FROM assessment")
            cursor.fetchall()

            response = post(client)

            assert response.status_code == 201
            reference = response.get_json()["reference"]
            assert client.get(f"/plan/{reference}").status_code == 200
        finally:
            reader.rollback()
            reader.close()
