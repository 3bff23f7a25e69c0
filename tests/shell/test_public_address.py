"""The service's own address: PUBLIC_URL for every link read away from its pages, and TRUSTED_HOSTS, the
only Host names a request may give (any other is a 400)."""

from __future__ import annotations

import pytest

from triage.web.app import create_app
from triage.web.config import UnsafeStart, public_address_warning
from triage.web.shell.links import external_url

PUBLIC = "signpost.example.gov.uk"


@pytest.mark.parametrize(
    ("given", "link"),
    [
        ("https://signpost.example.gov.uk", "https://signpost.example.gov.uk/plan/K7QM-3XHP-RT9W"),
        ("https://signpost.example.gov.uk/", "https://signpost.example.gov.uk/plan/K7QM-3XHP-RT9W"),
        ("https://www.example.gov.uk/signpost/", "https://www.example.gov.uk/signpost/plan/K7QM-3XHP-RT9W"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000/plan/K7QM-3XHP-RT9W"),
    ],
)
def test_links_made_without_a_request_start_with_the_public_address(tmp_path, given, link):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db", "PUBLIC_URL": given})
    with app.app_context():
        assert external_url("resident.plan", reference="K7QM-3XHP-RT9W") == link
        assert external_url("find.search_page", need="skills", area="E05014666") == (
            link.replace("plan/K7QM-3XHP-RT9W", "find-help?need=skills&area=E05014666")
        )


def test_links_made_during_a_request_ignore_its_host_when_the_public_address_is_set(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://signpost.example.gov.uk")
    with app.test_request_context("/", headers={"Host": "attacker.example"}):
        assert external_url("resident.plan", reference="K7QM-3XHP-RT9W") == (
            "https://signpost.example.gov.uk/plan/K7QM-3XHP-RT9W"
        )


def test_without_a_public_address_no_link_is_made_outside_a_request(app):
    with app.app_context(), pytest.raises(RuntimeError, match="Set PUBLIC_URL"):
        external_url("resident.plan", reference="K7QM-3XHP-RT9W")


@pytest.mark.parametrize(
    "given", ["signpost.example.gov.uk", "ftp://signpost.example.gov.uk", "https://", "https://x.uk/?a=1"]
)
def test_a_public_address_that_is_not_one_stops_the_start_with_a_clear_message(tmp_path, given):
    with pytest.raises(UnsafeStart, match=r"PUBLIC_URL .* for example https://signpost\.example\.gov\.uk"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db", "PUBLIC_URL": given})


@pytest.mark.parametrize("host", [PUBLIC, f"{PUBLIC}:443", "127.0.0.1:8000"])
def test_trusted_hosts_are_answered(client, app, monkeypatch, host):
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", [PUBLIC, "127.0.0.1"])
    assert client.get("/", headers={"Host": host}).status_code == 200
    assert client.get("/").status_code == 400  # the test client's own "localhost" is not in the list


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("GET", "/", None),
        ("GET", "/?lang=cy", None),
        ("GET", "/healthz", None),
        ("POST", "/questions/who_for", {"answer": "me"}),
        ("POST", "/staff/sign-in", {"email": "a@example.org", "password": "x"}),
        ("GET", "/oruk/services", None),
    ],
)
def test_any_other_host_is_a_plain_400(client, app, monkeypatch, method, path, data):
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", [PUBLIC])
    response = client.open(path, method=method, data=data, headers={"Host": "attacker.example"})
    assert (response.status_code, response.mimetype) == (400, "text/plain")
    assert response.get_data(as_text=True) == "This service does not answer at this address.\n"
    assert "attacker.example" not in response.headers.get("Location", "")


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({}, ["PUBLIC_URL", "TRUSTED_HOSTS"]),
        ({"PUBLIC_URL": "https://signpost.example.gov.uk"}, ["TRUSTED_HOSTS"]),
        ({"TRUSTED_HOSTS": PUBLIC}, ["PUBLIC_URL"]),
        ({"PUBLIC_URL": "https://signpost.example.gov.uk", "TRUSTED_HOSTS": PUBLIC}, []),
    ],
)
def test_the_warning_at_start_names_what_is_missing(settings, named):
    warning = public_address_warning(settings)
    if not named:
        assert warning is None
        return
    assert warning is not None and "docs/deploy.md" in warning
    assert [name for name in ("PUBLIC_URL is not set", "TRUSTED_HOSTS is not set") if name in warning] == [
        f"{name} is not set" for name in named
    ]
