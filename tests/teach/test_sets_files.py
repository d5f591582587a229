"""Files: upload a bank or GIFT file (check, preview, confirm), download a set as YAML or GIFT."""

from __future__ import annotations

import datetime as dt
import html
import io
import re

import pytest
from teach.set_helpers import (
    add_question,
    bank_row,
    bundled_id,
    errors_at,
    load_bundled,
    new_set,
    questions_of,
    sign_in,
)

from quizapp.banks.gift import parse_gift
from quizapp.banks.loader import load_bank
from quizapp.banks.moodle_xml import parse_moodle_xml
from quizapp.extensions import db
from quizapp.grading import grade
from quizapp.models import Bank
from quizapp.sets.uploads import PendingUpload

CAPITALS_YAML = """\
bank: capitals
title: Capitals of the region
description: Where the governments sit.
questions:
  - id: capital-of-lithuania
    type: choice
    prompt: What is the capital of Lithuania?
    options: [Kaunas, Vilnius, Klaipėda]
    answer: Vilnius
  - id: border-length
    type: number
    prompt: How long is the border between Belarus and Lithuania?
    answer: 680
    unit: km
"""

#: The same file with two mistakes, each on a line of its own.
BROKEN_YAML = CAPITALS_YAML.replace("answer: Vilnius", "answer: Riga").replace(
    "unit: km", "unit: km\n    colour: red"
)

GIFT = """\
// Capitals, written for Moodle
$CATEGORY: $course$/Capitals

::Capital of Lithuania::What is the capital of Lithuania? {=Vilnius ~Kaunas ~Klaipėda}

::Border::How long is the border between Belarus and Lithuania, in km? {#680:20}

::Minsk::Minsk is the capital of Belarus. {T}

::Essay::Write about the Union of Lublin. {}
"""

SOURCE = "Vilnius is the closest capital of an EU member state to Minsk."


@pytest.fixture
def teacher(app, client) -> int:
    return sign_in(app, client, "tess")


def upload(client, name: str, data: str | bytes, **fields):
    """Post the upload form; return the response (a redirect to the preview when stored)."""
    content = data.encode() if isinstance(data, str) else data
    form = {"bank_file": (io.BytesIO(content), name), **fields}
    for key, value in list(form.items()):
        if key == "source_file":
            form[key] = (io.BytesIO(value.encode()), "source.txt")
    return client.post("/teach/sets/upload", data=form, content_type="multipart/form-data")


def preview(client, name: str, data: str | bytes, **fields) -> tuple[str, str]:
    """Upload a file; return the preview's URL and its page."""
    response = upload(client, name, data, **fields)
    assert response.status_code == 302, response.text
    url = response.headers["Location"]
    assert re.fullmatch(r"/teach/sets/upload/[A-Za-z0-9_-]{40,}", url), url
    return url, client.get(url).text


def sets_count(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(Bank))


def pending_count(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(PendingUpload))


def upload_errors(page: str) -> list[str]:
    block = re.search(r'<ul class="upload-errors">(.*?)</ul>', page, re.S)
    if block is None:
        return []
    items = re.findall(r"<li>(.*?)</li>", block.group(1), re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items]


def confirm(client, url: str):
    return client.post(url)


# Uploading a bank file


def test_an_upload_is_previewed_and_nothing_is_saved_before_confirming(app, client, teacher):
    _, page = preview(client, "capitals.yaml", CAPITALS_YAML)
    assert "No problems found. Nothing is saved until you confirm." in page
    assert "Capitals of the region" in page
    assert "What is the capital of Lithuania?" in page
    assert "680 km" in page  # the teacher's own answers, shown to check them
    assert "Import 2 questions" in page
    assert sets_count(app) == 0


