"""Question sets in the browser: create, preview, edit, copy, upload and download them.

Every page is for teachers only (the blueprint sees to that). A teacher sees the
bundled banks and their own sets; another teacher's set is a 404, and editing a
bundled bank is a 403. The work itself is done by `editing` and `uploads`.
"""

from __future__ import annotations

import random
import re

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import RequestEntityTooLarge

from quizapp.access import bank_or_404, question_or_404
from quizapp.attempts.feedback import explain, format_response
from quizapp.banks import anki
from quizapp.banks.gift import dump_gift
from quizapp.banks.issues import BankError, BankIssue
from quizapp.banks.loader import dump_bank
from quizapp.banks.moodle_xml_export import dump_moodle_xml
from quizapp.banks.yaml_reader import MAX_BANK_BYTES, ReadError
from quizapp.errors import render_error
from quizapp.extensions import db
from quizapp.grading import grade
from quizapp.models import Bank, PendingUpload, Question, QuestionVersion
from quizapp.question_types import TYPES, Unanswered
from quizapp.sets import editing, uploads
from quizapp.source.citations import source_name
from quizapp.web.forms import ButtonForm
from quizapp.web.teach import bp
from quizapp.web.teach.set_forms import SetForm, SourceForm, UploadForm

#: Enough bytes for the longest source text in UTF-8, and one more to notice a longer one.
MAX_SOURCE_BYTES = editing.MAX_SOURCE_TEXT * 4 + 1

TOO_LARGE = (
    "That file is larger than this site accepts ({limit} MiB at most), so it was not read. "
    "Split the questions into smaller files and upload them one by one."
)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge):
    limit = (current_app.config.get("MAX_CONTENT_LENGTH") or MAX_BANK_BYTES) / (1024 * 1024)
    return render_error(error, message=TOO_LARGE.format(limit=f"{limit:g}"))


# ---------------------------------------------------------------------------- sets
# A form sent back with its errors is a 200, as on quizapp's other forms: the page is
# the answer the teacher needs, and nothing was saved.


@bp.route("/sets/new", methods=["GET", "POST"])
def new_set():
    form = SetForm()
    if form.validate_on_submit():
        try:
            bank = editing.create_set(current_user.id, form.title.data or "", form.description.data)
        except BankError as exc:
            form.show(exc.issues)
        else:
            db.session.commit()
            flash(f"Set “{bank.title}” created. Add its first question.", "success")
            return redirect(url_for(".set_detail", bank_id=bank.id))
    return render_template("teach/sets/set_form.html", form=form, bank=None)


@bp.get("/sets/<int:bank_id>")
def set_detail(bank_id: int):
    bank = bank_or_404(bank_id)
    questions = db.session.scalars(
        select(Question)
        .where(Question.bank_id == bank.id)
        .order_by(Question.position, Question.id)
        .options(selectinload(Question.current_version))
    ).all()
    live = [q for q in questions if q.retired_at is None and q.current_version]
    retired = [q for q in questions if q.retired_at is not None and q.current_version]
    shown = request.args.get("show", type=int)
    return render_template(
        "teach/sets/detail.html",
        bank=bank,
        live=live,
        retired=retired,
        shown=shown,
        form=ButtonForm(),
        types=TYPES,
    )


@bp.route("/sets/<int:bank_id>/edit", methods=["GET", "POST"])
def edit_set(bank_id: int):
    bank = bank_or_404(bank_id, to_edit=True)
    form = SetForm(obj=bank)
    if form.validate_on_submit():
        try:
            editing.update_set(bank, form.title.data or "", form.description.data)
        except BankError as exc:
            form.show(exc.issues)
        else:
            db.session.commit()
            flash("Set saved.", "success")
            return redirect(url_for(".set_detail", bank_id=bank.id))
    return render_template("teach/sets/set_form.html", form=form, bank=bank)


