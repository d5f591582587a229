"""The navigation: what visitors, learners and teachers see at the top of every page."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest


def nav(page: str) -> str:
    return page.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]


def test_a_visitor_sees_log_in_and_sign_up(client):
    links = nav(client.get("/").text)
    assert ">Home</a>" in links
    assert ">Log in</a>" in links
    assert ">Sign up</a>" in links
    assert "Log out" not in links
    assert "My progress" not in links


def test_log_in_and_sign_up_from_a_page_come_back_to_it(client):
    links = nav(client.get("/?page=2").text)
    for action in ("login", "signup"):
        href = re.search(rf'href="(/auth/{action}\?[^"]*)"', links).group(1)
        assert parse_qs(urlsplit(html.unescape(href)).query)["next"] == ["/?page=2"]


@pytest.mark.parametrize("url", ["/", "/auth/login", "/auth/signup"])
def test_log_in_from_home_or_the_auth_pages_carries_no_next(client, url):
    assert "next=" not in nav(client.get(url).text)


def test_a_learner_sees_their_name_and_log_out_but_not_teach(app, client, auth):
    auth.create("lena", display_name="Lena Lind")
    auth.login("lena")
    links = nav(client.get("/").text)
    assert 'href="/auth/password" title="Your account: change password">Lena Lind</a>' in links
    assert ">Log out</button>" in links
    assert ">Log in</a>" not in links
    assert "Teach" not in links
    assert ">My progress</a>" in links


def test_a_teacher_sees_teach_when_the_teach_pages_exist(client, auth):
    auth.create("tom", role="teacher")
    auth.login("tom")
    assert 'href="/teach/">Teach</a>' in nav(client.get("/").text)


#: The first element a keyboard can reach after <body> opens.
_FIRST_FOCUSABLE = re.compile(r"<(a|button|input|select|textarea)\b[^>]*>[^<]*", re.S)


@pytest.mark.parametrize("url", ["/", "/auth/login", "/auth/signup", "/source/", "/timeline"])
def test_every_page_opens_with_a_skip_link_to_its_main_content(client, url):
    page = client.get(url).text
    body = page.split("<body>", 1)[1]
    first = _FIRST_FOCUSABLE.search(body).group(0)
    assert first == '<a class="skip-link" href="#main">Skip to content'
    assert '<main id="main">' in body


def test_a_teachers_pages_open_with_the_skip_link_too(app, client, auth):
    auth.create("tess", role="teacher")
    auth.login("tess")
    for url in ("/teach/", "/teach/classes/new", "/progress/", "/review/"):
        body = client.get(url).text.split("<body>", 1)[1]
        assert _FIRST_FOCUSABLE.search(body).group(0).endswith("Skip to content"), url
