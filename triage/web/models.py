"""Database tables: geography, the directory of help, assessments with their recommendations, feedback,
and staff accounts with their organisations.

An assessment holds no name or contact details: it keeps its answers, scores, ward, postcode sector (never the
full postcode) and the help it matched. Only a referral and a booking hold a name and contact details.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy import false as sa_false
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from triage.web.extensions import Base, db


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A time read from a DateTime(timezone=True) column, in UTC: every time is stored in UTC, but SQLite gives
    it back with no zone and PostgreSQL in the connection's zone."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class Ward(Base):
    __tablename__ = "ward"
    code: Mapped[str] = mapped_column(String(9), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    lad_code: Mapped[str] = mapped_column(String(9), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)


class Postcode(Base):
    __tablename__ = "postcode"
    postcode: Mapped[str] = mapped_column(String(8), primary_key=True)  # normalised, e.g. "LE11 3DU"
    ward_code: Mapped[str] = mapped_column(ForeignKey("ward.code"), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)


resource_ward = db.Table(
    "resource_ward",
    db.Column("resource_id", ForeignKey("resource.id", ondelete="CASCADE"), primary_key=True),
    db.Column("ward_code", ForeignKey("ward.code"), primary_key=True),
    Index("ix_resource_ward_ward_code", "ward_code"),  # help covering a ward, for the ORUK feed
)


class Resource(Base):
    """One entry in the directory of help: a champion, library, course, scheme or partner service."""

    __tablename__ = "resource"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(300), default="")  # where the facts come from
    coverage: Mapped[str] = mapped_column(String(10), default="local")  # local, borough, national
    borough_code: Mapped[str | None] = mapped_column(String(9), nullable=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    postcode: Mapped[str | None] = mapped_column(String(8), nullable=True)
    lat: Mapped[float | None] = mapped_column(Float, nullable=True, index=True)  # ORUK proximity prefilter
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    ward_code: Mapped[str | None] = mapped_column(ForeignKey("ward.code"), nullable=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), nullable=True)
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    opening_times: Mapped[list] = mapped_column(JSON, default=list)  # [{"day", "opens", "closes"}]
    opening_notes: Mapped[str] = mapped_column(Text, default="")
    free: Mapped[bool] = mapped_column(Boolean, default=True)
    cost: Mapped[str] = mapped_column(String(200), default="")
    languages: Mapped[list] = mapped_column(JSON, default=list)
    accessibility: Mapped[list] = mapped_column(JSON, default=list)
    delivery_modes: Mapped[list] = mapped_column(JSON, default=list)
    needs: Mapped[list] = mapped_column(JSON, default=list)  # route codes this help serves
    eligibility: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="active")  # active, temporarily_closed, retired
    status_note: Mapped[str] = mapped_column(
        String(300), default="", server_default=""
    )  # e.g. why and until when it is closed
    last_reviewed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    wards: Mapped[list[Ward]] = relationship(secondary=resource_ward, order_by=Ward.name)
    location_ward: Mapped[Ward | None] = relationship(foreign_keys=[ward_code])

    @property
    def full_address(self) -> str:
        """Where it is, in one line: 'Granby Street, Loughborough, LE11 3DU' (empty if nowhere)."""
        return ", ".join(part for part in (self.address, self.postcode) if part)


CHANNELS = {
    "online": "Online, on their own",
    "counter": "At the council counter",
    "phone": "On the phone",
    "community": "At a community venue",
    "in_person": "In person",  # a Digital Champion's walk-in: at Assessment.venue, or somewhere else
    "api": "Through another system (API)",
}


class DomainScores:
    """The five domain scores (0–10, see triage.core.scoring_model.DOMAINS), their mean and the band."""

    score_access: Mapped[int] = mapped_column(SmallInteger)
    score_affordability: Mapped[int] = mapped_column(SmallInteger)
    score_skills: Mapped[int] = mapped_column(SmallInteger)
    score_confidence: Mapped[int] = mapped_column(SmallInteger)
    score_accessibility: Mapped[int] = mapped_column(SmallInteger)
    mean_score: Mapped[float] = mapped_column(Float)
    band: Mapped[str] = mapped_column(String(10))


class WellbeingAnswers:
    """The ONS personal well-being answers (triage.core.wellbeing), 0 to 10, each empty when not answered."""

    wellbeing_life: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    wellbeing_worthwhile: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    wellbeing_happy: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    wellbeing_anxious: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)


WELLBEING_ANSWERED = " OR ".join(
    f"{name} IS NOT NULL" for name in ("wellbeing_life", "wellbeing_worthwhile", "wellbeing_happy", "wellbeing_anxious")
)


class Assessment(DomainScores, Base):
    """One completed questionnaire and its result, found again by its reference."""

    __tablename__ = "assessment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(14), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    scoring_version: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20), default="online")  # see CHANNELS
    # Set when staff ran the questionnaire with someone: who did, and when the person's consent was recorded.
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), nullable=True)
    consent_recorded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # For a walk-in ("in_person"), the champion's organisation's venue (a directory entry); None: somewhere else.
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("resource.id", ondelete="SET NULL"), nullable=True)
    who_for: Mapped[str] = mapped_column(String(20))
    ward_code: Mapped[str | None] = mapped_column(ForeignKey("ward.code"), nullable=True)
    postcode_sector: Mapped[str | None] = mapped_column(String(6), nullable=True)
    location_source: Mapped[str] = mapped_column(String(10))  # postcode, ward, none
    answers: Mapped[dict] = mapped_column(JSON)
    score_reasons: Mapped[dict] = mapped_column(JSON)  # {domain: [[points, text], ...]}
    band_reasons: Mapped[list] = mapped_column(JSON)
    routes: Mapped[list] = mapped_column(JSON)  # [{"code", "why", "more_help"}], in priority order
    # The route code of the step to do first (routing.first_step); None for plans saved before it existed.
    first_step: Mapped[str | None] = mapped_column(String(30), nullable=True)
    # Ward insight counts a plan unless one address sent too many that day (insight/counts.py). A plan sent
    # without signing in keeps a keyed code of that address and day (shell/addresses.py: never the address)
    # until `flask apply-retention` clears it once the day is over.
    in_insight: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())
    address_day: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)

    ward: Mapped[Ward | None] = relationship()
    venue: Mapped[Resource | None] = relationship()
    recommendations: Mapped[list[Recommendation]] = relationship(
        back_populates="assessment", order_by="Recommendation.position", cascade="all, delete-orphan"
    )

    __table_args__ = (Index("ix_assessment_ward_created", "ward_code", "created_at"),)


class Recommendation(Base):
    """A piece of help matched to an assessment, with the reasons it was chosen at the time."""

    __tablename__ = "recommendation"
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resource.id"), index=True)
    routes: Mapped[list] = mapped_column(JSON)
    reasons: Mapped[list] = mapped_column(JSON)
    distance_km: Mapped[float | None] = mapped_column(Float, nullable=True)

    assessment: Mapped[Assessment] = relationship(back_populates="recommendations")
    resource: Mapped[Resource] = relationship()


class Feedback(Base):
    """The single satisfaction question, stored anonymously with the ward only."""

    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    rating: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    ward_code: Mapped[str | None] = mapped_column(ForeignKey("ward.code"), nullable=True)


organisation_ward = db.Table(
    "organisation_ward",
    db.Column("organisation_id", ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True),
    db.Column("ward_code", ForeignKey("ward.code"), primary_key=True),
)


class Organisation(Base):
    """A group Digital Champions belong to (a library, a community centre, a charity) and the wards it serves."""

    __tablename__ = "organisation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)
    wards: Mapped[list[Ward]] = relationship(secondary=organisation_ward, order_by=Ward.name)


class StaffUser(UserMixin, Base):
    """A member of staff who signs in: a council officer, counter staff or a Digital Champion."""

    __tablename__ = "staff_user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(20))  # see triage.core.permissions.ROLES
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), nullable=True)
    # For a council over several districts: the one district (LAD code) whose referrals and insight the
    # account is limited to; None for every district (triage.core.permissions.in_district).
    district_code: Mapped[str | None] = mapped_column(String(9), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_signed_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Stamped into each session at sign-in; raising it ends them all (triage.web.accounts.sessions).
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    organisation: Mapped[Organisation | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses sign-in to inactive accounts
        return self.active

    def get_id(self) -> str:
        """What Flask-Login keeps in the session: the account's id and session version, "id:version"
        (read back by triage.web.accounts.sessions.user_for_session)."""
        return f"{self.id}:{self.session_version}"


class SignInFailure(Base):
    """Failed sign-ins in a row for one email address from one network address, and when that pair may try
    again (triage.web.accounts.backoff). Both addresses are kept only as keyed hashes."""

    __tablename__ = "sign_in_failure"
    __table_args__ = (UniqueConstraint("email_key", "address_key", name="uq_sign_in_failure_pair"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email_key: Mapped[str] = mapped_column(String(64))
    address_key: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(Integer)
    last_failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    paused_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class PasswordReset(Base):
    """A one-time link an officer made for someone to choose a new password (triage.web.accounts.reset).
    Only a hash of the link's token is kept."""

    __tablename__ = "password_reset"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    user: Mapped[StaffUser] = relationship(foreign_keys=[user_id])