@bp.post("/sets/<int:bank_id>/copy")
def copy_set(bank_id: int):
    bank = bank_or_404(bank_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    copy = editing.copy_set(bank, current_user.id)
    db.session.commit()
    flash(f"Copied to your sets as “{copy.title}”: this copy is yours to edit.", "success")
    return redirect(url_for(".set_detail", bank_id=copy.id))


@bp.route("/sets/<int:bank_id>/source", methods=["GET", "POST"])
def set_source(bank_id: int):
    bank = bank_or_404(bank_id, to_edit=True)
    form = SourceForm(data={"text": bank.source_text or ""})
    failed: list[BankIssue] = []
    if form.validate_on_submit():
        if request.form.get("action") == "remove":
            dropped = editing.remove_source(bank)
            db.session.commit()
            note = f" {dropped} question(s) lost their quotes." if dropped else ""
            flash(f"The source text was removed.{note}", "success")
            return redirect(url_for(".set_detail", bank_id=bank.id))
        try:
            text = _source_text(form)
            editing.attach_source(bank, text)
        except ReadError as exc:
            form.show([BankIssue(path=("file",), message=_with_line(exc))])
        except BankError as exc:
            failed = [p for p in exc.issues if p.path and p.path[0] != "text"]
            form.show([p for p in exc.issues if not p.path or p.path[0] == "text"])
        else:
            db.session.commit()
            flash("Source text saved: the set's quotes are checked against it.", "success")
            return redirect(url_for(".set_detail", bank_id=bank.id))
    return render_template(
        "teach/sets/source.html", form=form, bank=bank, failed=failed, action=ButtonForm()
    )


def _source_text(form: SourceForm) -> str:
    """Return the uploaded .txt file's text if one was sent, else the pasted text."""
    upload = form.file.data
    if upload is not None and getattr(upload, "filename", ""):
        return editing.read_source_text(upload.read())
    return form.text.data or ""


def _with_line(error: ReadError) -> str:
    return f"line {error.line}: {error.message}" if error.line else error.message


# ----------------------------------------------------------------------- questions


@bp.get("/sets/<int:bank_id>/questions/new")
def choose_type(bank_id: int):
    bank = bank_or_404(bank_id, to_edit=True)
    return render_template("teach/sets/choose_type.html", bank=bank, types=TYPES)


@bp.route("/sets/<int:bank_id>/questions/new/<type_name>", methods=["GET", "POST"])
def new_question(bank_id: int, type_name: str):
    bank = bank_or_404(bank_id, to_edit=True)
    form_class = TYPES[type_name].editor if type_name in TYPES else abort(404)
    form = form_class(has_source=editing.has_source(bank))
    if form.validate_on_submit():
        try:
            slug = editing.add_question(bank, form.to_spec())
        except BankError as exc:
            form.show(exc.issues)
        else:
            db.session.commit()
            flash("Question added. This is how learners will see it.", "success")
            question_id = _question_id(bank, slug)
            return redirect(
                url_for(".set_detail", bank_id=bank.id, _anchor=f"question-{question_id}")
            )
    return render_template("teach/sets/question_form.html", bank=bank, form=form, question=None)


@bp.route("/sets/<int:bank_id>/questions/<int:question_id>/edit", methods=["GET", "POST"])
def edit_question(bank_id: int, question_id: int):
    bank = bank_or_404(bank_id, to_edit=True)
    question = question_or_404(bank, question_id)
    if question.retired_at is not None or question.current_version is None:
        flash("Restore this question before editing it.", "error")
        return redirect(url_for(".set_detail", bank_id=bank.id))
    spec = question.current_version.spec
    form_class = TYPES[spec["type"]].editor if spec["type"] in TYPES else abort(404)
    form = form_class(
        data=form_class.data_from(spec),
        has_source=editing.has_source(bank),
        extras=form_class.extras_of(spec),
    )
    if form.validate_on_submit():
        try:
            changed = editing.edit_question(bank, question, form.to_spec())
        except BankError as exc:
            form.show(exc.issues)
        else:
            db.session.commit()
            if changed:
                flash(
                    "Question saved as a new version; answers already given keep the old one.",
                    "success",
                )
            else:
                flash("Nothing changed.", "success")
            return redirect(
                url_for(".set_detail", bank_id=bank.id, _anchor=f"question-{question.id}")
            )
    return render_template("teach/sets/question_form.html", bank=bank, form=form, question=question)


@bp.post("/sets/<int:bank_id>/questions/<int:question_id>/retire")
def retire_question(bank_id: int, question_id: int):
    bank = bank_or_404(bank_id, to_edit=True)
    question = question_or_404(bank, question_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    editing.retire_question(bank, question)
    db.session.commit()
    flash("Question retired: quizzes no longer draw it, and past answers keep it.", "success")
    return redirect(url_for(".set_detail", bank_id=bank.id))


@bp.post("/sets/<int:bank_id>/questions/<int:question_id>/restore")
def restore_question(bank_id: int, question_id: int):
    bank = bank_or_404(bank_id, to_edit=True)
    question = question_or_404(bank, question_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        editing.restore_question(bank, question)
    except BankError as exc:
        for problem in exc.issues:
            flash(f"Cannot restore this question: {problem.message}", "error")
    else:
        db.session.commit()
        flash("Question restored.", "success")
    return redirect(url_for(".set_detail", bank_id=bank.id, _anchor=f"question-{question.id}"))


@bp.route("/sets/<int:bank_id>/questions/<int:question_id>", methods=["GET", "POST"])
def try_question(bank_id: int, question_id: int):
    """A question exactly as learners see it; answering it here grades it and saves nothing."""
    bank = bank_or_404(bank_id)
    question = question_or_404(bank, question_id)
    version = question.current_version or abort(404)
    view = learner_view(version)
    reveal = answer_given = error = None
    saved = None
    form = ButtonForm()
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            value, error = TYPES[version.type].read_form(view, request.form)
        except Unanswered:
            value, error = None, "Choose or type an answer first."
        if error:
            saved, status = value, 422
        else:
            # The grade stands in for a stored response: it has its fraction and feedback.
            reveal = explain(version.spec, grade(version.spec, value), value)
            answer_given = format_response(value, version.type)
    elif request.args.get("show"):
        reveal = explain(version.spec, None)
    return render_template(
        "teach/sets/try.html",
        bank=bank,
        question=question,
        version=version,
        prompt=version.spec["prompt"],
        markup=learner_markup(version, view, saved=saved, error=error),
        reveal=reveal,
        answered=request.method == "POST" and reveal is not None,
        answer_given=answer_given,
        error=error,
        form=form,
    ), status


# ------------------------------------------------------------------ files: download


@bp.get("/sets/<int:bank_id>/download.yaml")
def download_yaml(bank_id: int):
    bank = bank_or_404(bank_id)
    text = dump_bank(editing.set_contents(bank))
    if bank.source_text:
        # The quotes need their text back: the file says where it is, in a comment.
        text = f"# {uploads.source_note(bank.slug)}\n{text}"
    return _attachment(text, f"{bank.slug}.yaml", "application/yaml")


@bp.get("/sets/<int:bank_id>/source.txt")
def download_source(bank_id: int):
    """The set's own source text, to upload again with its YAML file."""
    bank = bank_or_404(bank_id)
    if not bank.source_text:
        abort(404)
    return _attachment(bank.source_text, uploads.source_file_name(bank.slug), "text/plain")


@bp.get("/sets/<int:bank_id>/download.gift")
def download_gift(bank_id: int):
    bank = bank_or_404(bank_id)
    text = dump_gift(editing.set_contents(bank))
    return _attachment(text, f"{bank.slug}.gift", "text/plain")


@bp.get("/sets/<int:bank_id>/download.apkg")
def download_anki(bank_id: int):
    bank = bank_or_404(bank_id)
    deck = anki.bank_deck(editing.set_contents(bank), source_name(bank))
    return _attachment(anki.package_bytes(deck), f"{bank.slug}.apkg", anki.MIMETYPE)


@bp.get("/sets/<int:bank_id>/download.xml")
def download_moodle_xml(bank_id: int):
    bank = bank_or_404(bank_id)
    # What Moodle XML loses is said in the file's comments; the notes are for the CLI.
    data, _ = dump_moodle_xml(editing.set_contents(bank))
    return _attachment(data, f"{bank.slug}.xml", "application/xml")


def _attachment(text: str | bytes, filename: str, mimetype: str) -> Response:
    response = Response(text, mimetype=mimetype)
    # The slug is [a-z0-9-]: the name is safe as it is; werkzeug quotes it all the same.
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# -------------------------------------------------------------------- files: upload


@bp.route("/sets/upload", methods=["GET", "POST"])
def upload():
    form = UploadForm()
    if form.validate_on_submit():
        bank_file = form.bank_file.data
        if bank_file is None or not getattr(bank_file, "filename", ""):
            form.bank_file.errors = ["Choose a question file to upload."]
        else:
            source = form.source_file.data
            has_source = source is not None and bool(getattr(source, "filename", ""))
            try:
                pending = uploads.store_upload(
                    current_user.id,
                    bank_file.filename,
                    bank_file.read(MAX_BANK_BYTES + 1),
                    title=form.title.data,
                    source_name=source.filename if has_source else None,
                    source_data=source.read(MAX_SOURCE_BYTES) if has_source else None,
                )
            except uploads.UnknownKind as exc:
                form.bank_file.errors = [str(exc)]
            else:
                db.session.commit()
                return redirect(url_for(".upload_preview", token=pending.token))
    return render_template("teach/sets/upload.html", form=form)


@bp.get("/sets/upload/<token>")
def upload_preview(token: str):
    pending = _pending_or_404(token)
    return _render_preview(pending)


@bp.post("/sets/upload/<token>")
def confirm_upload(token: str):
    pending = _pending_or_404(token, for_update=True)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        bank, plan = uploads.confirm_upload(pending, current_user.id)
    except uploads.ImportFailed:
        return _render_preview(pending, status=422)
    db.session.commit()
    count = len(plan.bank.questions)
    flash(f"Imported {count} question{'s' * (count != 1)} into “{bank.title}”.", "success")
    return redirect(url_for(".set_detail", bank_id=bank.id))


@bp.post("/sets/upload/<token>/discard")
def discard_upload(token: str):
    pending = _pending_or_404(token)
    if not ButtonForm().validate_on_submit():
        abort(400)
    db.session.delete(pending)
    db.session.commit()
    flash("The upload was discarded; nothing was imported.", "success")
    return redirect(url_for(".index"))


def _pending_or_404(token: str, *, for_update: bool = False) -> PendingUpload:
    pending = uploads.pending_upload(token, current_user.id, for_update=for_update)
    if pending is None:
        abort(404)
    return pending


def _render_preview(pending: PendingUpload, status: int = 200):
    plan = failure = None
    try:
        plan = uploads.prepare_import(pending)
    except uploads.ImportFailed as exc:
        failure = exc
    again = UploadForm(data={"title": pending.title or ""}, formdata=None)
    return render_template(
        "teach/sets/upload_preview.html",
        pending=pending,
        plan=plan,
        failure=failure,
        types=TYPES,
        form=ButtonForm(),
        again=again,
    ), status


# ------------------------------------------------------------- previews as learners


def learner_view(version: QuestionVersion) -> dict:
    """Return how the question is shown (options shuffled...), the same on every request.

    The shuffle is seeded by the version, so that a preview and the answer checked
    against it agree, as an attempt's stored view does.
    """
    return TYPES[version.type].present(version.spec, random.Random(version.id))


_ID_ATTRIBUTE = re.compile(r'(?<=\s)(id|for|aria-describedby)="([^"]*)"')


def learner_markup(
    version: QuestionVersion, view: dict, *, saved=None, error=None, prefix: str = ""
) -> Markup:
    """Render a question's input with the learners' own template.

    On a page of several questions each gets a `prefix` for its element ids, so that
    labels stay tied to their inputs. Teachers' text is escaped by the template, so
    an `id="` in the output can only be an attribute.
    """
    html = render_template(TYPES[version.type].template(), view=view, saved=saved, error=error)
    if prefix:
        html = _ID_ATTRIBUTE.sub(
            lambda m: f'{m[1]}="{" ".join(prefix + part for part in m[2].split())}"', html
        )
    return Markup(html)  # rendered by an autoescaping template


def _question_id(bank: Bank, slug: str) -> int | None:
    return db.session.scalar(
        select(Question.id).where(Question.bank_id == bank.id, Question.slug == slug)
    )


@bp.context_processor
def set_helpers() -> dict:
    return {"learner_view": learner_view, "learner_markup": learner_markup}
