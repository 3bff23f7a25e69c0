"""Command-line tasks: `flask seed` loads the seed data (safe to run again); `flask create-admin` makes
the first council officer account; `flask delete-old-plans` deletes saved plans older than the
retention period (run it daily, for example from cron)."""

from __future__ import annotations

import click
from flask import Flask, current_app

from .accounts import AccountError, create_account
from .assessments import delete_plans_older_than
from .seed import seed_all


def init_app(app: Flask) -> None:
    @app.cli.command("seed")
    def seed_command() -> None:
        """Load wards, postcodes, libraries and the sample directory (idempotent)."""
        counts = seed_all(current_app.config["COUNCIL_LAD_CODE"])
        click.echo(
            f"Seed data loaded: {counts['postcodes_added']} postcodes added, "
            f"{counts['resources_added']} directory entries added, {counts['resources_updated']} checked."
        )

    @app.cli.command("delete-old-plans")
    def delete_old_plans_command() -> None:
        """Delete saved plans older than PLAN_RETENTION_YEARS, as the privacy notice promises."""
        years = current_app.config["PLAN_RETENTION_YEARS"]
        deleted = delete_plans_older_than(years)
        click.echo(f"Deleted {deleted} saved plans older than {years} years.")

    @app.cli.command("create-admin")
    @click.option("--email", prompt="Email address")
    @click.option("--name", prompt="Full name")
    @click.password_option("--password", prompt="Password (12 characters or more)")
    def create_admin_command(email: str, name: str, password: str) -> None:
        """Create a council officer (admin) account, who can then create the other accounts."""
        try:
            user = create_account(email, name, password, "admin")
        except AccountError as problem:
            raise click.ClickException(str(problem)) from problem
        click.echo(f"Admin account created for {user.email}.")
