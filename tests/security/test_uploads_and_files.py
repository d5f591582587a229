"""Uploads and files: hostile files are refused with a clear message, never a 500 or a write."""

from __future__ import annotations

import io
import json
import re
import sys

import pytest
from drive import log_in, make_user
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from quizapp.banks import yaml_reader as reader
from quizapp.banks.loader import BankError, load_bank
from quizapp.extensions import db
from quizapp.models import Bank
from quizapp.sets import uploads

VALID = b"""bank: fine
title: Fine
questions:
  - id: q1
    type: truefalse
    prompt: Vilnius is the capital of Lithuania.
    answer: true
"""

BOMB = b"""a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""

#: name → (file name, bytes, what the message must say)
HOSTILE = {
    "python tag": (
        "tag.yaml",
        b"bank: x\ntitle: !!python/object/apply:os.system ['touch /tmp/quizapp-pwned']\n",
        r"tag|!!python",
    ),
    "python name tag": ("tag2.yaml", b"bank: !!python/name:os.system x\n", r"tag|!!python"),
    "alias bomb": ("bomb.yaml", BOMB, r"anchor|alias"),
    "self-referencing alias": ("self.yaml", b"a: &a [*a]\n", r"anchor|alias"),
    "UTF-16": ("utf16.yaml", VALID.decode().encode("utf-16"), r"UTF-8"),
    "Latin-1": (
        "latin1.yaml",
        "bank: x\ntitle: Grybauskait\u0117 caf\u00e9\n".encode("latin-1", "replace"),
        r"UTF-8",
    ),
    "invalid UTF-8": ("bad.yaml", b"bank: x\ntitle: \xff\xfe\xfd\n", r"UTF-8"),
    "NUL bytes": ("nul.yaml", b"bank: x\x00\ntitle: y\n", r"NUL|UTF-8"),
    "duplicate JSON keys": (
        "dup.json",
        b'{"bank": "a", "bank": "b", "title": "t", "questions": []}',
        r"duplicate",
    ),
    "deep nesting": ("deep.yaml", b"a: " + b"[" * 200 + b"]" * 200 + b"\n", r"nest|deep"),
    "over-long text": (
        "long.yaml",
        VALID.replace(b"Vilnius is the capital", b"V" * 50_000),
        r"long|characters|at most",
    ),
    # Empty entries keep the file small: the count is checked before any question is.
    "too many questions": (
        "many.yaml",
        b"bank: many\ntitle: Many\nquestions:\n" + b"- {}\n" * 10_001,
        r"too many questions",
    ),
    "unbalanced GIFT braces": (
        "open.gift",
        b"::Q1:: Who ruled? {=Vytautas ~Jogaila\n\n::Q2:: Next {T}\n",
        r"\}|brace|close",
    ),
    "GIFT closing brace alone": (
        "close.gift",
        b"::Q1:: Who ruled? =Vytautas}\n",
        r"\}|brace|answer",
    ),
    "not a mapping": ("list.yaml", b"- 1\n- 2\n", r"mapping|bank"),
    "second document": ("two.yaml", VALID + b"---\n" + VALID, r"document"),
}


@pytest.fixture
def teacher(app, client) -> int:
    with app.app_context():
        user = make_user("teo", role="teacher")
        log_in(client, user)
        return user.id


def upload(client, name: str, data: bytes, **fields):
    """Post a file as the upload form does (the body built in memory, never a temp file)."""
    boundary, body = encode_multipart(
        {"bank_file": FileStorage(io.BytesIO(data), name), "title": "Uploaded", **fields}
    )
    response = client.post(
        "/teach/sets/upload",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    if response.status_code == 302:
        response = client.get(response.headers["Location"])
    return response


def banks_count(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(Bank.id)))


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_upload_is_refused_with_a_clear_message_and_imports_nothing(
    app, client, teacher, case
):
    name, data, said = HOSTILE[case]
    response = upload(client, name, data)
    assert response.status_code in (200, 413, 422), response.status_code
    text = re.sub(r"\s+", " ", response.text)
    assert re.search(said, text, re.IGNORECASE), (case, text[-3000:])
    assert "Traceback" not in text
    if response.status_code == 200:  # the preview: confirming imports nothing either
        token = re.search(r'/teach/sets/upload/([\w-]+)"', response.text)
        if token:
            client.post(f"/teach/sets/upload/{token.group(1)}")
    assert banks_count(app) == 0


@pytest.mark.parametrize("case", [c for c in HOSTILE if not HOSTILE[c][0].endswith(".gift")])
def test_the_loader_itself_refuses_each_hostile_bank_file_with_its_own_error(case):
    name, data, said = HOSTILE[case]
    with pytest.raises(BankError) as refused:
        load_bank(data, name, sources_dir=None)
    assert re.search(said, str(refused.value), re.IGNORECASE), str(refused.value)


def test_an_error_names_the_line_it_is_on(app, client, teacher):
    data = VALID + b"  - id: q2\n    type: truefalse\n    prompt: [unclosed\n"
    text = upload(client, "fine.yaml", data).text
    assert re.search(r"\b(line )?1[01]\b", text)


def test_the_python_tag_is_never_run(app, client, teacher, tmp_path):
    marker = tmp_path / "pwned"
    data = f"bank: x\ntitle: !!python/object/apply:os.system ['touch {marker}']\n".encode()
    upload(client, "tag.yaml", data)
    assert not marker.exists()


def test_an_upload_over_the_size_limit_gets_413_before_anything_is_parsed(
    app, client, teacher, monkeypatch
):
    def never(*args, **kwargs):
        raise AssertionError("an oversized upload was parsed")

    monkeypatch.setattr(reader, "read_document", never)
    monkeypatch.setattr(uploads, "store_upload", never)
    big = b"# padding\n" * (app.config["MAX_CONTENT_LENGTH"] // 10 + 1)
    response = upload(client, "big.yaml", big)
    assert response.status_code == 413
    assert "too large" in response.text.lower() or "413" in response.text
    assert banks_count(app) == 0


def test_duplicate_json_keys_are_refused_not_silently_merged():
    data = json.dumps({"bank": "a", "title": "t", "questions": []}).encode()
    data = data.replace(b'"title"', b'"bank": "b", "title"')
    with pytest.raises(BankError, match="duplicate"):
        load_bank(data, "dup.json", sources_dir=None)


class FileOpens:
    """Every path the process opens while installed (an audit hook cannot be removed)."""

    active: FileOpens | None = None

    def __init__(self) -> None:
        self.paths: list[str] = []

    @classmethod
    def hook(cls, event: str, args: tuple) -> None:
        if cls.active is not None and event in ("open", "os.mkdir", "os.rename", "os.remove"):
            cls.active.paths.append(str(args[0]))


sys.addaudithook(FileOpens.hook)


@pytest.mark.parametrize(
    "name",
    [
        "../../../../tmp/quizapp-planted.yaml",
        "..\\..\\..\\quizapp-planted.gift",
        "/etc/quizapp-planted.yaml",
        "C:\\Windows\\quizapp-planted.yaml",
        "quizapp-planted\x00.yaml",
    ],
)
def test_an_uploaded_file_name_is_never_used_to_build_a_path(app, client, teacher, name):
    opens = FileOpens.active = FileOpens()
    try:
        response = upload(client, name, VALID)
    finally:
        FileOpens.active = None
    assert response.status_code in (200, 422) or ("\x00" in name and response.status_code == 400)
    assert not [path for path in opens.paths if "quizapp-planted" in path]
    assert "../.." not in response.text and "..\\.." not in response.text
