"""The axe check itself: it runs under the app's Content-Security-Policy and names each
violation readably, so that a clean walk means something."""

from __future__ import annotations

import pytest
from browser.accessibility import check_page
from playwright.sync_api import Page

#: Two faults the walks once found, put back into a page: a button whose accessible name
#: does not contain its visible text, and a list item outside any list.
_BREAK_THE_PAGE = """() => {
    const main = document.querySelector("main");
    const leave = document.createElement("button");
    leave.textContent = "Leave this class";
    leave.setAttribute("aria-label", "Leave History 9B");
    const alert = document.createElement("ul");
    alert.setAttribute("role", "alert");
    alert.appendChild(document.createElement("li")).textContent = "Choose a set.";
    main.append(leave, alert);
}"""


def test_the_check_passes_a_clean_page_and_names_every_violation_of_a_broken_one(
    page: Page, live_server
):
    page.goto("/")
    check_page(page, "check-clean-home")
    page.evaluate(_BREAK_THE_PAGE)
    with pytest.raises(AssertionError) as failure:
        check_page(page, "check-broken-home")
    message = str(failure.value)
    assert 'label-content-name-mismatch (serious): button[aria-label="Leave History 9B"]' in message
    assert "listitem (serious)" in message
    assert "Elements must have their visible text as part of their accessible name" in message
