"""Rate limits on what anyone can save without signing in: a plan (the journey's last step and the JSON API),
a "contact me" request to a helper, feedback on a plan, a plan sent to the resident's phone or email, and a booking
(with every try at finding one again, found or not).

Each is counted per address (by a keyed code, shell/addresses.py) and, for the others, per plan
too. Only a write that was made counts: a view calls `saved()` once it has committed, so a form sent back with
a mistake to put right never uses up the limit. Signed-in staff (at the counter, or Digital Champions) are
never limited. The limits are settings (config.py); a request over one gets a 429 (shell/errors.py), before
the view runs, so a resident's answers stay in their session.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from flask import Response, current_app, g, request
from flask_login import current_user

from triage.core.reference import normalise_reference
from triage.web.extensions import limiter
from triage.web.shell.addresses import rate_limit_code

SAVE_PLAN = "save-plan"  # one count for the journey and the JSON API together
_SAVED = "anonymous_write_saved"


def saved() -> None:
    """What this request sent has been saved: it counts towards the limits on its route."""
    setattr(g, _SAVED, True)


def _was_saved(_response: Response) -> bool:
    return g.get(_SAVED, False)


def _is_staff() -> bool:
    return bool(current_user.is_authenticated)


def _plan_code() -> str:
    """The plan the request is about, however its reference was typed."""
    typed = (request.view_args or {}).get("reference", "")
    return "plan:" + (normalise_reference(typed) or typed)


def _limit(setting: str, scope: str, key: Callable[[], str]):
    return limiter.shared_limit(
        lambda: current_app.config[setting],
        scope,
        key_func=key,
        methods=["POST"],
        exempt_when=_is_staff,
        deduct_when=_was_saved,
    )


def attempts_per_address(setting: str, scope: str):
    """A limit on every POST one address makes to the route, saved or not: for a lookup someone could repeat to
    guess (finding a booking by its reference and contact)."""
    return limiter.shared_limit(
        lambda: current_app.config[setting], scope, key_func=rate_limit_code, methods=["POST"], exempt_when=_is_staff
    )


def per_address(setting: str, scope: str):
    """A limit on the writes one address makes, shared by every route decorated with the same scope."""
    return _limit(setting, scope, rate_limit_code)


def per_plan(setting: str, scope: str):
    """A limit on the writes about one plan (the route's `reference`), from every address together."""
    return _limit(setting, f"{scope}-per-plan", _plan_code)


def minutes_to_wait() -> int:
    """Whole minutes, rounded up, until the limit this request went over lets it through again."""
    breached = limiter.current_limit
    if breached is None:
        return 1
    seconds = int(breached.reset_at) - int(time.time())
    return max(1, -(-seconds // 60))
