"""The booking tests' shared fixtures: the GOV.UK Notify stand-in of the messages tests, and a published session."""

from messages.conftest import notify, notify_app  # noqa: F401 (fixtures)
from test_booking import published  # noqa: F401 (a fixture)
