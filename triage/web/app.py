"""The application factory: configuration, extensions, templates, blueprints and commands."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from triage.web import commands, resident, staff
from triage.web.accounts import auth, permissions
from triage.web.areas import branding, profiles
from triage.web.assessments import api
from triage.web.config import (
    ROOT,
    Config,
    embedded_database,
    message_settings,
    notify_templates,
    public_url,
    rate_limit_key_prefix,
    rate_limit_storage,
    referral_clock,
    secret_key,
)
from triage.web.directory import cards, find_help
from triage.web.extensions import compress, csrf, db, limiter, migrate
from triage.web.languages import i18n
from triage.web.languages.labels import register_template_helpers
from triage.web.messages import receipts
from triage.web.oruk import views as oruk_views
from triage.web.shell import errors, fragments, health, input_guard, logs, pages, security

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, static_url_path="/assets", template_folder=str(ROOT / "templates"))
    app.config.from_object(Config)
    if test_config:
        app.config.update(test_config)
    profiles.init_app(app)  # first: a profile mistake stops start-up before anything else is made
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["SQLALCHEMY_DATABASE_URI"] or embedded_database(
        app.config["COUNCIL"]
    )
    app.config["SECRET_KEY"] = secret_key(app.config)
    app.config["PUBLIC_URL"] = public_url(app.config)
    app.config["RATELIMIT_STORAGE_URI"] = rate_limit_storage(app.config)
    app.config["RATELIMIT_KEY_PREFIX"] = rate_limit_key_prefix(app.config)
    app.config["NOTIFY_TEMPLATES"] = notify_templates(app.config)
    referral_clock(app.config)
    for problem in message_settings(app.config):  # a malformed setting raises UnsafeStart here
        app.logger.warning("Messages: %s (see docs/deploy.md)", problem)
    (ROOT / "instance").mkdir(exist_ok=True)  # where the embedded SQLite database lives
    if app.config["PROXY_COUNT"]:
        # Flask's documented way to add WSGI middleware; mypy rejects assigning over a method (python/mypy#7347).
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=app.config["PROXY_COUNT"], x_proto=app.config["PROXY_COUNT"]
        )

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    WTFormsHelpers(app)

    input_guard.init_app(app)  # first: its converter serves every blueprint, its check runs before every other
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS))
    csrf.init_app(app)
    compress.init_app(app)
    limiter.init_app(app)
    auth.init_app(app)
    permissions.init_app(app)
    security.init_app(app)
    logs.init_app(app)
    i18n.init_app(app)
    register_template_helpers(app)
    fragments.init_app(app)
    cards.init_app(app)

    blueprints = (
        resident.bp,
        pages.bp,
        api.bp,
        health.bp,
        staff.bp,
        find_help.bp,
        oruk_views.bp,
        receipts.bp,
        branding.bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    csrf.exempt(api.bp)
    errors.init_app(app)
    commands.init_app(app)
    return app
