"""Command-line tasks: `flask seed` loads the seed data (safe to run again); `flask create-admin` makes
the first council officer account; `flask apply-retention` deletes saved plans, sent messages, referral
contact details and notes, and feedback comments older than their retention periods, and past days' address
codes (run it daily, for example from cron); `flask rebuild-insight` recounts the ward insight and help-given figures;
`flask oruk-import` loads Open Referral UK 3.0 JSON files into the directory (docs/oruk.md); `flask send-messages`
sends queued emails, text messages and letters (once, or with --loop until stopped; docs/deploy.md), queueing the
booking reminders due and the waiting lists' freed places first, as `flask send-booking-reminders` and `flask
offer-freed-places` do on their own; `flask notify-templates` prints docs/notify-templates.md, the templates to
paste into GOV.UK Notify; `flask
chase-referrals` reminds the help of referrals waiting for an answer and closes those not answered in time
(run it hourly or daily); `flask area build` makes an area pack from the official downloads
(triage/web/areas/build.py, docs/new-council.md)."""

from __future__ import annotations

import time

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from triage.web.accounts.backoff import delete_stale_failures
from triage.web.accounts.reset_links import delete_spent_links
from triage.web.accounts.service import AccountError, create_account
from triage.web.areas.build import area
from triage.web.areas.profiles import council
from triage.web.booking.reminders import queue_due_reminders
from triage.web.booking.waiting_list import offer_freed_places
from triage.web.extensions import db
from triage.web.help_sessions import tallies
from triage.web.insight.counts import rebuild
from triage.web.messages.delivery import send_batch
from triage.web.messages.sending import delete_messages_older_than
from triage.web.messages.template_guide import guide
from triage.web.oruk.importer import FeedError, import_feed
from triage.web.records.erasure import (
    blank_old_feedback_comments,
    delete_plans_older_than,
    erase_address_days,
    erase_old_booking_details,
    erase_old_referral_details,
    erase_old_waiting_list_details,
)
from triage.web.referrals.chasing import chase_referrals
from triage.web.seed import seed_all


