"""Every URL and endpoint stays where it is: the app's routes against the committed list, as
notifications-admin does (tests/app/test_routes.py with tests/route-list.json).

A route that is added, moved or removed on purpose changes tests/route-list.json in the same commit."""

from __future__ import annotations

import json
from pathlib import Path

ROUTE_LIST = Path(__file__).with_name("route-list.json")


def _routes(app) -> list[dict]:
    return sorted(
        (
            {"rule": rule.rule, "endpoint": rule.endpoint, "methods": sorted(rule.methods - {"HEAD", "OPTIONS"})}
            for rule in app.url_map.iter_rules()
        ),
        key=lambda route: (route["rule"], route["endpoint"]),
    )


def test_every_route_is_in_the_committed_list(app):
    expected = json.loads(ROUTE_LIST.read_text())
    assert expected, "the route list is empty"
    assert _routes(app) == expected