class OutboxMessage(Base):
    """An email or text message to a person: queued for the worker to send, or kept here by the outbox backend."""

    __tablename__ = "outbox_message"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(10))  # email, sms, letter
    # An email address, a phone number, or a letter's address lines (one per line, the postcode last).
    recipient: Mapped[str] = mapped_column(String(254))  # "" once the status is final: erased
    # Which message it is (triage.core.message_templates), the language it is in, and its named fields: GOV.UK
    # Notify is sent the fields for a template of its own; subject and body are the same words filled in here.
    template: Mapped[str] = mapped_column(String(40), default="", server_default="")
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    fields: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    subject: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text)
    # "in outbox" (kept here, not sent), "queued", "sent", "delivered" or a failure (triage/core/message_status.py)
    status: Mapped[str] = mapped_column(String(200), default="in outbox", index=True)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id", ondelete="SET NULL"), nullable=True)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), nullable=True)
    # The referral a message is about, so its page can say what the person and the help were told.
    referral_id: Mapped[int | None] = mapped_column(
        ForeignKey("referral.id", ondelete="SET NULL"), nullable=True, index=True
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # A worker's lease: until then no other worker takes the message; after it, a killed worker's is taken again.
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    provider_id: Mapped[str | None] = mapped_column(String(100), nullable=True)  # Notify's id, or the Message-ID
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # When the status became final: it never changes after that, and the recipient is erased (messages/outcomes.py).
    final_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # When the worker last asked Notify how a sent message went (messages/status_checks.py).
    status_checked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    sent_by: Mapped[StaffUser | None] = relationship()


class Referral(Base):
    """A warm handover of a person to a piece of help, with their consent, and what happened next.

    Contact details are kept only here, only with consent, and are erased a set time after the
    referral closes (`flask apply-retention`) or when the person asks.
    """

    __tablename__ = "referral"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id", ondelete="SET NULL"), nullable=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resource.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), nullable=True, index=True)
    ward_code: Mapped[str | None] = mapped_column(ForeignKey("ward.code"), nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="sent", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    contact_times: Mapped[str] = mapped_column(String(200), default="")
    contact_name: Mapped[str] = mapped_column(String(100), default="")
    contact_phone: Mapped[str] = mapped_column(String(30), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    consent_recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    personal_details_erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # How the person wants to hear what happens ("sms", "email", or "" for no updates) and in which language.
    updates_by: Mapped[str] = mapped_column(String(5), default="", server_default="")
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)  # the help, once

    assessment: Mapped[Assessment | None] = relationship()
    resource: Mapped[Resource] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    ward: Mapped[Ward | None] = relationship()
    created_by: Mapped[StaffUser | None] = relationship(foreign_keys=[created_by_id])
    events: Mapped[list[ReferralEvent]] = relationship(
        back_populates="referral", order_by="ReferralEvent.id", cascade="all, delete-orphan"
    )


class ReferralEvent(Base):
    """One status change of a referral: when, by whom, from what to what, and why."""

    __tablename__ = "referral_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    from_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_status: Mapped[str] = mapped_column(String(20))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")

    referral: Mapped[Referral] = relationship(back_populates="events")
    by: Mapped[StaffUser | None] = relationship()


class AuditEvent(Base):
    """Every view of personal data and every change, by whom and when; admins can read the log."""

    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), nullable=True)
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(60))  # e.g. "referral 12", "plan K7QM-3XHP-RT9W"
    detail: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[StaffUser | None] = relationship()