def _count(n: int, noun: str) -> str:
    """How many of a thing, in words: "1 referral", "2 referrals" (every noun counted here takes an s)."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _booking_reminders(report_nothing: bool) -> None:
    """Queue the booking reminders due now (booking/reminders.py), said in a line if any (or if asked). Without
    PUBLIC_URL none can be written (they link to the booking): the log says so, and they wait."""
    if not current_app.config["PUBLIC_URL"]:
        current_app.logger.warning("No booking reminders queued: set PUBLIC_URL, for the links in them")
        return
    reminded = queue_due_reminders()
    if reminded or report_nothing:
        click.echo(f"Queued {_count(reminded, 'booking reminder')}.")


def _freed_places(report_nothing: bool) -> None:
    """End the waiting lists' holds that ran out and offer the places free (booking/waiting_list.py), said in a
    line if any (or if asked). The offers link to the waiting list page, so they need PUBLIC_URL too."""
    if not current_app.config["PUBLIC_URL"]:
        current_app.logger.warning("No freed places offered: set PUBLIC_URL, for the links in the offers")
        return
    done = offer_freed_places()
    if done.offered or done.expired or done.closed or report_nothing:
        click.echo(
            f"Offered {_count(done.offered, 'freed place')}; {_count(done.expired, 'hold')} ended unanswered; "
            f"closed {_count(done.closed, 'waiting list place')} of sessions begun."
        )


def _send_messages(report_nothing: bool) -> None:
    """One batch of `flask send-messages`, said in a line (with --loop, only batches that did something): the
    booking reminders due and the freed places' offers are queued first, so they go in the same batch (said only
    when there are some)."""
    _booking_reminders(report_nothing=False)
    _freed_places(report_nothing=False)
    result = send_batch()
    for problem in result.problems:
        click.echo(f"Nothing sent: {problem}.", err=True)
    if result.sent or result.retrying or result.failed or report_nothing:
        sent = _count(result.sent, "message")
        click.echo(f"Sent {sent}; {result.retrying} to try again later; {result.failed} failed.")
    if result.checked:
        asked = _count(result.checked, "sent message")
        click.echo(f"Asked GOV.UK Notify how {asked} went: {result.settled} now delivered or failed.")


def _message_commands(app: Flask) -> None:
    @app.cli.command("send-messages")
    @click.option("--loop", is_flag=True, help="Keep sending until stopped, looking for new messages every --wait.")
    @click.option("--wait", default=10.0, show_default=True, help="Seconds between batches with --loop.")
    def send_messages_command(loop: bool, wait: float) -> None:
        """Send the queued emails and text messages that are due: one batch, or with --loop until stopped."""
        _send_messages(report_nothing=not loop)
        while loop:
            time.sleep(wait)
            _send_messages(report_nothing=False)

    @app.cli.command("send-booking-reminders")
    def send_booking_reminders_command() -> None:
        """Queue the booking reminders due now (BOOKING_REMINDERS), for `send-messages` to send; safe to run
        again, and beside `send-messages`, which does the same every batch."""
        if not current_app.config["PUBLIC_URL"]:
            raise click.ClickException("Set PUBLIC_URL to the service's public address: the reminders link to it")
        _booking_reminders(report_nothing=True)

    @app.cli.command("offer-freed-places")
    def offer_freed_places_command() -> None:
        """End the waiting lists' holds not answered by their deadline and offer each free place of a full
        session to the next person in line (BOOKING_HOLD_MINUTES); safe to run again, and beside `send-messages`,
        which does the same every batch."""
        if not current_app.config["PUBLIC_URL"]:
            raise click.ClickException("Set PUBLIC_URL to the service's public address: the offers link to it")
        _freed_places(report_nothing=True)

    @app.cli.command("notify-templates")
    def notify_templates_command() -> None:
        """Print the GOV.UK Notify templates in every language (docs/notify-templates.md)."""
        click.echo(guide(), nl=False)


@click.command("chase-referrals")
@with_appcontext
def chase_referrals_command() -> None:
    """Remind the help once about referrals not answered in REFERRAL_ACCEPT_WORKING_DAYS working days, and close
    as not answered those still waiting after REFERRAL_EXPIRE_WORKING_DAYS (safe to run again)."""
    if not current_app.config["PUBLIC_URL"]:
        raise click.ClickException("Set PUBLIC_URL to the service's public address: the messages link to it")
    chased = chase_referrals()
    db.session.commit()
    click.echo(
        f"Reminded the help about {_count(chased.reminded, 'referral')} waiting for an answer; "
        f"closed {_count(chased.expired, 'referral')} as not answered."
    )


def init_app(app: Flask) -> None:
    _message_commands(app)

    @app.cli.command("seed")
    def seed_command() -> None:
        """Load wards, postcodes, libraries and the sample directory (idempotent)."""
        counts = seed_all(council())
        click.echo(
            f"Seed data loaded: {counts['postcodes_added']} postcodes added, "
            f"{counts['resources_added']} directory entries added, {counts['resources_updated']} checked."
        )

    @app.cli.command("apply-retention")
    def apply_retention_command() -> None:
        """Delete what the privacy notice says we do not keep: old plans, old sent messages, referral
        contact details and notes some time after the referral closed, old feedback comments, and the address
        codes of past days, the personal details on past bookings; and sign-in records no longer needed."""
        years = current_app.config["PLAN_RETENTION_YEARS"]
        days = current_app.config["OUTBOX_RETENTION_DAYS"]
        months = current_app.config["REFERRAL_DETAILS_RETENTION_MONTHS"]
        comment_months = current_app.config["FEEDBACK_COMMENT_RETENTION_MONTHS"]
        plans = delete_plans_older_than(years)
        messages = delete_messages_older_than(days)
        referrals = erase_old_referral_details(months)
        comments = blank_old_feedback_comments(comment_months)
        booking_days = current_app.config["BOOKING_RETENTION_DAYS"]
        bookings = erase_old_booking_details(booking_days)
        waiting = erase_old_waiting_list_details(booking_days)
        sign_in_records = delete_stale_failures() + delete_spent_links()
        address_days = erase_address_days()
        db.session.commit()
        click.echo(
            f"Deleted {_count(plans, 'saved plan')} older than {_count(years, 'year')} "
            f"and {_count(messages, 'sent message')} older than {_count(days, 'day')}. "
            f"Erased the contact details and notes on {_count(referrals, 'referral')} closed (or untouched) "
            f"for {_count(months, 'month')}. "
            f"Deleted {_count(comments, 'feedback comment')} older than {_count(comment_months, 'month')}. "
            f"Erased the personal details on {_count(bookings, 'booking')} and "
            f"{_count(waiting, 'waiting list place')} more than {_count(booking_days, 'day')} past. "
            f"Forgot {_count(sign_in_records, 'old sign-in record')} (failed sign-ins and spent reset links). "
            f"Cleared the address codes of {_count(address_days, 'saved plan')} from before today."
        )

    app.cli.add_command(chase_referrals_command)
    app.cli.add_command(area)

    @app.cli.command("rebuild-insight")
    def rebuild_insight_command() -> None:
        """Recount the ward insight figures from the stored assessments, and the help-given tallies from the
        session logs (both are kept up to date as plans and logs are saved; run this after loading either some
        other way)."""
        counted = rebuild()
        click.echo(f"Ward insight recounted from {_count(counted, 'saved plan')}.")
        logs = tallies.rebuild()
        click.echo(f"Help given recounted from {_count(logs, 'session log')}.")

    @app.cli.command("create-admin")
    @click.option("--email", prompt="Email address")
    @click.option("--name", prompt="Full name")
    @click.password_option("--password", prompt="Password (12 characters or more; three or more random words)")
    def create_admin_command(email: str, name: str, password: str) -> None:
        """Create a council officer (admin) account, who can then create the other accounts."""
        try:
            user = create_account(email, name, password, "admin")
        except AccountError as problem:
            raise click.ClickException(str(problem)) from problem
        db.session.commit()
        click.echo(f"Admin account created for {user.email}.")

    @app.cli.command("oruk-import")
    @click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
    @click.option("--sample", is_flag=True, help="Mark every imported entry as sample data.")
    @click.option("--dry-run", is_flag=True, help="Check the feed and report, but save nothing.")
    def oruk_import_command(paths: tuple[str, ...], sample: bool, dry_run: bool) -> None:
        """Create or update directory entries from Open Referral UK 3.0 JSON files (all of them, or none)."""
        try:
            outcomes = import_feed(list(paths), sample=sample, dry_run=dry_run)
        except FeedError as problem:
            raise click.ClickException("Nothing was imported:\n" + "\n".join(problem.problems)) from problem
        for outcome in outcomes:
            click.echo(f"{outcome.action} {outcome.feed_id} {outcome.name}")
            for line in outcome.dropped:
                click.echo(f"  {line}")
        created = sum(o.action == "created" for o in outcomes)
        verb = "Would import" if dry_run else "Imported"
        click.echo(f"{verb} {len(outcomes)} services: {created} created, {len(outcomes) - created} updated.")
