"""The resident journey: start page, one question per page, check answers, then the plan."""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from triage.core.geography import Lookup, sector
from triage.core.permissions import can
from triage.core.questionnaire import BY_ID, AnswerError, validate_answers
from triage.core.reference import normalise_reference
from triage.web.assessments import journey
from triage.web.assessments.places import (
    Place,
    council_wards,
    find_postcode,
    likely_wards,
    place_from_postcode,
    place_from_ward,
)
from triage.web.assessments.plans import render_plan
from triage.web.assessments.service import create_assessment, find_assessment
from triage.web.extensions import db
from triage.web.models import Feedback
from triage.web.referrals.follow_ups import latest_progress
from triage.web.referrals.forms import ReferralForm
from triage.web.referrals.service import can_receive_referrals, create_referral, receiving_organisations
from triage.web.resident import bp
from triage.web.resident.forms import AreaForm, FeedbackForm, PostcodeForm, ReferenceForm, choice_params, question_form
from triage.web.shell import audit

NOT_SURE = "not_sure"
POSTCODE = BY_ID["postcode"]


def _go(page: str | None):
    if page is None:
        return redirect(url_for("resident.check_answers"))
    change = {"change": 1} if request.args.get("change") else {}
    return redirect(url_for("resident.question", page=page, **change))


def _after(page: str):
    """Onwards to the first unanswered question; back to the summary when changing an answer."""
    missing = journey.first_unanswered()
    if missing:
        return _go(missing)
    if request.args.get("change"):
        return _go(None)
    return _go(journey.next_page(page))


def _back(page: str) -> str:
    if request.args.get("change"):
        return url_for("resident.check_answers")
    previous = journey.previous_page(page)
    return url_for("resident.question", page=previous) if previous else url_for("resident.start")


@bp.get("/")
def start():
    return render_template("resident/start.html")


@bp.route("/questions/<page>", methods=["GET", "POST"])
def question(page: str):
    if page not in journey.PAGES:
        abort(404)
    missing = journey.first_unanswered()
    pages = journey.asked_pages()
    if page not in pages or (missing and pages.index(page) > pages.index(missing)):
        return _go(missing)  # no skipping ahead: answer the earlier questions first
    if page == "postcode":
        return _postcode_page()
    if page == journey.AREA:
        return _area_page()
    q = BY_ID[page]
    title = journey.title_for(page)
    saved = journey.answers().get(page)
    form = question_form(
        q,
        title,
        formdata=request.form if request.method == "POST" else None,
        data={"answer": saved} if saved is not None else None,
    )
    if form.validate_on_submit():
        journey.save_answer(page, form.answer_value())
        return _after(page)
    params = choice_params(form, q, title) if q.kind != "text" else None
    return render_template(
        "resident/question.html", form=form, question=q, title=title, params=params, back=_back(page), page=page
    )


def _postcode_page():
    form = PostcodeForm(data={"postcode": session.get("postcode_entered", "")})
    if request.method == "POST" and request.form.get("no_fixed_address"):
        session.update(postcode_done=True, needs_area=True, postcode_problem="no_address", place=None)
        session.pop("postcode_entered", None)
        return _go(journey.AREA)
    if form.validate_on_submit():
        result = find_postcode(form.postcode.data)
        if result.outcome is Lookup.INVALID:
            form.postcode.errors = [_("Enter a real postcode, like LE11 3DU")]
        else:
            session.update(postcode_done=True, postcode_entered=result.postcode)
            if result.outcome is Lookup.FOUND:
                session.update(needs_area=False, postcode_problem=None, place=place_from_postcode(result).to_session())
                return _after("postcode")
            session.update(needs_area=True, place=None, postcode_problem=result.outcome.value)
            return _go(journey.AREA)
    title = journey.title_for("postcode")
    return render_template(
        "resident/postcode.html", form=form, title=title, hint=_(POSTCODE.hint), back=_back("postcode")
    )