class FollowUp(DomainScores, WellbeingAnswers, Base):
    """A short re-assessment after support, scored with the same model, to show distance travelled.

    Anonymous like the assessment it follows: answers and scores only, deleted with the plan.
    """

    __tablename__ = "follow_up"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), index=True)
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referral.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), nullable=True)
    scoring_version: Mapped[str] = mapped_column(String(20))
    answers: Mapped[dict] = mapped_column(JSON)

    assessment: Mapped[Assessment] = relationship()
    by: Mapped[StaffUser | None] = relationship()


class ResourceChange(Base):
    """The history of a directory entry: who changed what, and when ({field: [before, after]})."""

    __tablename__ = "resource_change"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resource.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), nullable=True)
    action: Mapped[str] = mapped_column(String(30))  # created, edited, retired, restored, reviewed, imported...
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(String(300), default="")

    by: Mapped[StaffUser | None] = relationship()


class Proposal(Base):
    """A partner's proposed new entry or edit, not public until an admin approves it.

    `entry` is the whole proposed entry in the flat form triage.core.directory_rules checks.
    """

    __tablename__ = "proposal"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    resource_id: Mapped[int | None] = mapped_column(ForeignKey("resource.id", ondelete="CASCADE"), nullable=True)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    entry: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)  # pending, approved, rejected
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    decision_note: Mapped[str] = mapped_column(String(500), default="")

    organisation: Mapped[Organisation] = relationship()
    resource: Mapped[Resource | None] = relationship()
    proposed_by: Mapped[StaffUser | None] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[StaffUser | None] = relationship(foreign_keys=[decided_by_id])


