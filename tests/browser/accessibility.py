"""axe-core over a page as it stands, and a full-page screenshot of it.

axe (vendored in tests/browser/vendor, see its README) is evaluated in the page through
the DevTools protocol: the app's Content-Security-Policy (script-src 'self') would refuse
it as an inline <script>, and it must not be loosened for a test.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page

VENDOR = Path(__file__).parent / "vendor"
SCREENSHOTS = Path(__file__).parent / "screenshots"
#: WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_AXE_SOURCE: str | None = None


def _axe_source() -> str:
    global _AXE_SOURCE
    if _AXE_SOURCE is None:
        _AXE_SOURCE = (VENDOR / "axe.min.js").read_text(encoding="utf-8")
    return _AXE_SOURCE


def violations(page: Page) -> list[dict]:
    """Run axe with the WCAG 2.x A and AA rules; return its violations."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Wrapped in a function so that evaluate runs the file as a script body.
        page.evaluate("() => {" + _axe_source() + "\n}")
    return page.evaluate(
        """async (tags) => {
            const results = await window.axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
            });
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map((n) => n.target.join(" ")),
            }));
        }""",
        WCAG_TAGS,
    )


def describe(found: list[dict]) -> str:
    """Write axe's violations one per line: id, impact, targets and the rule's help."""
    return "\n".join(
        f"  {v['id']} ({v['impact']}): {', '.join(v['targets'])} — {v['help']}" for v in found
    )


def check_page(page: Page, state: str) -> None:
    """Save a full-page screenshot of this page state and assert axe finds no violation.

    `state` names the screenshot (tests/browser/screenshots/<state>.png).
    """
    page.wait_for_load_state()  # the page as styled, not half loaded
    SCREENSHOTS.mkdir(exist_ok=True)
    name = re.sub(r"[^a-z0-9]+", "-", state.lower()).strip("-")
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    found = violations(page)
    assert not found, f"axe: {len(found)} WCAG violation(s) on {state} ({page.url}):\n" + describe(
        found
    )
