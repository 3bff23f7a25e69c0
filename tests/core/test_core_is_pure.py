"""The core holds the service's rules with no web framework or database: it must import without them."""

from __future__ import annotations

import subprocess
import sys


def test_core_imports_no_flask_or_sqlalchemy():
    code = (
        "import sys, triage.core.questionnaire, triage.core.scoring, triage.core.routing, "
        "triage.core.matching, triage.core.geography, triage.core.reference; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'flask', 'sqlalchemy', 'werkzeug', 'jinja2'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
