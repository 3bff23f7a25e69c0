"""The core holds the service's rules with no web framework or database: it must import without them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "triage" / "core"


def test_core_imports_no_flask_or_sqlalchemy():
    modules = sorted(
        ".".join(("triage", "core", *p.relative_to(CORE).with_suffix("").parts))
        for p in CORE.rglob("*.py")
        if p.stem != "__init__"
    )
    assert {"triage.core.scoring", "triage.core.matching", "triage.core.contact_details"} <= set(modules)
    code = (
        f"import sys; import {', '.join(modules)}; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'flask', 'sqlalchemy', 'werkzeug', 'jinja2'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
