"""Command-line tasks: `flask seed` loads the seed data (safe to run again); `flask delete-old-plans`
deletes saved plans older than the retention period (run it daily, for example from cron)."""

from __future__ import annotations

import click
from flask import Flask, current_app

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
