"""Account administration for council officers: list, create, deactivate and reactivate staff accounts, and
reset someone's password (triage.web.accounts.reset_links)."""

from __future__ import annotations

from flask import abort, current_app, flash, make_response, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import Select, select
from wtforms.fields.choices import SelectChoice

from triage.core.permissions import ROLES
from triage.web.accounts import reset_links
from triage.web.accounts.auth import requires
from triage.web.accounts.forms import NewAccountForm, ResetPasswordForm
from triage.web.accounts.service import AccountError, create_account, find_by_email, set_active
from triage.web.areas import packs
from triage.web.areas.profiles import council
from triage.web.extensions import db
from triage.web.models import Organisation, StaffUser
from triage.web.shell import audit
from triage.web.staff import bp


def _managed() -> Select:
    """The accounts the signed-in officer manages: every account, or, for an officer limited to one district,
    the accounts limited to the same district (in_district: never one for every district)."""
    query = select(StaffUser)
    if current_user.district_code is not None:
        query = query.where(StaffUser.district_code == current_user.district_code)
    return query


def _managed_or_404(user_id: int) -> StaffUser:
    user = db.session.execute(_managed().where(StaffUser.id == user_id)).scalar_one_or_none()
    if user is None:
        abort(404)
    return user


@bp.get("/accounts")
@requires("manage_accounts")
def accounts():
    users = db.session.execute(_managed().order_by(StaffUser.active.desc(), StaffUser.name)).scalars()
    districts = {lad: packs.district_name(lad) for lad in council().lads}
    return render_template("staff/accounts/index.html", users=list(users), roles=ROLES, districts=districts)


@bp.route("/accounts/new", methods=["GET", "POST"])
@requires("manage_accounts")
def new_account():
    form = NewAccountForm()
    organisations = db.session.execute(select(Organisation).order_by(Organisation.name)).scalars()
    form.organisation.choices = [SelectChoice("", "Not a Digital Champion")] + [
        SelectChoice(str(o.id), o.name + (" (sample)" if o.is_sample else "")) for o in organisations
    ]
    limited_to = current_user.district_code
    districts = (limited_to,) if limited_to else council().lads
    form.district.choices = [] if limited_to else [SelectChoice("", "Every district")]
    form.district.choices += [SelectChoice(lad, packs.district_name(lad)) for lad in districts]
    if form.validate_on_submit():
        if find_by_email(form.email.data):
            form.email.errors = ["An account with that email address already exists"]
        else:
            organisation = db.session.get(Organisation, int(form.organisation.data)) if form.organisation.data else None
            try:
                district = limited_to or form.district.data or None
                user = create_account(
                    form.email.data, form.name.data, form.password.data, form.role.data, organisation, district
                )
            except AccountError as problem:
                form.email.errors = [str(problem)]
            else:
                limited = f", limited to {district}" if district else ""
                audit.record("account created", f"account {user.id}", f"{user.role}, {user.email}{limited}")
                db.session.commit()
                flash(f"Account created for {user.name}", "success")
                return redirect(url_for("staff.accounts"))
    several = len(council().lads) > 1
    return render_template(
        "staff/accounts/new.html", form=form, several_districts=several, back=url_for("staff.accounts")
    )


@bp.post("/accounts/<int:user_id>/<any(deactivate, reactivate):action>")
@requires("manage_accounts")
def change_account(user_id: int, action: str):
    user = _managed_or_404(user_id)
    if user.id == current_user.id:
        flash("You cannot deactivate your own account")
        return redirect(url_for("staff.accounts"))
    set_active(user, action == "reactivate")
    audit.record(f"account {action}d", f"account {user.id}", user.email)
    db.session.commit()
    flash(f"{user.name}'s account has been {action}d", "success")
    return redirect(url_for("staff.accounts"))


@bp.route("/accounts/<int:user_id>/reset", methods=["GET", "POST"])
@requires("manage_accounts")
def reset_password(user_id: int):
    """Reset someone's password: they are signed out everywhere at once, and the officer is shown, once, a
    link for them to choose a new one."""
    user = _managed_or_404(user_id)
    if user.id == current_user.id:
        flash("You cannot reset your own password here. Change it from the link at the top of the page")
        return redirect(url_for("staff.accounts"))
    if not user.active:
        flash(f"{user.name}'s account is deactivated. Reactivate it first, then reset their password")
        return redirect(url_for("staff.accounts"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        issued = reset_links.reset(user, current_user._get_current_object())
        detail = f"every session ended; a reset link made, to be used by {issued.expires_at:%Y-%m-%d %H:%M} UTC"
        audit.record("password reset", f"account {user.id}", detail)
        db.session.commit()
        page = render_template("staff/accounts/reset_link.html", person=user, issued=issued)
        response = make_response(page)
        response.headers["Cache-Control"] = "no-store"  # the link is shown once, and never kept by the browser
        return response
    return render_template(
        "staff/accounts/reset.html",
        form=form,
        person=user,
        hours=current_app.config["PASSWORD_RESET_HOURS"],
        back=url_for("staff.accounts"),
    )
