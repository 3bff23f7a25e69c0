"""Command-line tasks: `flask seed` loads the seed data (safe to run again)."""

from __future__ import annotations

import click
from flask import Flask, current_app

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