class WardMonthStat(Base):
    """Anonymous running counts per ward and month, for the ward insight pages.

    Kept up to date as each assessment is saved (and rebuilt by `flask rebuild-insight`), so the
    dashboards read a few thousand rows, not every assessment. They hold no personal data, so they are
    kept when old plans are deleted. metric: assessments, band, route, goal or score_sum (code = domain).
    """

    __tablename__ = "ward_month_stat"
    ward_code: Mapped[str] = mapped_column(String(9), primary_key=True)  # "unknown" when no ward was given
    month: Mapped[date] = mapped_column(Date, primary_key=True)  # the first day of the month
    metric: Mapped[str] = mapped_column(String(20), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class HelpSession(WellbeingAnswers, Base):
    """A Digital Champion's log of one session of help (triage.core.help_sessions): how long, where, what they
    worked on and how it went. Never a name: a group is a headcount, and the ward is all that is kept of a
    place (from the plan, the venue, or a postcode that is looked up and not kept)."""

    __tablename__ = "help_session"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), nullable=True, index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), nullable=True, index=True)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id", ondelete="SET NULL"), nullable=True)
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referral.id", ondelete="SET NULL"), nullable=True)
    session_date: Mapped[date] = mapped_column(Date, index=True)
    minutes: Mapped[int] = mapped_column(SmallInteger)
    kind: Mapped[str] = mapped_column(String(12))  # one_to_one, group
    headcount: Mapped[int] = mapped_column(SmallInteger, default=1)  # 1 for one-to-one
    place: Mapped[str] = mapped_column(String(10))  # venue, home, phone, online
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("resource.id", ondelete="SET NULL"), nullable=True)
    tasks: Mapped[list] = mapped_column(JSON, default=list)  # codes from help_sessions.TASKS
    device: Mapped[str] = mapped_column(String(10))
    independence: Mapped[str] = mapped_column(String(10))
    given: Mapped[list] = mapped_column(JSON, default=list)  # codes from help_sessions.GIVEN
    onward_resource_id: Mapped[int | None] = mapped_column(
        ForeignKey("resource.id", ondelete="SET NULL"), nullable=True
    )
    first_visit: Mapped[bool] = mapped_column(Boolean, default=False)
    ward_code: Mapped[str | None] = mapped_column(ForeignKey("ward.code"), nullable=True)
    connecting: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())  # impact.CONNECTING

    logged_by: Mapped[StaffUser | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    assessment: Mapped[Assessment | None] = relationship()
    referral: Mapped[Referral | None] = relationship()
    venue: Mapped[Resource | None] = relationship(foreign_keys=[venue_id])
    onward: Mapped[Resource | None] = relationship(foreign_keys=[onward_resource_id])
    ward: Mapped[Ward | None] = relationship()

    __table_args__ = (
        # The plans' sessions of a date range, read from the index alone when people are counted (counting.py).
        Index(
            "ix_help_session_plan_sessions",
            "session_date",
            "organisation_id",
            "assessment_id",
            "logged_by_id",
            "place",
            "venue_id",
            "ward_code",
            "independence",
            "connecting",
            "kind",
            sqlite_where=text("assessment_id IS NOT NULL AND kind <> 'group'"),
            postgresql_where=text("assessment_id IS NOT NULL AND kind <> 'group'"),
        ),
        # The few logs with wellbeing answers, for the impact report (wellbeing/report.py asks the same).
        Index(
            "ix_help_session_wellbeing",
            "session_date",
            sqlite_where=text(WELLBEING_ANSWERED),
            postgresql_where=text(WELLBEING_ANSWERED),
        ),
    )


class HelpTally(Base):
    """Running tallies of the session logs (triage.core.impact.Tally) per day and per month, organisation,
    district and grouping, so the figures for a year read a few thousand rows, not every log. Added to and taken
    from as logs are saved, changed and deleted (help_sessions/tallies.py), and rebuilt by `flask rebuild-insight`.
    No personal data.

    span "day" or "month", from `start` (a month's first day). grouping "all" has value ""; "champion" the
    account id; "venue" `venue-<id>` or where it was instead (home, phone, online); "ward" the ward code, or ""
    when not known. organisation_id is 0 for none; district is the LAD code of the session's ward, "" when not
    known (the figures for every district add up the districts' rows)."""

    __tablename__ = "help_tally"
    grouping: Mapped[str] = mapped_column(String(10), primary_key=True)
    span: Mapped[str] = mapped_column(String(5), primary_key=True)
    start: Mapped[date] = mapped_column(Date, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[str] = mapped_column(String(20), primary_key=True)
    district: Mapped[str] = mapped_column(String(9), primary_key=True, default="")
    sessions: Mapped[int] = mapped_column(Integer, default=0)
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    people: Mapped[int] = mapped_column(Integer, default=0)
    first_visits: Mapped[int] = mapped_column(Integer, default=0)
    sims: Mapped[int] = mapped_column(Integer, default=0)
    devices: Mapped[int] = mapped_column(Integer, default=0)
    tasks_on_their_own: Mapped[int] = mapped_column(Integer, default=0)
    connecting: Mapped[int] = mapped_column(Integer, default=0)
    upskilled: Mapped[int] = mapped_column(Integer, default=0)


class Availability(Base):
    """What can be booked at a directory entry (triage.core.booking_slots.Offer): a weekly rule of slots, or a
    dated session or course with a number of places. Removing one keeps it (its bookings point at it) but it
    offers no more slots."""

    __tablename__ = "availability"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resource.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # weekly, dated
    mode: Mapped[str] = mapped_column(String(12))  # in_person, phone, home_visit
    title: Mapped[str] = mapped_column(String(200), default="")  # a dated session's name, e.g. "Beginners' course"
    weekday: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)  # 0 Monday; weekly only
    on_date: Mapped[date | None] = mapped_column(Date, nullable=True)  # dated only
    starts: Mapped[time] = mapped_column(Time)  # local wall-clock times
    ends: Mapped[time] = mapped_column(Time)
    minutes: Mapped[int] = mapped_column(SmallInteger)
    places: Mapped[int] = mapped_column(SmallInteger)
    valid_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    valid_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), nullable=True)
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    resource: Mapped[Resource] = relationship()