def test_confirming_imports_the_whole_set_for_the_teacher(app, client, teacher):
    url, _ = preview(client, "capitals.yaml", CAPITALS_YAML)
    response = confirm(client, url)
    assert response.status_code == 302
    bank_id = int(response.headers["Location"].rsplit("/", 1)[1])
    row = bank_row(app, bank_id)
    assert (row["slug"], row["title"], row["owner_id"]) == (
        "capitals",
        "Capitals of the region",
        teacher,
    )
    expected = load_bank(CAPITALS_YAML.encode(), "x.yaml", sources_dir=None).questions
    assert [q["spec"] for q in questions_of(app, bank_id)] == expected
    assert pending_count(app) == 0
    assert "Imported 2 questions" in client.get(response.headers["Location"]).text
    # The upload is gone: confirming again finds nothing.
    assert confirm(client, url).status_code == 404
    assert sets_count(app) == 1


def test_a_json_bank_file_is_read_like_yaml(app, client, teacher):
    import json

    data = load_bank(CAPITALS_YAML.encode(), "x.yaml", sources_dir=None)
    document = {"bank": "capitals", "title": "From JSON", "questions": data.questions}
    url, page = preview(client, "capitals.json", json.dumps(document))
    assert "From JSON" in page
    assert confirm(client, url).status_code == 302


def test_every_problem_is_listed_with_its_line_and_nothing_is_saved(app, client, teacher):
    url, page = preview(client, "capitals.yaml", BROKEN_YAML)
    assert "2 problems in capitals.yaml: nothing was imported." in page
    assert upload_errors(page) == [
        "9: capital-of-lithuania: answer 'Riga' is not one of the options",
        "15: border-length: unknown field 'colour'",
    ]
    assert "Import" not in re.sub(r"Upload a corrected file.*", "", page, flags=re.S)
    response = confirm(client, url)
    assert response.status_code == 422
    assert sets_count(app) == 0


def test_a_teacher_fixes_the_file_and_uploads_it_again(app, client, teacher):
    broken_url, _ = preview(client, "capitals.yaml", BROKEN_YAML)
    page = client.get(broken_url).text
    assert "Upload a corrected file" in page
    fixed_url, fixed_page = preview(client, "capitals.yaml", CAPITALS_YAML)
    assert fixed_url != broken_url
    assert "No problems found" in fixed_page
    assert confirm(client, fixed_url).status_code == 302
    assert sets_count(app) == 1


def test_a_set_name_already_taken_gets_a_new_one(app, client, teacher):
    load_bundled(app)
    url, page = preview(
        client, "dates.yaml", CAPITALS_YAML.replace("bank: capitals", "bank: dates")
    )
    assert (
        "A set called &#39;dates&#39; exists already, so the new set will be &#39;dates-2&#39;"
        in page
    )
    bank_id = int(confirm(client, url).headers["Location"].rsplit("/", 1)[1])
    assert bank_row(app, bank_id)["slug"] == "dates-2"
    assert bank_row(app, bundled_id(app, "dates"))["owner_id"] is None


def test_quotes_need_a_source(app, client, teacher):
    quoted = CAPITALS_YAML.replace(
        "    answer: Vilnius\n", f"    answer: Vilnius\n    quote: {SOURCE}\n"
    )
    _, page = preview(client, "capitals.yaml", quoted)
    assert upload_errors(page) == [
        "–: its questions quote a source text, and none came with the file: choose it in "
        "'Source text' and upload both (a set downloaded from here has its text on the set's "
        "page, as capitals-source.txt)"
    ]
    # With the source text uploaded beside it, the quote is checked and the set keeps it.
    url, page = preview(client, "capitals.yaml", quoted, source_file=SOURCE)
    assert "No problems found" in page
    bank_id = int(confirm(client, url).headers["Location"].rsplit("/", 1)[1])
    assert bank_row(app, bank_id)["source_text"] == SOURCE
    wrong = quoted.replace("closest capital", "largest city")
    _, page = preview(client, "capitals.yaml", wrong, source_file=SOURCE)
    assert upload_errors(page) == [
        "10: capital-of-lithuania: quote not found in the set's source text: "
        '"Vilnius is the largest city of an EU member state to Minsk."'
    ]


