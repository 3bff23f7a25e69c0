"""Entries due for review: the database's count and list agree with the rule in core.directory_rules,
and pages that only count them, or ask about one entry, do not load the whole directory."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import event, select

from triage.core.directory_rules import review_cutoff, review_due
from triage.web.directory.editing import count_due_for_review, due_for_review, is_due_for_review
from triage.web.extensions import db
from triage.web.models import Resource

pytestmark = pytest.mark.usefixtures("directory_restored")
TODAY = date(2026, 12, 3)


@contextmanager
def resources_loaded():
    loaded: list[int] = []

    def count(target, context) -> None:
        loaded.append(target.id)

    event.listen(Resource, "load", count)
    try:
        yield loaded
    finally:
        event.remove(Resource, "load", count)


def test_the_database_and_the_rule_agree_on_every_side_of_the_cutoff(app_ctx):
    months = app_ctx.config["REVIEW_AFTER_MONTHS"]
    cutoff = review_cutoff(TODAY, months)
    rows = list(db.session.execute(select(Resource).order_by(Resource.id)).scalars())
    reviewed = [None, cutoff - timedelta(days=1), cutoff, cutoff + timedelta(days=1), TODAY]
    for n, row in enumerate(rows):
        row.last_reviewed_on = reviewed[n % len(reviewed)]
        row.status = "retired" if n % 7 == 0 else row.status
    db.session.commit()

    by_rule = {r.id for r in rows if r.status != "retired" and review_due(r.last_reviewed_on, TODAY, months)}
    assert {r.id for r in rows if is_due_for_review(r, TODAY)} == by_rule
    assert {r.id for r in due_for_review(TODAY)} == by_rule
    assert count_due_for_review(TODAY) == len(by_rule)
    assert 0 < len(by_rule) < len(rows)
    assert not review_due(cutoff, TODAY, months) and review_due(cutoff - timedelta(days=1), TODAY, months)


def test_the_staff_home_counts_what_is_due_without_loading_the_directory(people, app):
    admin = people("admin@example.org")
    with app.app_context():
        due = count_due_for_review()
    with resources_loaded() as loaded:
        page = admin.get("/staff/").get_data(as_text=True)
    assert due and f"({due} due for review)" in page
    assert loaded == []


def test_an_entrys_page_loads_that_entry_only(people, app):
    admin = people("admin@example.org")
    with app.app_context():
        entry = db.session.execute(select(Resource).where(Resource.status == "active").limit(1)).scalar_one()
        entry.last_reviewed_on = None
        db.session.commit()
        entry_id = entry.id
    with resources_loaded() as loaded:
        page = admin.get(f"/staff/directory/{entry_id}").get_data(as_text=True)
    assert "Review due" in page
    assert loaded == [entry_id]
