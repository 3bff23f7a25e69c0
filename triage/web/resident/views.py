"""The resident journey: start page, one question per page, check answers, then the plan (and sending it)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from triage.core.geography import Lookup
from triage.core.questionnaire import BY_ID, AnswerError, validate_answers
from triage.core.text import N_
from triage.web.assessments import journey
from triage.web.assessments.places import (
    council_wards,
    find_postcode,
    likely_wards,
    place_from_postcode,
    place_from_ward,
    ward_label,
)
from triage.web.assessments.plans import render_plan
from triage.web.assessments.question_forms import choice_params, question_form
from triage.web.assessments.service import find_assessment
from triage.web.booking.service import next_times_in_plan, slot_label
from triage.web.extensions import db
from triage.web.languages.i18n import current_language
from triage.web.messages.sending import plan_fields, queue, sends
from triage.web.models import Feedback
from triage.web.referrals.follow_ups import latest_progress
from triage.web.referrals.forms import ReferralForm
from triage.web.referrals.service import can_receive_referrals, create_referral, receiving_organisations
from triage.web.resident import bp
from triage.web.resident.forms import (
    SEND_BY,
    AreaForm,
    FeedbackForm,
    PostcodeForm,
    ReferenceForm,
    SendByForm,
    SendToEmailForm,
    SendToMobileForm,
    blank_feedback_fields,
)
from triage.web.shell import audit, write_limits
from triage.web.shell.fragments import same_page_for_everyone

NOT_SURE = "not_sure"
KEPT_POSTCODE = N_(
    "You gave a postcode starting %(sector)s. Select Continue to keep it, or enter a new postcode to change it."
)
POSTCODE = BY_ID["postcode"]


def _go(page: str | None):
    if page is None:
        return redirect(url_for("resident.check_answers"))
    change = 1 if request.args.get("change") else None  # url_for leaves a None out
    return redirect(url_for("resident.question", page=page, change=change))


def _after(state: journey.JourneyState, page: str):
    """Onwards to the first unanswered question; back to the summary when changing an answer."""
    missing = state.first_unanswered()
    if missing:
        return _go(missing)
    if request.args.get("change"):
        return _go(None)
    return _go(state.next_page(page))


def _back(state: journey.JourneyState, page: str) -> str:
    if request.args.get("change"):
        return url_for("resident.check_answers")
    previous = state.previous_page(page)
    return url_for("resident.question", page=previous) if previous else url_for("resident.start")


@bp.get("/")
def start():
    return same_page_for_everyone(lambda: render_template("resident/start.html"))


@bp.route("/questions/<page>", methods=["GET", "POST"])
def question(page: str):
    if page not in journey.PAGES:
        abort(404)
    state = journey.current()
    missing = state.first_unanswered()
    pages = state.asked_pages()
    if page not in pages or (missing and pages.index(page) > pages.index(missing)):
        return _go(missing)  # no skipping ahead: answer the earlier questions first
    if page == journey.POSTCODE:
        return _postcode_page(state)
    if page == journey.AREA:
        return _area_page(state)
    q = BY_ID[page]
    title = state.title_for(page)
    saved = state.answers().get(page)
    back = _back(state, page)

    def render(form) -> str:
        return render_template(
            "resident/question.html",
            form=form,
            question=q,
            title=title,
            choice_params=choice_params,
            back=back,
            page=page,
            answered=saved is not None or request.method == "POST",  # the form shows what they gave
        )

    if request.method == "GET" and saved is None:
        # Unanswered, the page is the same for everyone given the same wording (the form is made in the
        # render, so that its token is the stand-in).
        return same_page_for_everyone(lambda: render(question_form(q, title)), title, back, reads=("lang", "change"))
    form = question_form(
        q,
        title,
        formdata=request.form if request.method == "POST" else None,
        data={"answer": saved} if saved is not None else None,
    )
    if form.validate_on_submit():
        state.save_answer(page, form.answer_value())
        return _after(state, page)
    return render(form)


def _postcode_page(state: journey.JourneyState):
    title, back = state.title_for(journey.POSTCODE), _back(state, journey.POSTCODE)
    kept = state.postcode_sector()  # the box stays empty: the session keeps no full postcode to fill it with
    hint = _(KEPT_POSTCODE, sector=kept) if kept else _(POSTCODE.hint)

    def render(form: PostcodeForm) -> str:
        return render_template(
            "resident/postcode.html",
            form=form,
            title=title,
            hint=hint,
            back=back,
            answered=bool(kept or form.postcode.data) or request.method == "POST",
        )

    if request.method == "GET" and not kept:
        return same_page_for_everyone(lambda: render(PostcodeForm()), title, back)
    form = PostcodeForm(kept_sector=kept)
    if request.method == "POST" and request.form.get("no_fixed_address"):
        state.no_fixed_address()
        return _go(journey.AREA)
    if form.validate_on_submit():
        if not form.postcode.data.strip():  # the postcode they gave before, kept
            return _after(state, journey.POSTCODE)
        result = find_postcode(form.postcode.data)
        if result.outcome is Lookup.INVALID:
            form.postcode.errors = [_("Enter a real postcode, like LE11 3DU")]
        else:
            assert result.postcode is not None  # a postcode, normalised: only an invalid one has none
            if result.outcome is Lookup.FOUND:
                state.postcode_placed(place_from_postcode(result))
                return _after(state, journey.POSTCODE)
            state.postcode_not_placed(result.postcode, result.outcome.value)
            return _go(journey.AREA)
    return render(form)


def _area_page(state: journey.JourneyState):
    sector, problem, place = state.postcode_sector(), state.postcode_problem(), state.place()
    back = _back(state, journey.AREA)
    if request.method == "GET" and place is None and problem == journey.NO_ADDRESS:
        # No postcode to show and nothing chosen yet: the same page for everyone with no fixed address.
        return same_page_for_everyone(lambda: _area_form_page(_area_form([]), [], problem, None, back), problem, back)
    likely = likely_wards(sector) if problem == "not_found" and sector else []
    form = _area_form(likely)
    if request.method == "GET" and place is not None:
        form.area.data = place.ward_code or NOT_SURE
    if form.validate_on_submit():
        chosen = place_from_ward(None if form.area.data == NOT_SURE else form.area.data)
        if chosen is None:
            abort(400)
        state.choose_area(chosen)
        return _after(state, journey.AREA)
    return _area_form_page(form, likely, problem, sector, back)


def _area_form(likely: list) -> AreaForm:
    """The list of areas: the likely wards for their postcode first, then every ward of the council."""
    form = AreaForm()
    wards = likely + [w for w in council_wards() if w not in likely]
    form.area.choices = [SelectChoice(w.code, ward_label(w)) for w in wards] + [
        SelectChoice(NOT_SURE, _("I'm not sure"))
    ]
    return form


def _area_form_page(form: AreaForm, likely: list, problem: str | None, sector: str | None, back: str) -> str:
    answered = request.method == "POST" or form.area.data is not None
    return render_template(
        "resident/area.html",
        form=form,
        back=back,
        problem=problem,
        sector=sector,
        likely_hints=[{"hint": {"text": _("Other postcodes starting %(sector)s are here", sector=sector)}}]
        * len(likely)
        if likely and sector
        else [],
        # Unanswered, the list of areas is the same for everyone, unless it starts with their postcode's likely ones.
        areas_key=None if answered or likely else tuple((c.value, str(c.label)) for c in form.area.choices),
    )


@bp.route("/check-your-answers", methods=["GET", "POST"])
@write_limits.per_address("SAVE_PLAN_RATE_LIMIT", write_limits.SAVE_PLAN)
def check_answers():
    state = journey.current()
    missing = state.first_unanswered()
    if missing:
        return _go(missing)
    if request.method == "POST":
        try:
            answers = validate_answers(state.answers())
        except AnswerError:
            return _go(journey.PAGES[0])
        _, next_url = state.finish(answers)
        write_limits.saved()
        return redirect(next_url)
    rows = [(p, state.title_for(p) if p in BY_ID else None) for p in state.asked_pages()]
    return render_template(
        "resident/check_answers.html",
        rows=rows,
        answers=state.answers(),
        place=state.place(),
        sector=state.postcode_sector(),
        back=url_for("resident.question", page=state.asked_pages()[-1]),
    )


@bp.post("/start-again")
def start_again():
    journey.current().clear()
    return redirect(url_for("resident.question", page=journey.PAGES[0]))


def _plan_or_404(reference: str, endpoint: str = "resident.plan"):
    assessment = find_assessment(reference)
    if assessment is None:
        abort(404)
    if assessment.reference != reference:  # typed another way: send them to the plan's own address
        return None, redirect(url_for(endpoint, reference=assessment.reference))
    return assessment, None


@bp.get("/plan/<reference>")
def plan(reference: str):
    assessment, redirect_to = _plan_or_404(reference)
    if redirect_to:
        return redirect_to
    return render_plan(
        assessment,
        form=FeedbackForm(),
        blank_fields=blank_feedback_fields(),
        feedback_given=reference in session.get("feedback_given", []),
        progress=latest_progress(assessment),
        receiving=receiving_organisations(),
        send_channels=_send_channels(),
        bookable=next_times_in_plan(assessment),
        slot_label=slot_label,
    )


@bp.get("/plan/<reference>/easy-read")
def plan_easy_read(reference: str):
    assessment, redirect_to = _plan_or_404(reference, "resident.plan_easy_read")
    if redirect_to:
        return redirect_to
    return render_plan(assessment, "easy_read", back=url_for("resident.plan", reference=assessment.reference))


@bp.post("/plan/<reference>/feedback")
@write_limits.per_address("FEEDBACK_RATE_LIMIT", "feedback")
@write_limits.per_plan("FEEDBACK_PER_PLAN_RATE_LIMIT", "feedback")
def feedback(reference: str):
    assessment, redirect_to = _plan_or_404(reference)
    if redirect_to:
        return redirect_to
    form = FeedbackForm()
    if not form.validate_on_submit():
        return render_template("resident/feedback.html", assessment=assessment, form=form), 400
    db.session.add(
        Feedback(rating=form.rating.data, comment=(form.comment.data or "").strip(), ward_code=assessment.ward_code)
    )
    db.session.commit()
    write_limits.saved()
    session["feedback_given"] = [*session.get("feedback_given", [])[-4:], reference]
    flash(_("Thank you for your feedback. It helps us improve this service."), "success")
    return redirect(url_for("resident.plan", reference=reference) + "#feedback")


@bp.route("/find-your-plan", methods=["GET", "POST"])
def find_plan():
    form = ReferenceForm()
    if form.validate_on_submit():
        found = find_assessment(form.reference.data)
        if found:
            return redirect(url_for("resident.plan", reference=found.reference))
        form.reference.errors = [
            _("We could not find a plan with that reference. Check it matches the reference on your plan")
        ]
    return render_template("resident/find_plan.html", form=form)


@bp.route("/plan/<reference>/contact-me/<int:resource_id>", methods=["GET", "POST"])
@write_limits.per_address("CONTACT_ME_RATE_LIMIT", "contact-me")
@write_limits.per_plan("CONTACT_ME_PER_PLAN_RATE_LIMIT", "contact-me")
def contact_me(reference: str, resource_id: int):
    """A resident asks a helper from their plan to contact them: consent and contact details, nothing else."""
    assessment, redirect_to = _plan_or_404(reference)
    if redirect_to:
        return redirect_to
    resource = next((r.resource for r in assessment.recommendations if r.resource_id == resource_id), None)
    if resource is None or not can_receive_referrals(resource):
        abort(404)
    form = ReferralForm()
    if form.validate_on_submit():
        language = current_language().code  # their messages are in the language they were reading
        create_referral(assessment, resource, form.contact(), None, form.chosen_updates(), language)
        db.session.commit()
        write_limits.saved()
        flash(_("Your details have been sent to %(name)s. They will contact you.", name=resource.name), "success")
        return redirect(url_for("resident.plan", reference=assessment.reference))
    back = url_for("resident.plan", reference=assessment.reference)
    return render_template("resident/contact_me.html", form=form, resource=resource, back=back)


SEND_TO_FORMS: dict[str, type[SendToMobileForm | SendToEmailForm]] = {"sms": SendToMobileForm, "email": SendToEmailForm}
SENT_HOW = {"sms": "by text message", "email": "by email"}  # for the audit log, in English


def _send_channels() -> list[str]:
    """The ways a resident can send their plan: those the council's sending service sends."""
    return [channel for channel in SEND_TO_FORMS if sends(channel)]