def test_a_file_naming_a_bundled_source_is_checked_against_it(app, client, teacher):
    quoted = (
        CAPITALS_YAML.replace("questions:", "source: belarus-lithuania-relations\nquestions:")
        .replace("    answer: Vilnius\n", f"    answer: Vilnius\n    quote: {SOURCE}\n")
        .replace("    unit: km\n", "    unit: km\n    quote: The two countries share 680 km\n")
    )
    url, page = preview(client, "capitals.yaml", quoted)
    assert "No problems found" in page, upload_errors(page)
    bank_id = int(confirm(client, url).headers["Location"].rsplit("/", 1)[1])
    assert bank_row(app, bank_id)["source"] == "belarus-lithuania-relations"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            "a: &a [x, x]\nb: *a\n",
            "1: YAML anchors (&a) are not allowed in bank files",
            id="alias",
        ),
        pytest.param(
            "bank: x\ntitle: !!python/object/apply:os.system [echo hi]\nquestions: []\n",
            "2: YAML tag '!!python/object/apply:os.system' is not allowed in bank files",
            id="python-tag",
        ),
        pytest.param(
            "bank: x\ntitle: Caf\xe9\nquestions: []\n".encode("latin-1"),
            "2: file must be UTF-8 (byte 0xE9 is not UTF-8: was it saved as Latin-1 or "
            "Windows-1252?)",
            id="latin-1",
        ),
        pytest.param(
            "bank: x\ntitle: T\nquestions: []\n".encode("utf-16"),
            "1: file must be UTF-8 (it is UTF-16 or UTF-32: save it as UTF-8)",
            id="utf-16",
        ),
        pytest.param(b"", "–: the file is empty", id="empty"),
    ],
)
def test_a_hostile_or_broken_file_gets_a_clear_error(app, client, teacher, data, message):
    url, page = preview(client, "bank.yaml", data)
    assert upload_errors(page) == [message]
    assert confirm(client, url).status_code == 422
    assert sets_count(app) == 0


def test_a_file_of_another_kind_is_refused_at_once(app, client, teacher):
    response = upload(client, "capitals.docx", b"PK\x03\x04")
    assert response.status_code == 200
    assert errors_at(response.text, "bank_file") == [
        "Choose a question file ending in .yaml, .yml or .json (a bank file), .gift or .txt "
        "(Moodle GIFT) or .xml (Moodle XML)."
    ]
    assert pending_count(app) == 0


def test_an_upload_without_a_file_says_so(client, teacher):
    response = client.post(
        "/teach/sets/upload", data={"title": "x"}, content_type="multipart/form-data"
    )
    assert response.status_code == 200
    assert errors_at(response.text, "bank_file") == ["Choose a question file to upload."]


@pytest.mark.parametrize("csrf", [False, True], ids=["csrf-off", "csrf-on"])
def test_an_upload_over_the_size_limit_is_refused_with_413_before_parsing(
    app, client, teacher, csrf
):
    app.config["MAX_CONTENT_LENGTH"] = 2048
    app.config["WTF_CSRF_ENABLED"] = csrf
    response = upload(client, "big.yaml", "bank: big\n" + "#" * 4096)
    assert response.status_code == 413
    assert "That file is larger than this site accepts" in response.text
    assert pending_count(app) == 0


def test_the_uploaded_file_name_is_shown_but_never_used_as_a_path(app, client, teacher):
    _, page = preview(client, "..\\../../etc/passwd.yaml", CAPITALS_YAML)
    assert "Check your upload: passwd.yaml" in page
    with app.app_context():
        assert db.session.scalars(db.select(PendingUpload.filename)).all() == ["passwd.yaml"]


def test_an_unknown_or_expired_upload_is_a_404(app, client, teacher):
    assert client.get("/teach/sets/upload/not-a-token").status_code == 404
    url, _ = preview(client, "capitals.yaml", CAPITALS_YAML)
    with app.app_context():
        pending = db.session.scalar(db.select(PendingUpload))
        pending.created_at -= dt.timedelta(days=2)
        db.session.commit()
    assert client.get(url).status_code == 404
    assert confirm(client, url).status_code == 404


