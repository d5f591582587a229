"""Forms for question sets: the set itself, its source text, an upload. Each question
type's own form is its `editor` (see quizapp.question_types.editor)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField, TextAreaField

from quizapp.banks.issues import BankIssue
from quizapp.question_types.editor import show_on_fields
from quizapp.sets.editing import MAX_TITLE


class SetForm(FlaskForm):
    """A set's title and description."""

    title = StringField("Title", render_kw={"maxlength": MAX_TITLE})
    description = TextAreaField("Description", render_kw={"rows": 3})

    def show(self, problems: list[BankIssue]) -> None:
        show_on_fields(self, problems)


class SourceForm(FlaskForm):
    """A source text for a set: pasted, or a .txt file."""

    text = TextAreaField("Paste the source text", render_kw={"rows": 12})
    file = FileField(
        "…or upload it as a .txt file (UTF-8)", render_kw={"accept": ".txt,text/plain"}
    )

    def show(self, problems: list[BankIssue]) -> None:
        show_on_fields(self, problems)


class UploadForm(FlaskForm):
    """A bank file to import as a new set, with an optional source text for its quotes."""

    bank_file = FileField("Question file", render_kw={"accept": ".yaml,.yml,.json,.gift,.txt,.xml"})
    title = StringField(
        "Title of the new set (GIFT and Moodle XML files)", render_kw={"maxlength": MAX_TITLE}
    )
    source_file = FileField("Source text (optional, .txt)", render_kw={"accept": ".txt,text/plain"})
