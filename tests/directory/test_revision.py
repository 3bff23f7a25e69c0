"""The directory's revision cache: what is worked out from the whole directory is kept until it changes."""

from __future__ import annotations

from sqlalchemy import select

from triage.web.directory.index import current_index
from triage.web.directory.revision import per_revision
from triage.web.extensions import db
from triage.web.models import Resource


def test_a_kept_value_is_built_again_only_when_the_directory_changes(app_ctx, directory_restored):
    builds = []

    def build() -> int:
        builds.append(1)
        return len(builds)

    assert per_revision("test count", build) == per_revision("test count", build) == 1
    entry = db.session.execute(select(Resource).where(Resource.status == "active").limit(1)).scalar_one()
    entry.name = "Renamed for the revision test"
    db.session.commit()
    assert per_revision("test count", build) == 2


def test_the_matcher_index_sees_an_edit_at_once(app_ctx, directory_restored):
    entry = db.session.execute(select(Resource).where(Resource.status == "active").limit(1)).scalar_one()
    before = current_index()
    entry.name = "Renamed for the index test"
    db.session.commit()
    after = current_index()
    assert after is not before and after.resources[entry.id].name == "Renamed for the index test"
    assert current_index() is after