def test_a_teacher_discards_an_upload(app, client, teacher):
    url, _ = preview(client, "capitals.yaml", CAPITALS_YAML)
    response = client.post(f"{url}/discard")
    assert response.status_code == 302
    assert pending_count(app) == 0
    assert sets_count(app) == 0


def test_an_upload_by_get_saves_nothing(app, client, teacher):
    url, _ = preview(client, "capitals.yaml", CAPITALS_YAML)
    for _ in range(2):
        client.get(url)
    assert sets_count(app) == 0


# The file is read once, when it is uploaded


def no_parsing(monkeypatch) -> None:
    """Make every reader of uploads fail: from here on, nothing may read the file."""

    def refused(*args, **kwargs):
        raise AssertionError("the uploaded file was read again")

    monkeypatch.setattr("quizapp.banks.loader.read_document", refused)
    monkeypatch.setattr("quizapp.banks.gift.decode_gift", refused)
    monkeypatch.setattr("quizapp.sets.uploads.read_source_text", refused)


@pytest.mark.parametrize(
    ("name", "data", "count"),
    [("capitals.yaml", CAPITALS_YAML, 2), ("capitals.gift", GIFT, 3)],
    ids=["yaml", "gift"],
)
def test_previews_and_the_confirmation_do_not_read_the_file_again(
    app, client, teacher, monkeypatch, name, data, count
):
    response = upload(client, name, data, source_file=SOURCE)
    url = response.headers["Location"]
    no_parsing(monkeypatch)
    for _ in range(3):
        page = client.get(url).text
        assert "No problems found" in page
        assert f"Import {count} questions" in page
    assert ("Skipped" in page) == name.endswith(".gift")
    response = confirm(client, url)
    assert response.status_code == 302
    bank_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert len(questions_of(app, bank_id)) == count
    assert bank_row(app, bank_id)["source_text"] == SOURCE


def test_the_problems_of_a_file_are_kept_too(app, client, teacher, monkeypatch):
    response = upload(client, "capitals.yaml", BROKEN_YAML)
    url = response.headers["Location"]
    no_parsing(monkeypatch)
    assert len(upload_errors(client.get(url).text)) == 2
    response = confirm(client, url)
    assert response.status_code == 422
    assert len(upload_errors(response.text)) == 2
    assert sets_count(app) == 0


@pytest.mark.parametrize(
    ("name", "data"),
    [("capitals.yaml", CAPITALS_YAML), ("capitals.gift", GIFT)],
    ids=["yaml", "gift"],
)
def test_a_set_name_taken_after_the_upload_is_still_replaced(
    app, client, teacher, monkeypatch, name, data
):
    response = upload(client, name, data, title="Capitals")
    url = response.headers["Location"]
    new_set(client, "Capitals")  # takes "capitals" after the upload was read
    no_parsing(monkeypatch)
    page = client.get(url).text
    if name.endswith(".yaml"):
        assert "so the new set will be &#39;capitals-2&#39;" in page
    bank_id = int(confirm(client, url).headers["Location"].rsplit("/", 1)[1])
    assert bank_row(app, bank_id)["slug"] == "capitals-2"


def test_an_upload_kept_before_results_were_stored_is_read_when_shown(app, client, teacher):
    url, _ = preview(client, "capitals.yaml", CAPITALS_YAML)
    with app.app_context():
        pending = db.session.scalar(db.select(PendingUpload))
        pending.checked = None  # as an upload kept by the previous version
        db.session.commit()
    assert "Import 2 questions" in client.get(url).text
    assert confirm(client, url).status_code == 302


# GIFT


def test_a_gift_file_is_previewed_with_what_it_skips(app, client, teacher):
    url, page = preview(client, "Baltic_capitals.gift", GIFT)
    assert "No problems found" in page
    assert "The new set: Baltic capitals" in page
    assert "Import 3 questions" in page
    assert "Skipped" in page
    assert "10</span>: essay &#39;Essay&#39; skipped: quizapp has no essay questions" in page
    response = confirm(client, url)
    bank_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert bank_row(app, bank_id)["title"] == "Baltic capitals"
    assert [q["spec"]["type"] for q in questions_of(app, bank_id)] == [
        "choice",
        "number",
        "truefalse",
    ]


