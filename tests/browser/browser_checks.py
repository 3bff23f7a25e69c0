"""Checks made on pages in the browser: axe-core accessibility scans and sideways scrolling."""

from __future__ import annotations

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    "resultTypes": ["violations"],
}


def assert_accessible(axe, page) -> None:
    """axe-core finds no WCAG 2.2 A/AA or best-practice violations on the page as it is now."""
    page.wait_for_load_state()  # after a click, scan the page it led to, not the one being left
    results = axe.run(page, options=AXE_OPTIONS)
    problems = [
        f"{v['id']}: {v['help']} ({', '.join(str(n['target']) for n in v['nodes'][:3])})"
        for v in results.response["violations"]
    ]
    assert not problems, f"{page.url}: " + "; ".join(problems)


def assert_no_sideways_scroll(page) -> None:
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url}: page is {width}px wide in a {viewport}px window"
