"""Input no database engine can store is refused at the edge, for every route: a 400, never a 500.

Text holding a NUL or a lone surrogate (triage.core.storable_text) in the address, the query, a form
field (names and uploaded file names too) or a JSON body (keys too, at any depth), or a query string that
is not UTF-8, gets the 400 page, or the JSON error under /api/, /oruk/ and /notify/ naming each field. The address
and query are checked before any view runs; a body is checked as it is read, by whoever reads it first
(the CSRF check, a form, the API), because the directory import lifts the body size limit before it reads
its upload. An uploaded file's contents are its reader's to check (the directory import reports such a
cell by row and column).

A request naming a Host that TRUSTED_HOSTS does not list is refused first of all, with a plain 400 (its
check is Flask's; no address can be made for it, so no page either: shell/errors.py). Three more things
are refused here: a JSON body sent to a page rather than the API or Notify's receipts is a 415 (Flask-WTF
would read it as the form's fields); an id in an address (`<int:...>`) larger than the integer columns
hold matches no route (404); and JSON nested too deeply for Python to read is a 400, not a RecursionError.

How werkzeug decodes bad percent-encoding, which is why these are the only checks needed: in the path,
bytes that are not UTF-8 (`%FF`, an encoded surrogate `%ED%A0%80`, an overlong NUL `%C0%80`) become
U+FFFD, which is storable; in the query and in a form they stay percent-encoded text (raw bytes that are
not UTF-8 leave a form empty). Only `%00` decodes to a NUL. JSON is different: `"\\ud800"`, or the raw
bytes of a surrogate, decode to a lone surrogate.
"""

from __future__ import annotations

from typing import Any, cast

from flask import Flask, request
from flask import Request as FlaskRequest
from flask.json.provider import DefaultJSONProvider
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException, SecurityError, UnsupportedMediaType
from werkzeug.routing import IntegerConverter
from werkzeug.utils import cached_property

from triage.core.storable_text import WHAT_IS_WRONG, storable, unstorable_paths
from triage.web.shell import errors

MAX_ID = 2**31 - 1  # every id column is an Integer: four bytes on PostgreSQL


class UnstorableInput(HTTPException):
    """A 400 naming the fields that hold text no engine can store. Not a BadRequest, so that a view
    catching a body it cannot parse does not mistake this for one."""

    code = 400

    def __init__(self, paths: list[str]):
        self.fields = {path: WHAT_IS_WRONG for path in paths if path}
        named = f" in {', '.join(self.fields)}" if self.fields else ""
        super().__init__(f"The request {WHAT_IS_WRONG}{named}")


def _unstorable_fields(values: MultiDict[str, str]) -> list[str]:
    """The names of the fields (of a query or a form) holding text no engine can store; "" for a bad name."""
    bad = {name if storable(name) else "" for name, texts in values.lists() if not all(map(storable, [name, *texts]))}
    return sorted(bad)


class Request(FlaskRequest):
    """Flask's request, refusing unstorable text in a body as it is read."""

    unreadable_query = False  # the query string is not UTF-8: gunicorn refuses such a request line, others pass it

    @cached_property
    def args(self) -> MultiDict[str, str]:
        try:
            return super().args
        except UnicodeDecodeError:
            self.unreadable_query = True
            return self.parameter_storage_class()

    def _load_form_data(self) -> None:
        super()._load_form_data()
        paths = _unstorable_fields(self.form)
        paths += [name for name, upload in self.files.items(multi=True) if not storable(upload.filename or "")]
        if paths:
            # Whoever reads the form after this (an error page, say) finds it empty, never the bad text.
            self.__dict__.update(form=self.parameter_storage_class(), files=self.parameter_storage_class())
            raise UnstorableInput(paths)

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> Any | None:
        body = super().get_json(force=force, silent=silent, cache=cache)
        paths = unstorable_paths(body)
        if paths:
            raise UnstorableInput(paths)
        return body


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, reading a body too deeply nested to parse as a body that is not JSON."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError as error:  # Flask turns a ValueError in a body into a 400
            raise ValueError("JSON nested too deeply to read") from error


class IdConverter(IntegerConverter):
    """`<int:...>` in an address: a number no id column can hold matches no route."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app: Flask) -> None:
    """Call before any blueprint is registered (the converter) and before any other before_request hook."""
    app.request_class = Request
    app.json = JSONProvider(app)
    app.url_map.converters["int"] = IdConverter

    @app.before_request
    def check_before_any_view():
        checked = cast(Request, request)
        if isinstance(checked.routing_exception, SecurityError):
            raise checked.routing_exception  # a Host not in TRUSTED_HOSTS: refused before anything reads on
        if checked.is_json and not any(errors.is_under(checked.path, under) for under in errors.JSON_BODIES_UNDER):
            # Flask-WTF would fill a page's form from JSON, and WTForms expects text, not numbers or lists.
            raise UnsupportedMediaType("Only the API under /api/ takes JSON; pages take forms")
        paths = _unstorable_fields(checked.args)  # reading the query first says whether it is UTF-8
        if paths or checked.unreadable_query or not storable(checked.path):
            raise UnstorableInput(paths)

    @app.errorhandler(UnstorableInput)
    def unstorable_input(error: UnstorableInput):
        return errors.error_response(400, error.description or "", error.fields)