class Closure(Base):
    """Days a directory entry offers no slots (both included), and why."""

    __tablename__ = "closure"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resource.id", ondelete="CASCADE"), index=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), nullable=True)


class Booking(Base):
    """A place booked in a slot, found again by its own reference and the phone or email it was made with.

    No double booking: each booking holding a place has a seat from 1 to the offer's places, and the partial
    unique index allows one booking holding a place per (offer, start, seat), in the database itself.
    """

    __tablename__ = "booking"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(14), unique=True)
    availability_id: Mapped[int] = mapped_column(ForeignKey("availability.id"))
    resource_id: Mapped[int] = mapped_column(ForeignKey("resource.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # UTC
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    seat: Mapped[int] = mapped_column(SmallInteger)
    mode: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(10), default="booked")  # booking_slots.STATUSES
    first_name: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    language: Mapped[str] = mapped_column(String(8), default="en")
    access_needs: Mapped[str] = mapped_column(String(300), default="")
    made_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), nullable=True)  # on their behalf
    consent_recorded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # Reminders (booking/reminders.py): when it got its present time, made or moved; null for one made before.
    placed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # Why staff took its time away (booking/changes.py): a closure's reason, times removed, the help closing.
    cancelled_because: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # The champion's day (booking/day.py): when it was marked attended or did not come, and the session logged.
    marked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    help_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("help_session.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # A place held for someone on the waiting list (status held) is theirs until then (booking/waiting_list.py).
    held_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    availability: Mapped[Availability] = relationship()
    resource: Mapped[Resource] = relationship()
    help_session: Mapped[HelpSession | None] = relationship()

    __table_args__ = (
        Index(
            "uq_booking_seat",
            "availability_id",
            "starts_at",
            "seat",
            unique=True,
            sqlite_where=text("status != 'cancelled'"),
            postgresql_where=text("status != 'cancelled'"),
        ),
        Index("ix_booking_availability_starts", "availability_id", "starts_at"),
    )


class BookingReminder(Base):
    """A reminder queued for a booking's time (hours before it), so none is sent twice, by a worker restarted or
    by two at once: the unique index lets one of them record it. Moved, a booking has its reminders again."""

    __tablename__ = "booking_reminder"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # the booked time it was for
    hours_before: Mapped[int] = mapped_column(SmallInteger)
    queued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("uq_booking_reminder", "booking_id", "starts_at", "hours_before", unique=True),)


