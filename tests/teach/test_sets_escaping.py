"""What a teacher types is shown as text on every set page, never run as HTML."""

from __future__ import annotations

import io

import pytest
from teach.set_helpers import add_question, new_set, questions_of, sign_in

PAYLOAD = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
#: A file name may not hold quotes or slashes, but it may hold markup.
FILE_NAME = "<img src=x onerror=alert(2)>"
ESCAPED = "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"


@pytest.fixture
def teacher(app, client) -> int:
    return sign_in(app, client, "tess")


@pytest.fixture
def hostile_set(app, client, teacher) -> tuple[int, int]:
    """A set whose title, prompt, options and explanation all carry the payload."""
    bank_id = new_set(client, f"Title {PAYLOAD}")
    response = add_question(
        client,
        bank_id,
        "choice",
        {
            "prompt": f"Prompt {PAYLOAD}",
            "options-0": f"Option {PAYLOAD}",
            "options-1": "Vilnius",
            "answer": "0",
            "explanation": f"Explanation {PAYLOAD}",
        },
    )
    assert response.status_code == 302
    return bank_id, questions_of(app, bank_id)[0]["id"]


def assert_escaped(page: str, *labels: str) -> None:
    assert "<script>alert(1)" not in page
    assert "onerror=alert(2)>" not in page
    for label in labels:
        assert f"{label} {ESCAPED}" in page, label


def test_the_payload_is_text_on_every_page_of_the_set(client, hostile_set):
    bank_id, question_id = hostile_set
    base = f"/teach/sets/{bank_id}"
    assert_escaped(client.get("/teach/").text, "Title")
    assert_escaped(client.get(base).text, "Title", "Prompt", "Option")
    assert_escaped(client.get(f"{base}?show={question_id}").text, "Option", "Explanation")
    assert_escaped(client.get(f"{base}/questions/{question_id}").text, "Prompt", "Option")
    answered = client.post(f"{base}/questions/{question_id}", data={"answer": f"Option {PAYLOAD}"})
    assert "Right!" in answered.text
    assert_escaped(answered.text, "Prompt", "Option", "Explanation")
    edit = client.get(f"{base}/questions/{question_id}/edit").text
    assert "<script>alert(1)" not in edit
    assert_escaped(client.get(f"{base}/edit").text)


def test_the_payload_is_text_in_error_messages(client, teacher):
    bank_id = new_set(client, "Capitals")
    response = add_question(
        client,
        bank_id,
        "choice",
        {"prompt": "Q?", "options-0": PAYLOAD, "options-1": PAYLOAD, "answer": "0"},
    )
    assert response.status_code == 200
    assert "is written twice" in response.text
    assert_escaped(response.text)


def test_the_payload_is_text_in_an_upload_preview(client, teacher):
    bank = (
        "bank: hostile\n"
        f"title: 'Title {PAYLOAD}'\n"
        "questions:\n"
        "  - id: q\n"
        "    type: text\n"
        f"    prompt: 'Prompt {PAYLOAD}'\n"
        f"    answer: 'Answer {PAYLOAD}'\n"
    )
    response = client.post(
        "/teach/sets/upload",
        data={"bank_file": (io.BytesIO(bank.encode()), f"{FILE_NAME}.yaml")},
        content_type="multipart/form-data",
    )
    page = client.get(response.headers["Location"]).text
    assert_escaped(page, "Title", "Prompt", "Answer")
    assert "&lt;img src=x onerror=alert(2)&gt;.yaml" in page
    broken = bank.replace("type: text", "type: text\n    colour: red")
    response = client.post(
        "/teach/sets/upload",
        data={"bank_file": (io.BytesIO(broken.encode()), f"{FILE_NAME}.yaml")},
        content_type="multipart/form-data",
    )
    assert_escaped(client.get(response.headers["Location"]).text)
