"""Counter mode: staff run the questionnaire with someone, open any plan with its full reasons, send plans.

The questions themselves are the resident journey's pages (resident/views.py); starting here records
who is helping, the channel and the person's consent in the journey's state (assessments/journey.py), and
finishing the journey brings the result back to the staff plan page.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from triage.core.contact_details import normalise_mobile
from triage.core.interface_languages import DEFAULT, interface_language
from triage.core.message_status import shown
from triage.core.permissions import can
from triage.core.referrals import responsiveness_hint
from triage.web.accounts.auth import requires
from triage.web.accounts.permissions import user_can
from triage.web.assessments import journey
from triage.web.assessments.plans import VERSIONS, plan_steps, render_plan, step_numbers
from triage.web.assessments.service import domain_scores, find_assessment
from triage.web.booking.service import next_times_in_plan, slot_label
from triage.web.counter.forms import ELSEWHERE, AssistForm, FindPlanForm, LetterForm, SendPlanForm, WalkInForm
from triage.web.directory.venues import venues_of
from triage.web.extensions import db
from triage.web.messages.sending import letter_languages, plan_fields, queue, sends
from triage.web.models import CHANNELS, Assessment, OutboxMessage, Referral, Resource
from triage.web.referrals import responsiveness
from triage.web.referrals.follow_ups import latest_progress
from triage.web.referrals.forms import StaffReferralForm
from triage.web.referrals.service import can_receive_referrals, create_referral, receiving_organisations
from triage.web.shell import audit
from triage.web.staff import bp

OUTBOX_PAGE = 100


def _walk_in_form() -> WalkInForm:
    form = WalkInForm()
    form.venue.choices = [
        *(SelectChoice(str(v.id), v.name) for v in venues_of(current_user.organisation_id)),
        SelectChoice(ELSEWHERE, "Somewhere else"),
    ]
    return form


@bp.route("/assess", methods=["GET", "POST"])
@requires("run_assessment_for_someone")
def assess():
    """Counter staff and officers say how they are helping; a Digital Champion at which of their venues."""
    if current_user.organisation_id is not None:
        walk_in = _walk_in_form()
        if walk_in.validate_on_submit():
            journey.current().start_assisting(current_user.id, "in_person", walk_in.venue_id())
            return redirect(url_for("resident.question", page=journey.POSTCODE))
        return render_template("staff/counter/assess.html", form=walk_in, field=walk_in.venue)
    form = AssistForm()
    if form.validate_on_submit():
        journey.current().start_assisting(current_user.id, form.channel.data)
        return redirect(url_for("resident.question", page=journey.POSTCODE))
    return render_template("staff/counter/assess.html", form=form, field=form.channel)


@bp.route("/plans", methods=["GET", "POST"])
@requires("open_any_plan")
def find_plan():
    form = FindPlanForm()
    if form.validate_on_submit():
        found = find_assessment(form.reference.data)
        if found:
            return redirect(url_for("staff.plan", reference=found.reference))
        form.reference.errors = ["No plan has that reference. Check it with the person"]
    return render_template("staff/counter/find_plan.html", form=form)


def _assessment_or_404(reference: str) -> Assessment:
    """The plan, if the signed-in person may open it: a champion cannot learn that someone else's exists."""
    assessment = find_assessment(reference)
    if assessment is None or not user_can("open_plan", assessment):
        abort(404)
    return assessment


def _referral_form(assessment, formdata=None) -> StaffReferralForm:
    form = StaffReferralForm(formdata=formdata, prefix="refer")
    receiving = receiving_organisations()
    form.resource.choices = [
        SelectChoice(str(rec.resource_id), rec.resource.name)
        for rec in assessment.recommendations
        if can_receive_referrals(rec.resource, receiving)
    ]
    return form


def _answer_hints(form: StaffReferralForm) -> list[dict]:
    """A hint for each choice of who to refer them to: how quickly that organisation usually answers."""
    resources = [db.session.get_one(Resource, int(choice.value)) for choice in form.resource.choices]
    figures = responsiveness.by_organisation(r.organisation_id for r in resources)
    return [{"hint": {"text": responsiveness_hint(figures.get(r.organisation_id or 0))}} for r in resources]


def _their_language(assessment: Assessment) -> str:
    """The language they said they would like help in, if the plan can be written in it; else English."""
    chosen = interface_language(assessment.answers.get("language"))
    return chosen.code if chosen else DEFAULT


def _letter_form(assessment: Assessment, formdata=None) -> LetterForm | None:
    """The form to post the plan, in the languages it can be posted in; None where letters are not sent."""
    languages = letter_languages()
    if not languages:
        return None
    theirs = _their_language(assessment)
    form = LetterForm(formdata=formdata, prefix="letter", language=theirs if theirs in languages else languages[0])
    form.language.choices = [c for c in form.language.choices if c.value in languages]
    return form


def channel_text(assessment: Assessment) -> str:
    """How the plan was made, in words: a walk-in says where."""
    how = CHANNELS.get(assessment.channel, assessment.channel)
    if assessment.channel == "in_person":
        return f"{how} at {assessment.venue.name}" if assessment.venue else f"{how}, somewhere else"
    return how