@bp.route("/plan/<reference>/send", methods=["GET", "POST"])
def send_plan(reference: str):
    """A resident sends their own plan to their phone or email: first, which (asked only if both are sent)."""
    channels = _send_channels()
    if not channels:
        abort(404)
    assessment, redirect_to = _plan_or_404(reference, "resident.send_plan")
    if redirect_to:
        return redirect_to
    if len(channels) == 1:
        return redirect(url_for("resident.send_plan_to", reference=assessment.reference, channel=channels[0]))
    form = SendByForm()
    form.channel.choices = [SelectChoice(channel, SEND_BY[channel]) for channel in channels]
    if form.validate_on_submit():
        return redirect(url_for("resident.send_plan_to", reference=assessment.reference, channel=form.channel.data))
    back = url_for("resident.plan", reference=assessment.reference)
    return render_template("resident/send_plan.html", form=form, back=back)


@bp.route("/plan/<reference>/send/<channel>", methods=["GET", "POST"])
@write_limits.per_address("SEND_PLAN_RATE_LIMIT", "send-plan")
@write_limits.per_plan("SEND_PLAN_PER_PLAN_RATE_LIMIT", "send-plan")
def send_plan_to(reference: str, channel: str):
    """Then the number or address, used only to send this plan; the message is in the language they read."""
    channels = _send_channels()
    if channel not in channels:
        abort(404)
    assessment, redirect_to = _plan_or_404(reference)
    if redirect_to:
        return redirect_to
    form = SEND_TO_FORMS[channel]()
    if form.validate_on_submit():
        to, language = form.recipient(), str(get_locale())
        queue(f"plan-{channel}", to, plan_fields(assessment, language), language, assessment_id=assessment.id)
        audit.record("plan sent", f"plan {assessment.reference}", f"{SENT_HOW[channel]}, by the resident")
        db.session.commit()
        write_limits.saved()
        sent = {"reference": assessment.reference, "channel": channel}
        if channel == "sms":  # the confirmation shows a number's last 3 digits only; the session keeps no more
            sent["ending"] = to[-3:]
        session["plan_sent"] = sent
        return redirect(url_for("resident.plan_sent", reference=assessment.reference))
    if len(channels) > 1:
        back = url_for("resident.send_plan", reference=assessment.reference)
    else:
        back = url_for("resident.plan", reference=assessment.reference)
    return render_template("resident/send_plan_to.html", form=form, channel=channel, back=back)


@bp.get("/plan/<reference>/sent")
def plan_sent(reference: str):
    """It is on its way: the last digits of the number, never the whole of it."""
    sent = session.get("plan_sent") or {}
    if sent.get("reference") != reference:
        return redirect(url_for("resident.plan", reference=reference))
    back = url_for("resident.plan", reference=reference)
    return render_template("resident/plan_sent.html", sent=sent, reference=reference, back=back)
