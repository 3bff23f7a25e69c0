"""Command-line tasks: the seed loader and deleting old plans."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from helpers import CONFIDENT

from triage.web.extensions import db
from triage.web.models import Assessment, Postcode, Recommendation, Resource, Ward


def test_seed_is_idempotent(runner, app):
    with app.app_context():
        before = (
            db.session.query(Ward).count(),
            db.session.query(Postcode).count(),
            db.session.query(Resource).count(),
        )
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0
    assert "0 postcodes added, 0 directory entries added" in result.output
    with app.app_context():
        after = (db.session.query(Ward).count(), db.session.query(Postcode).count(), db.session.query(Resource).count())
    assert before == after
    assert before[:2] == (24, 3867)


def test_seed_loads_real_libraries_unmarked_and_sample_entries_marked(app):
    with app.app_context():
        libraries = db.session.query(Resource).filter_by(kind="library").all()
        assert len(libraries) == 13 and not any(r.is_sample for r in libraries)
        others = db.session.query(Resource).filter(Resource.kind != "library").all()
        assert others and all(r.is_sample for r in others)
        loughborough = next(r for r in libraries if r.name == "Loughborough Library")
        assert (loughborough.postcode, loughborough.ward_code) == ("LE11 3DU", "E05014676")
        assert loughborough.lat and loughborough.opening_times


def test_delete_old_plans_keeps_recent_ones(client, runner, app):
    for _ in range(2):
        client.post("/api/v1/assessments", json={"postcode": "LE11 3DU", "answers": CONFIDENT})
    with app.app_context():
        old = db.session.query(Assessment).first()
        old.created_at = datetime.now(UTC) - timedelta(days=365 * 3 + 30)
        db.session.commit()
        old_id = old.id
    result = runner.invoke(args=["apply-retention"])
    assert result.exit_code == 0 and "Deleted 1 saved plan older than 3 years" in result.output
    with app.app_context():
        assert db.session.query(Assessment).count() == 1
        assert db.session.get(Assessment, old_id) is None
        assert db.session.query(Recommendation).filter_by(assessment_id=old_id).count() == 0


def test_sent_messages_are_deleted_after_30_days(runner, app):
    from triage.web.models import OutboxMessage

    with app.app_context():
        db.session.add_all(
            [
                OutboxMessage(
                    kind="sms", recipient="+447700900982", body="old", created_at=datetime.now(UTC) - timedelta(days=31)
                ),
                OutboxMessage(kind="sms", recipient="+447700900983", body="new"),
            ]
        )
        db.session.commit()
    result = runner.invoke(args=["apply-retention"])
    assert "and 1 sent message older than 30 days." in result.output
    with app.app_context():
        assert [m.body for m in db.session.query(OutboxMessage)] == ["new"]


def test_retention_says_one_of_a_thing_or_several(runner, app, monkeypatch):
    from triage.web.models import OutboxMessage

    monkeypatch.setitem(app.config, "PLAN_RETENTION_YEARS", 1)
    monkeypatch.setitem(app.config, "OUTBOX_RETENTION_DAYS", 1)
    with app.app_context():
        two_days_ago = datetime.now(UTC) - timedelta(days=2)
        db.session.add_all(
            [OutboxMessage(kind="sms", recipient="+447700900982", body=b, created_at=two_days_ago) for b in "ab"]
        )
        db.session.commit()
    result = runner.invoke(args=["apply-retention"])
    assert "Deleted 0 saved plans older than 1 year and 2 sent messages older than 1 day." in result.output


def test_rebuilding_insight_counts_plans_in_plain_english(runner, client):
    assert "recounted from 0 saved plans." in runner.invoke(args=["rebuild-insight"]).output
    client.post("/api/v1/assessments", json={"postcode": "LE11 3DU", "answers": CONFIDENT})
    assert "recounted from 1 saved plan." in runner.invoke(args=["rebuild-insight"]).output
