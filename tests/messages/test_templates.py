"""Message templates: filled with their named fields, sent to a council's own GOV.UK Notify template where it
names one (NOTIFY_TEMPLATES_FILE) and through the general template otherwise, and kept in step with
docs/notify-templates.md."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import API_KEY
from flask_babel import force_locale, gettext
from hypothesis import given
from hypothesis import strategies as st
from test_delivery import messages, plan_for_someone, send

from triage.core.interface_languages import INTERFACE_LANGUAGES
from triage.core.message_templates import PLACEHOLDER, TEMPLATES, MissingField, fill
from triage.web.app import create_app
from triage.web.config import UnsafeStart

OWN_SMS = "0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f"
ROOT = Path(__file__).resolve().parents[2]


def test_a_template_is_filled_with_its_fields_and_a_missing_one_is_a_bug():
    assert fill("Hello ((name)), see ((link))", {"name": "Sam", "link": "https://x.example"}) == (
        "Hello Sam, see https://x.example"
    )
    with pytest.raises(MissingField, match="'link'"):
        fill("See ((link))", {"name": "Sam"})


@given(st.dictionaries(st.sampled_from(["name", "link", "plan"]), st.text(max_size=40), min_size=3))
def test_a_value_is_placed_as_it_is_and_never_read_for_placeholders(values):
    text = "((name)) / ((link)) / ((plan))"
    assert fill(text, values) == f"{values['name']} / {values['link']} / {values['plan']}"


def test_every_template_says_who_it_is_for_and_what_kind_it_is():
    for template in TEMPLATES.values():
        assert template.kind in {"email", "sms", "letter"} and template.to in {"resident", "staff"}
        assert template.name.endswith(template.kind), template.name
        assert bool(template.subject) == (template.kind != "sms"), template.name
        assert template.fields, template.name


def test_every_translation_of_a_template_keeps_its_fields(app_ctx):
    """Notify fills a template by its field names: a translation that renames one would send a blank."""
    for template in (t for t in TEMPLATES.values() if t.to == "resident"):
        for part in (template.subject, *template.body):
            english = set(PLACEHOLDER.findall(part))
            for language in INTERFACE_LANGUAGES:
                with force_locale(language.code):
                    translated = set(PLACEHOLDER.findall(gettext(part))) if part else set()
                assert translated == english, (template.name, language.code, part)


@pytest.fixture
def own_sms_template(notify_app, monkeypatch):
    monkeypatch.setitem(notify_app.config, "NOTIFY_TEMPLATES", {"plan-sms": {"en": OWN_SMS}})
    return notify_app


def test_a_message_with_a_template_of_its_own_in_notify_is_sent_its_named_fields(own_sms_template, notify, signed_in):
    client = signed_in("staff")
    plan_url = plan_for_someone(client)
    reference = plan_url.rsplit("/", 1)[1]
    assert send(client, plan_url, method="sms", mobile="07700 900982").status_code == 302
    assert send(client, plan_url, method="email", email="jo@example.org").status_code == 302
    own_sms_template.test_cli_runner().invoke(args=["send-messages"])

    sms, email = notify.received
    assert sms["template_id"] == OWN_SMS
    assert set(sms["personalisation"]) == {"council", "link", "first_step", "reference"}
    assert sms["personalisation"]["reference"] == reference
    assert sms["personalisation"]["link"].endswith(f"/plan/{reference}")
    assert sms["personalisation"]["first_step"]
    assert set(email["personalisation"]) == {"subject", "body"}  # no template of its own: the general one
    sms_row, email_row = messages(own_sms_template)
    assert (sms_row.template, sms_row.language, email_row.template) == ("plan-sms", "en", "plan-email")
    assert sms_row.body == fill(TEMPLATES["plan-sms"].words(str)[1], sms["personalisation"])


@pytest.mark.parametrize(
    ("file_text", "says"),
    [
        ('[plan-sms]\nen = "not-an-id"\n', r"\[plan-sms\] en is not a Notify template id"),
        (f'[plan-postcard]\nen = "{OWN_SMS}"\n', "names a message Signpost does not send: 'plan-postcard'"),
        (f'[plan-sms]\nfr = "{OWN_SMS}"\n', r"\[plan-sms\] is not sent in the language 'fr'"),
        (f'[referral-new-email]\npl = "{OWN_SMS}"\n', r"\[referral-new-email\] is not sent in the language 'pl'"),
        (f'plan-sms = "{OWN_SMS}"\n', r"give \[plan-sms\] a template id for each language"),
        ("[plan-sms\n", "cannot be read"),
    ],
)
def test_a_mistake_in_the_notify_templates_file_refuses_to_start(tmp_path, file_text, says):
    path = tmp_path / "notify-templates.toml"
    path.write_text(file_text)
    settings = {"NOTIFICATION_BACKEND": "notify", "NOTIFY_API_KEY": API_KEY, "NOTIFY_TEMPLATES_FILE": str(path)}
    with pytest.raises(UnsafeStart, match=says):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", **settings})


def test_a_missing_notify_templates_file_refuses_to_start(tmp_path):
    missing = str(tmp_path / "nowhere.toml")
    with pytest.raises(UnsafeStart, match="cannot be read"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "NOTIFY_TEMPLATES_FILE": missing})


def test_the_notify_templates_file_is_read(tmp_path):
    path = tmp_path / "notify-templates.toml"
    path.write_text(f'[plan-sms]\nen = "{OWN_SMS}"\npl = "{OWN_SMS}"\n')
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "NOTIFY_TEMPLATES_FILE": str(path)})
    assert app.config["NOTIFY_TEMPLATES"] == {"plan-sms": {"en": OWN_SMS, "pl": OWN_SMS}}


def test_the_guide_to_notify_templates_in_docs_is_what_the_templates_say(app):
    result = app.test_cli_runner().invoke(args=["notify-templates"])
    written = (ROOT / "docs" / "notify-templates.md").read_text(encoding="utf-8")
    assert result.output == written, "run: flask --app wsgi notify-templates > docs/notify-templates.md"
    for template in TEMPLATES.values():
        assert f"### `{template.name}`" in written
