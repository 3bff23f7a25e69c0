"""The key that signs sessions and form tokens is one key for every worker and machine, or the service
refuses to start: a key made per worker would expire most people's forms (issue 12)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import csrf_token

from triage.web.app import create_app
from triage.web.config import UnsafeStart

ROOT = Path(__file__).resolve().parents[2]


def _production(app, key_file: Path, **settings):
    """An app configured as production is (not testing, not debug), on the test database."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": None,
            "SECRET_KEY_FILE": str(key_file),
            **settings,
        }
    )


def test_without_a_key_the_service_refuses_to_start_and_says_how_to_make_one(app, tmp_path):
    with pytest.raises(UnsafeStart, match=r"SECRET_KEY is not set: .*secrets\.token_hex\(32\)"):
        _production(app, tmp_path / "missing")
    (tmp_path / "empty").write_text("\n")
    with pytest.raises(UnsafeStart):
        _production(app, tmp_path / "empty")


def test_gunicorn_and_flask_commands_stop_with_that_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"} | {"SECRET_KEY_FILE": str(tmp_path / "none")}
    result = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr.strip().splitlines()[-1]


def test_workers_sharing_the_key_file_accept_each_others_sessions_and_forms(app, tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text("a-long-random-key-made-once\n")
    first, second = _production(app, key_file), _production(app, key_file)
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == "a-long-random-key-made-once"
    on_first, on_second = first.test_client(), second.test_client()
    token = csrf_token(on_first, "/questions/who_for")
    on_second.set_cookie("signpost_session", on_first.get_cookie("signpost_session").value)
    response = on_second.post("/questions/who_for", data={"csrf_token": token, "answer": "me"})
    assert response.status_code == 302, response.get_data(as_text=True)  # not "Sorry, this page has expired"


def test_a_key_given_in_the_environment_wins_and_tests_get_one_of_their_own(app, tmp_path):
    assert _production(app, tmp_path / "missing", SECRET_KEY="from-the-environment").config["SECRET_KEY"] == (
        "from-the-environment"
    )
    assert _production(app, tmp_path / "missing", TESTING=True).config["SECRET_KEY"]
