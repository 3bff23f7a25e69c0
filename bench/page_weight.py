"""Benchmark: bytes transferred for each public page a resident sees (target: 60 KB or less).

Walks the journey, then the find-help search and a help page, through the app (real migrations and
seed data in a throwaway SQLite database), asking for compressed responses as a browser does, and
adds the CSS, JavaScript and icon each page loads. Fonts: none (the service uses the system's Arial). Run by hand:

    .venv/bin/python bench/page_weight.py [--encoding 'gzip, deflate']
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from flask_migrate import upgrade
from helpers import OFFLINE, answer, csrf_token

from triage.web.app import create_app
from triage.web.extensions import db
from triage.web.seed import seed_all

ASSET = re.compile(r'(?:href|src|from) ?=?"(/assets/[^"]+)"')


def transferred(client, path: str, encoding: str) -> int:
    response = client.get(path, headers={"Accept-Encoding": encoding})
    assert response.status_code == 200, (path, response.status_code)
    size = len(response.get_data())
    response.close()
    return size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoding", default="gzip, deflate, br", help="the Accept-Encoding header to send")
    enc = parser.parse_args().encoding
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db", "SECRET_KEY": "bench"})
        with app.app_context():
            upgrade()
            seed_all(app.extensions["council"])
        client = app.test_client()
        html = client.get("/").get_data(as_text=True)
        assets = sorted(set(ASSET.findall(html)))
        asset_bytes = {a: transferred(client, a, enc) for a in assets}
        total_assets = sum(asset_bytes.values())
        print(f"Accept-Encoding: {enc}. Assets every page loads (cached for a year after the first page):")
        for a, n in asset_bytes.items():
            print(f"  {a.split('?')[0]:<40} {n / 1024:6.1f} KB")
        print(f"{'page':<40} {'HTML':>8} {'with all assets':>16}")
        sizes = {}

        def visit(path: str) -> None:
            sizes[path] = transferred(client, path, enc)

        visit("/")
        for question, value in [("who_for", OFFLINE["who_for"]), ("postcode", "LE11 3DU"), *list(OFFLINE.items())[1:]]:
            visit(f"/questions/{question}")
            answer(client, question, value)
        visit("/check-your-answers")
        token = csrf_token(client, "/check-your-answers")
        plan = client.post("/check-your-answers", data={"csrf_token": token}).headers["Location"]
        visit(plan)
        visit(f"{plan}/easy-read")
        for code in ("pl", "gu", "ur"):  # the same plan in each other language, and its easy-read version
            visit(f"{plan}?lang={code}")
            visit(f"{plan}/easy-read?lang={code}")
        visit("/find-your-plan?lang=en")
        visit("/find-help?postcode=LE11+3DU")
        visit("/help/library-loughborough")
        for path, n in sizes.items():
            print(f"{path:<40} {n / 1024:6.1f} KB {(n + total_assets) / 1024:13.1f} KB")
        worst = max(sizes.values()) + total_assets
        print(f"Heaviest page with every asset uncached: {worst / 1024:.1f} KB (target 60 KB)")
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