def test_a_gift_file_takes_the_title_given(app, client, teacher):
    url, page = preview(client, "export.txt", GIFT, title="Capitals (Moodle)")
    assert "The new set: Capitals (Moodle)" in page
    bank_id = int(confirm(client, url).headers["Location"].rsplit("/", 1)[1])
    assert bank_row(app, bank_id)["slug"] == "capitals-moodle"


def test_a_gift_file_with_an_error_shows_its_line_and_saves_nothing(app, client, teacher):
    broken = GIFT.replace("~Klaipėda}", "~Klaipėda")
    url, page = preview(client, "capitals.gift", broken)
    assert upload_errors(page) == ["4: '{' without a '}': write \\{ for a literal brace"]
    assert "Skipped" in page
    assert confirm(client, url).status_code == 422
    assert sets_count(app) == 0


# Moodle XML

MOODLE_XML = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category">
    <category><text>$course$/top/Capitals</text></category>
  </question>
  <question type="truefalse">
    <name><text>Vilnius</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>Vilnius is the capital of Lithuania.</p>]]></text>
    </questiontext>
    <answer fraction="100" format="moodle_auto_format"><text>true</text></answer>
    <answer fraction="0" format="moodle_auto_format"><text>false</text></answer>
  </question>
  <question type="essay">
    <name><text>Lublin</text></name>
    <questiontext format="html"><text>Write about the Union of Lublin.</text></questiontext>
  </question>
  <question type="shortanswer">
    <name><text>Minsk</text></name>
    <questiontext format="html"><text>Which city is the capital of Belarus?</text></questiontext>
    <answer fraction="100" format="moodle_auto_format"><text>Minsk</text></answer>
  </question>