def _render_plan(
    assessment,
    form: SendPlanForm | None = None,
    refer_form: StaffReferralForm | None = None,
    letter_form: LetterForm | None = None,
):
    steps = plan_steps(assessment)
    error_form, refer_form = refer_form, refer_form or _referral_form(assessment, formdata=None)
    return render_template(
        "staff/counter/plan.html",
        assessment=assessment,
        domains=domain_scores(assessment),
        steps=steps,
        step_number=step_numbers(steps),
        channel=channel_text(assessment),
        progress=latest_progress(assessment),
        form=form or SendPlanForm(formdata=None, language=_their_language(assessment)),
        refer_form=refer_form,
        answer_hints=_answer_hints(refer_form),
        error_form=error_form or letter_form,
        letter_form=letter_form or _letter_form(assessment),
        referrals=db.session.execute(
            select(Referral).where(Referral.assessment_id == assessment.id).order_by(Referral.id)
        )
        .scalars()
        .all(),
        messages=db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.assessment_id == assessment.id).order_by(OutboxMessage.id)
        ).all(),
        sends_messages=sends("email") or sends("sms"),
        shown_status=shown,
        bookable=next_times_in_plan(assessment) if can(current_user.role, "book_for_someone") else {},
        slot_label=slot_label,
    )


@bp.get("/plans/<reference>")
@requires("open_plans")
def plan(reference: str):
    assessment = _assessment_or_404(reference)
    if assessment.reference != reference:
        return redirect(url_for("staff.plan", reference=assessment.reference))
    audit.record("plan viewed", f"plan {assessment.reference}")
    db.session.commit()
    return _render_plan(assessment)


@bp.get("/plans/<reference>/print")
@requires("open_plans")
def print_plan(reference: str):
    """The plan as the resident sees it, in the language and version they want, to print or show them."""
    assessment = _assessment_or_404(reference)
    language = interface_language(request.args.get("language", DEFAULT))
    version = request.args.get("version", "standard")
    if language is None or version not in VERSIONS:
        abort(400)
    audit.record("plan viewed", f"plan {assessment.reference}", f"to print, {language.english_name}, {version}")
    db.session.commit()
    back = url_for("staff.plan", reference=assessment.reference)
    english = url_for("staff.print_plan", reference=assessment.reference, language=DEFAULT, version=version)
    with force_locale(language.code):
        page = render_plan(assessment, version, print_view=True, back=back, receiving=(), english_url=english)
    return page, {"Content-Language": language.code}


@bp.post("/plans/<reference>/send")
@requires("send_plan")
def send_plan(reference: str):
    assessment = _assessment_or_404(reference)
    form = SendPlanForm()
    if not form.validate_on_submit():
        return _render_plan(assessment, form=form), 400
    context = {"assessment_id": assessment.id, "sent_by_id": current_user.id}
    if form.method.data == "email":
        to, how = form.email.data.strip(), "email"
        template = "plan-email"
    else:
        to, how = normalise_mobile(form.mobile.data), "text message"
        assert to is not None  # validate_mobile accepted it as a UK mobile number
        template = "plan-sms"
    language = form.language.data
    message = queue(template, to, plan_fields(assessment, language), language, **context)
    audit.record("plan sent", f"plan {assessment.reference}", f"by {form.method.data}")
    db.session.commit()
    if message.status == "queued":  # the worker sends it in a moment; the outbox shows how it went
        flash(f"Plan sent by {how} to {to}. It is on its way: the outbox shows when it has gone", "success")
    else:  # the outbox backend, or a text with SMTP: nothing is sent until someone passes it on
        not_sent = f"Signpost is not set up to send by {how}: pass it on yourself"
        flash(f"Plan saved in the outbox for {to}. {not_sent}", "success")
    return redirect(url_for("staff.plan", reference=assessment.reference))


@bp.post("/plans/<reference>/letter")
@requires("send_plan")
def post_plan(reference: str):
    """The plan posted as a letter through GOV.UK Notify, where the council has set letters up."""
    assessment = _assessment_or_404(reference)
    form = _letter_form(assessment, formdata=request.form)
    if form is None:
        abort(404)
    if not form.validate_on_submit():
        return _render_plan(assessment, letter_form=form), 400
    language = form.language.data
    context = {"assessment_id": assessment.id, "sent_by_id": current_user.id}
    queue("plan-letter", form.address.as_recipient(), plan_fields(assessment, language), language, **context)
    audit.record("plan sent", f"plan {assessment.reference}", "by letter")
    db.session.commit()
    flash("Plan posted as a letter. It is on its way: the outbox shows when it has gone to print", "success")
    return redirect(url_for("staff.plan", reference=assessment.reference))


@bp.post("/plans/<reference>/refer")
@requires("refer")
def refer(reference: str):
    assessment = _assessment_or_404(reference)
    form = _referral_form(assessment, formdata=request.form)
    if not form.validate_on_submit():
        return _render_plan(assessment, refer_form=form), 400
    resource = db.session.get_one(Resource, int(form.resource.data))  # validate_resource: one the plan recommends
    referral = create_referral(
        assessment, resource, form.contact(), current_user, form.chosen_updates(), form.language.data
    )
    db.session.commit()
    flash(f"Referred to {resource.name}", "success")
    return redirect(url_for("staff.referral", referral_id=referral.id))


@bp.get("/outbox")
@requires("read_outbox")
def outbox():
    messages = db.session.execute(
        select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()).limit(OUTBOX_PAGE)
    ).scalars()
    audit.record("personal details viewed", "outbox")
    db.session.commit()
    return render_template("staff/counter/outbox.html", messages=list(messages), limit=OUTBOX_PAGE, shown_status=shown)