def _area_page():
    postcode, problem = session.get("postcode_entered"), session.get("postcode_problem")
    likely = likely_wards(postcode) if problem == "not_found" and postcode else []
    wards = likely + [w for w in council_wards() if w not in likely]
    form = AreaForm()
    form.area.choices = [SelectChoice(w.code, w.name) for w in wards] + [SelectChoice(NOT_SURE, _("I'm not sure"))]
    place = session.get("place")
    if request.method == "GET" and place is not None:
        form.area.data = place.get("ward_code") or NOT_SURE
    if form.validate_on_submit():
        chosen = place_from_ward(None if form.area.data == NOT_SURE else form.area.data)
        if chosen is None:
            abort(400)
        session["place"] = chosen.to_session()
        return _after(journey.AREA)
    return render_template(
        "resident/area.html",
        form=form,
        back=_back(journey.AREA),
        problem=problem,
        postcode=postcode,
        likely_hints=[{"hint": {"text": _("Other postcodes starting %(sector)s are here", sector=sector(postcode))}}]
        * len(likely)
        if likely
        else [],
    )


@bp.route("/check-your-answers", methods=["GET", "POST"])
def check_answers():
    missing = journey.first_unanswered()
    if missing:
        return _go(missing)
    place = Place.from_session(session.get("place"))
    if request.method == "POST":
        try:
            answers = validate_answers(journey.answers())
        except AnswerError:
            return _go(journey.PAGES[0])
        staff_role = getattr(current_user, "role", None)
        assisting = session.get("assisting") if can(staff_role, "run_assessment_for_someone") else None
        if assisting:
            assessment = create_assessment(
                answers,
                place,
                channel=assisting["channel"],
                staff_user_id=current_user.id,
                consent_recorded_at=datetime.fromisoformat(assisting["consent_recorded_at"]),
            )
            audit.record("plan created", f"plan {assessment.reference}", f"with someone, {assisting['channel']}")
            db.session.commit()
            journey.clear()
            return redirect(url_for("staff.plan", reference=assessment.reference))
        assessment = create_assessment(answers, place, channel="online")
        journey.clear()
        return redirect(url_for("resident.plan", reference=assessment.reference))
    rows = [(p, journey.title_for(p) if p in BY_ID else None) for p in journey.asked_pages()]
    return render_template(
        "resident/check_answers.html",
        rows=rows,
        answers=journey.answers(),
        place=place,
        postcode=session.get("postcode_entered"),
        back=url_for("resident.question", page=journey.asked_pages()[-1]),
    )


@bp.post("/start-again")
def start_again():
    journey.clear()
    return redirect(url_for("resident.question", page=journey.PAGES[0]))


def _plan_or_404(reference: str, endpoint: str = "resident.plan"):
    canonical = normalise_reference(reference)
    assessment = find_assessment(canonical) if canonical else None
    if assessment is None:
        abort(404)
    if canonical != reference:
        return None, redirect(url_for(endpoint, reference=canonical))
    return assessment, None


@bp.get("/plan/<reference>")
def plan(reference: str):
    assessment, redirect_to = _plan_or_404(reference)
    if redirect_to:
        return redirect_to
    return render_plan(
        assessment,
        form=FeedbackForm(),
        feedback_given=reference in session.get("feedback_given", []),
        progress=latest_progress(assessment),
        receiving=receiving_organisations(),
    )


@bp.get("/plan/<reference>/easy-read")
def plan_easy_read(reference: str):
    assessment, redirect_to = _plan_or_404(reference, "resident.plan_easy_read")
    if redirect_to:
        return redirect_to
    return render_plan(assessment, "easy_read", back=url_for("resident.plan", reference=assessment.reference))


@bp.post("/plan/<reference>/feedback")
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
    session["feedback_given"] = [*session.get("feedback_given", [])[-4:], reference]
    flash(_("Thank you for your feedback. It helps us improve this service."), "success")
    return redirect(url_for("resident.plan", reference=reference) + "#feedback")


@bp.route("/find-your-plan", methods=["GET", "POST"])
def find_plan():
    form = ReferenceForm()
    if form.validate_on_submit():
        canonical = normalise_reference(form.reference.data)
        if canonical and find_assessment(canonical):
            return redirect(url_for("resident.plan", reference=canonical))
        form.reference.errors = [
            _("We could not find a plan with that reference. Check it matches the reference on your plan")
        ]
    return render_template("resident/find_plan.html", form=form)


@bp.route("/plan/<reference>/contact-me/<int:resource_id>", methods=["GET", "POST"])
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
        create_referral(assessment, resource, form.contact(), created_by=None)
        db.session.commit()
        flash(_("Your details have been sent to %(name)s. They will contact you.", name=resource.name), "success")
        return redirect(url_for("resident.plan", reference=assessment.reference))
    back = url_for("resident.plan", reference=assessment.reference)
    return render_template("resident/contact_me.html", form=form, resource=resource, back=back)