# The reminders worker's question, every batch: active bookings starting in the next few days.
Index("ix_booking_status_starts", Booking.status, Booking.starts_at)


class WaitingListEntry(Base):
    """Someone waiting for a place in a full session (an offer and its start), found again by its own reference and
    the phone number or email it was made with (one is required: a freed place is offered by message). Its status
    and order are triage.core.waiting_list's; an offer is a held Booking (booking_id) of the freed seat."""

    __tablename__ = "waiting_list_entry"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(14), unique=True)
    availability_id: Mapped[int] = mapped_column(ForeignKey("availability.id"))
    resource_id: Mapped[int] = mapped_column(ForeignKey("resource.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # UTC: the session's start
    first_name: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    language: Mapped[str] = mapped_column(String(8), default="en")
    access_needs: Mapped[str] = mapped_column(String(300), default="")
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id", ondelete="SET NULL"), nullable=True)
    made_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), nullable=True)  # on their behalf
    consent_recorded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="waiting")  # waiting_list.STATUSES
    offered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("booking.id", ondelete="SET NULL"), nullable=True)

    resource: Mapped[Resource] = relationship()
    availability: Mapped[Availability] = relationship()
    booking: Mapped[Booking | None] = relationship()

    __table_args__ = (Index("ix_waiting_list_session", "availability_id", "starts_at", "status"),)
