"""The learner's side of classes: joining with a code or a link, leaving, assignments.

A class code typed in and a join link lead to the same page, which says what the teacher
will see (rosters.CONSENT) and asks; joining is the POST of that page, so that a link
opened by a preview bot or a prefetching browser changes nothing.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from quizapp import rate_limits
from quizapp.access import joined_assignment_or_404, joined_classroom_or_404
from quizapp.classrooms import assignments as assigning
from quizapp.classrooms import extra_time, rosters
from quizapp.classrooms.codes import ALPHABET, LENGTH, find_class
from quizapp.classrooms.outcomes import outcomes
from quizapp.extensions import db
from quizapp.models import Classroom, utcnow
from quizapp.web.forms import ButtonForm

bp = Blueprint("learn", __name__)

CODE_HINT = f"{LENGTH} letters and digits, from your teacher."
TEACHERS_CANNOT_JOIN = "Teachers cannot join classes: log in with a learner account to join."
UNKNOWN_CODE = "No class has this code. Check it with your teacher: codes can be changed."


class JoinForm(FlaskForm):
    """Join a class by typing its code."""

    code = StringField(
        "Class code",
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            DataRequired("Type the code your teacher gave you."),
            Length(max=4 * LENGTH, message=f"A class code has {LENGTH} characters."),
        ],
    )


@bp.app_template_filter("utc")
def format_utc(moment: dt.datetime | None) -> str:
    """Write a stored UTC time as "29 Nov 2026 14:05 UTC"."""
    return assigning.format_utc(moment) if moment else ""


@bp.app_context_processor
def class_helpers() -> dict[str, object]:
    def my_assignments() -> list[assigning.LearnerAssignment]:
        """The signed-in learner's assignments, for the home page (nothing for others)."""
        if not current_user.is_authenticated or current_user.is_teacher:
            return []
        return assigning.for_learner(current_user.id)

    return {"my_assignments": my_assignments, "code_alphabet": ALPHABET}


def _refuse_teachers() -> None:
    if current_user.is_teacher:
        abort(403, TEACHERS_CANNOT_JOIN)


def _linked_class(code: str) -> Classroom:
    """Return the class a join link names, for a learner; 404 for a code no class has."""
    _refuse_teachers()
    classroom = find_class(code)
    if classroom is None:
        rate_limits.charge()
        abort(404, UNKNOWN_CODE)
    return classroom


def _join(classroom: Classroom):
    if rosters.join(classroom, current_user, consented=True):
        db.session.commit()
        flash(f"You joined {classroom.name}.", "success")
    else:
        flash(f"You are already in {classroom.name}.", "info")
    return redirect(url_for(".my_classes"))


@bp.route("/join", methods=["GET", "POST"])
@login_required
@rate_limits.class_codes
def join():
    _refuse_teachers()
    form = JoinForm()
    if form.validate_on_submit():
        classroom = find_class(form.code.data)
        if classroom is not None:
            # Asked first, as by a join link: the same page, the same consent.
            return redirect(url_for(".confirm_join", code=classroom.join_code))
        rate_limits.charge()
        form.code.errors.append(UNKNOWN_CODE)
    status = 422 if form.errors else 200
    return render_template("learn/join.html", form=form, hint=CODE_HINT), status


@bp.get("/join/<code>")
@login_required
@rate_limits.class_codes
def confirm_join(code: str):
    classroom = _linked_class(code)
    return render_template(
        "learn/confirm_join.html",
        classroom=classroom,
        already=rosters.is_member(classroom, current_user.id),
        consent=rosters.CONSENT,
        form=ButtonForm(),
    )


@bp.post("/join/<code>")
@login_required
@rate_limits.class_codes
def join_by_link(code: str):
    classroom = _linked_class(code)
    if not ButtonForm().validate_on_submit():
        return redirect(url_for(".confirm_join", code=code))
    return _join(classroom)


@bp.get("/classes")
@login_required
def my_classes():
    return render_template(
        "learn/index.html",
        classes=rosters.classes_joined(current_user.id),
        assignments=assigning.for_learner(current_user.id),
        form=ButtonForm(),
    )


@bp.post("/classes/<int:class_id>/leave")
@login_required
def leave(class_id: int):
    classroom = joined_classroom_or_404(class_id)
    if ButtonForm().validate_on_submit():
        rosters.leave(classroom, current_user.id)
        db.session.commit()
        flash(f"You left {classroom.name}. Your results stay in your progress.", "success")
    return redirect(url_for(".my_classes"))


@bp.get("/assignments/<int:assignment_id>")
@login_required
def assignment(assignment_id: int):
    assignment = joined_assignment_or_404(assignment_id)
    row = next(
        r for r in assigning.for_learner(current_user.id) if r.assignment.id == assignment.id
    )
    history = outcomes(assigning.attempts_of(assignment, current_user.id), utcnow())
    return render_template(
        "learn/assignment.html",
        row=row,
        assignment=assignment,
        history=history,
        attempts_word=assigning.attempts_word,
        form=ButtonForm(),
        extra=extra_time.extra_time_of(assignment, current_user.id),
    )


@bp.post("/assignments/<int:assignment_id>/start")
@login_required
def start(assignment_id: int):
    assignment = joined_assignment_or_404(assignment_id)
    if not ButtonForm().validate_on_submit():
        return redirect(url_for(".assignment", assignment_id=assignment.id))
    try:
        started = assigning.start(assignment, current_user.id)
    except assigning.StartRefused as refusal:
        db.session.commit()  # an attempt whose time ran out may have been finished
        flash(refusal.message, "error")
        return redirect(url_for(".assignment", assignment_id=assignment.id))
    db.session.commit()
    if started.resumed:
        flash("You have an attempt in progress: carry on where you stopped.", "info")
        return redirect(url_for("quiz.resume", attempt_id=started.attempt.id))
    return redirect(url_for("quiz.question", attempt_id=started.attempt.id, position=1))