</quiz>
"""


def test_a_moodle_xml_file_is_previewed_with_what_it_skips_and_imported(app, client, teacher):
    url, page = preview(client, "capitals.xml", MOODLE_XML, title="Capitals from Moodle")
    assert "No problems found" in page
    assert "The new set: Capitals from Moodle" in page
    assert "Import 2 questions" in page
    assert "essay" in page and "Skipped" in page
    assert sets_count(app) == 0
    bank_id = int(confirm(client, url).headers["Location"].rsplit("/", 1)[1])
    assert [q["spec"]["type"] for q in questions_of(app, bank_id)] == ["truefalse", "text"]


def test_a_broken_moodle_xml_file_shows_its_line_and_saves_nothing(app, client, teacher):
    broken = MOODLE_XML.replace("</quiz>", "")
    url, page = preview(client, "capitals.xml", broken)
    [problem] = upload_errors(page)
    assert problem.split(":", 1)[0].strip().isdigit()  # the line where the file breaks
    assert confirm(client, url).status_code == 422
    assert sets_count(app) == 0


def test_editing_an_imported_question_keeps_what_the_form_does_not_show(app, client, teacher):
    gift = "::Capital::What is the capital of Lithuania? {=Vilnius#Yes! ~Kaunas#No, the second.}\n"
    url, _ = preview(client, "capitals.gift", gift)
    bank_id = int(confirm(client, url).headers["Location"].rsplit("/", 1)[1])
    question = questions_of(app, bank_id)[0]
    edit = f"/teach/sets/{bank_id}/questions/{question['id']}/edit"
    assert "They are kept when you save." in client.get(edit).text
    form = {
        "prompt": "Which city is the capital of Lithuania?",
        "options-0": "Vilnius",
        "options-1": "Kaunas",
        "answer": "0",
        "difficulty": "2",
    }
    assert client.post(edit, data=form).status_code == 302
    spec = questions_of(app, bank_id)[0]["spec"]
    assert spec["feedback"] == {"Vilnius": "Yes!", "Kaunas": "No, the second."}
    # Renaming an option its feedback names is refused, until the teacher drops the extras.
    renamed = {**form, "options-1": "Kaunas (Kovno)"}
    page = client.post(edit, data=renamed).text
    assert "feedback for &#39;Kaunas&#39;, which is not one of the options" in page
    assert client.post(edit, data={**renamed, "drop_extras": "y"}).status_code == 302
    spec = questions_of(app, bank_id)[0]["spec"]
    assert "feedback" not in spec
    assert spec["options"] == ["Vilnius", "Kaunas (Kovno)"]
    assert questions_of(app, bank_id)[0]["versions"] == [1, 2, 3]


# Downloads


def test_a_set_downloads_as_yaml_that_loads_back_as_the_same_set(app, client, teacher):
    bank_id = new_set(client, "Capitals")
    for type_name in ("choice", "match", "number"):
        add_question(client, bank_id, type_name)
    response = client.get(f"/teach/sets/{bank_id}/download.yaml")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment; filename=capitals.yaml"
    assert response.mimetype == "application/yaml"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    loaded = load_bank(response.data, "capitals.yaml", sources_dir=None)
    assert loaded.questions == [q["spec"] for q in questions_of(app, bank_id)]
    # ... and uploads again as a copy.
    _, page = preview(client, "capitals.yaml", response.data)
    assert "will be &#39;capitals-2&#39;" in page


def test_a_bundled_bank_downloads_with_its_source(app, client, teacher):
    load_bundled(app)
    response = client.get(f"/teach/sets/{bundled_id(app, 'people')}/download.yaml")
    assert response.headers["Content-Disposition"] == "attachment; filename=people.yaml"
    assert b"source: belarus-lithuania-relations" in response.data
    assert load_bank(response.data, "people.yaml", sources_dir=app.config["SEEDS_DIR"])


def test_a_set_downloads_as_gift_that_grades_the_same(app, client, teacher):
    bank_id = new_set(client, "Capitals")
    for type_name in ("choice", "multi", "truefalse", "text", "number", "match"):
        add_question(client, bank_id, type_name)
    response = client.get(f"/teach/sets/{bank_id}/download.gift")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment; filename=capitals.gift"
    back = parse_gift(response.data, "capitals.gift", bank="capitals", title="Capitals").bank
    originals = [q["spec"] for q in questions_of(app, bank_id)]
    assert len(back.questions) == len(originals)
    answers = ["Vilnius", ["Lithuania", "Poland"], True, "Smetona", "690", {"Lithuania": "Minsk"}]
    for original, imported, answer in zip(originals, back.questions, answers, strict=True):
        assert grade(imported, answer) == grade(original, answer)


def test_a_set_downloads_as_moodle_xml_that_grades_the_same(app, client, teacher):
    bank_id = new_set(client, "Capitals")
    for type_name in ("choice", "multi", "truefalse", "text", "number", "match"):
        add_question(client, bank_id, type_name)
    page = client.get(f"/teach/sets/{bank_id}").text
    assert f'href="/teach/sets/{bank_id}/download.xml">Download Moodle XML</a>' in page
    response = client.get(f"/teach/sets/{bank_id}/download.xml")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment; filename=capitals.xml"
    assert response.mimetype == "application/xml"
    back = parse_moodle_xml(response.data, "capitals.xml", bank="capitals", title="Capitals").bank
    originals = [q["spec"] for q in questions_of(app, bank_id)]
    assert [q["id"] for q in back.questions] == [q["id"] for q in originals]
    answers = ["Vilnius", ["Lithuania", "Poland"], True, "Smetona", "690", {"Lithuania": "Minsk"}]
    for original, imported, answer in zip(originals, back.questions, answers, strict=True):
        assert grade(imported, answer) == grade(original, answer)


def test_a_slug_taken_while_confirming_is_replaced_by_a_free_one(app, client, teacher, monkeypatch):
    from quizapp.sets import uploads

    url, _ = preview(client, "capitals.yaml", CAPITALS_YAML)
    new_set(client, "Capitals")  # takes "capitals" after the preview was shown
    stale = iter(["capitals"])
    real = uploads.unique_bank_slug
    monkeypatch.setattr(uploads, "unique_bank_slug", lambda base: next(stale, None) or real(base))
    response = confirm(client, url)
    assert response.status_code == 302
    bank_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert bank_row(app, bank_id)["slug"] == "capitals-2"
    assert pending_count(app) == 0


# Imports that would make nothing, and a set with its own source text, there and back


ESSAYS_ONLY = """\
::Lublin::Write about the Union of Lublin. {}

