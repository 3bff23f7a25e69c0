"""Benchmark: the size of the ward map SVG for the real Charnwood wards (target: under 25 KB), raw and gzipped.

Every ward has a value and a link, as on the officers' insight page, and a few have no data. Run by hand:

    .venv/bin/python bench/ward_map_size.py [--width 400] [--tolerance 0.5]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from triage.core.geometry import load_wards, project_wards
from triage.core.ward_map import ward_map_svg
from triage.web.areas import packs

GEOJSON = packs.pack("E07000130").path("ward_boundaries")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=float, default=400)
    parser.add_argument("--tolerance", type=float, default=0.5, help="Douglas–Peucker tolerance, SVG units")
    args = parser.parse_args()

    wards = load_wards(json.loads(GEOJSON.read_text(encoding="utf-8")))
    values = {ward.code: None if n % 8 == 3 else 5.0 + 2.5 * n for n, ward in enumerate(wards)}
    started = time.perf_counter()
    svg = ward_map_svg(
        wards,
        values,
        title="Share of assessments at high or very high risk, by ward",
        description="Charnwood's 24 wards, shaded from light (lower share) to dark (higher share).",
        link=lambda code: f"/staff/insight/wards/{code}",
        value_label=lambda v: f"{v:.0f}%",
        legend_title="Share at high risk",
        width=args.width,
        tolerance=args.tolerance,
    )
    elapsed = time.perf_counter() - started
    raw = svg.encode()
    exact = sum(len(ring) for w in project_wards(wards, width=args.width, tolerance=0).wards for ring in w.rings)
    kept = sum(
        len(ring) for w in project_wards(wards, width=args.width, tolerance=args.tolerance).wards for ring in w.rings
    )
    source = sum(len(ring) for w in wards for polygon in w.polygons for ring in polygon)
    print(f"wards: {len(wards)}; points: {source} in the file, {exact} after rounding, {kept} after simplifying")
    print(
        f"SVG: {len(raw):,} bytes, {len(gzip.compress(raw, mtime=0)):,} bytes gzipped; drawn in {elapsed * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