::Krewo::What did the Union of Krewo change? {}
"""


def test_a_gift_file_of_essays_only_is_refused_with_the_reason(app, client, teacher):
    url, page = preview(client, "essays.gift", ESSAYS_ONLY)
    assert "No problems found" not in page
    [problem] = upload_errors(page)
    assert "nothing to import" in problem and "essays" in problem
    assert "essay &#39;Lublin&#39; skipped: quizapp has no essay questions" in page
    assert "Import 0 questions" not in page
    assert confirm(client, url).status_code == 422
    assert sets_count(app) == 0


def test_a_bank_file_without_questions_is_refused(app, client, teacher):
    _, page = preview(client, "empty.yaml", "bank: empty\ntitle: Empty\nquestions: []\n")
    assert upload_errors(page) == ["–: nothing to import: the file holds no question"]


def test_converting_a_gift_file_of_essays_only_fails_and_says_why(app, tmp_path):
    path = tmp_path / "essays.gift"
    path.write_text(ESSAYS_ONLY)
    result = app.test_cli_runner().invoke(args=["banks", "convert", str(path)])
    assert result.exit_code == 1
    assert "nothing to import" in result.stderr
    assert result.stdout == ""


def set_with_source(app, client) -> int:
    bank_id = new_set(client, "Capitals")
    text = "Vilnius is the capital of Lithuania. Minsk is the capital of Belarus."
    client.post(f"/teach/sets/{bank_id}/source", data={"text": text, "action": "save"})
    quoted = {"quote-0": "Vilnius is the capital of Lithuania."}
    assert add_question(client, bank_id, "choice", **quoted).status_code == 302
    return bank_id


def test_a_set_with_its_own_source_text_round_trips_through_yaml(app, client, teacher):
    bank_id = set_with_source(app, client)
    page = client.get(f"/teach/sets/{bank_id}").text
    assert f'href="/teach/sets/{bank_id}/source.txt"' in page
    yaml_file = client.get(f"/teach/sets/{bank_id}/download.yaml")
    assert b"capitals-source.txt" in yaml_file.data.split(b"\n")[0], "the file names its text"
    source = client.get(f"/teach/sets/{bank_id}/source.txt")
    assert source.headers["Content-Disposition"] == "attachment; filename=capitals-source.txt"
    assert source.text == bank_row(app, bank_id)["source_text"]

    # Without its text, the upload says which file is missing, once.
    _, page = preview(client, "capitals.yaml", yaml_file.data)
    [problem] = upload_errors(page)
    assert "capitals-source.txt" in problem and "Source text" in problem

    # With it, the set comes back whole.
    url, page = preview(client, "capitals.yaml", yaml_file.data, source_file=source.text)
    assert "No problems found" in page
    copy_id = int(confirm(client, url).headers["Location"].rsplit("/", 1)[1])
    assert [q["spec"] for q in questions_of(app, copy_id)] == [
        q["spec"] for q in questions_of(app, bank_id)
    ]
    assert bank_row(app, copy_id)["source_text"] == source.text


def test_a_set_without_a_source_text_offers_none(app, client, teacher):
    bank_id = new_set(client, "Capitals")
    assert "source.txt" not in client.get(f"/teach/sets/{bank_id}").text
    assert client.get(f"/teach/sets/{bank_id}/source.txt").status_code == 404


def test_another_teachers_source_text_is_not_found(app, client, teacher):
    bank_id = set_with_source(app, client)
    other = app.test_client()
    sign_in(app, other, "otto")
    assert other.get(f"/teach/sets/{bank_id}/source.txt").status_code == 404
