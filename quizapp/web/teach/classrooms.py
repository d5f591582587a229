"""Teachers' class pages: classes and join codes, assignments, gradebook, item analysis.

Every page here is for teachers (the blueprint checks), and every class is looked up
through `quizapp.access`, so another teacher's id is a 404.
"""

from __future__ import annotations

from flask import (
    Response,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user
from sqlalchemy import null
from werkzeug.utils import secure_filename

from quizapp.access import (
    class_attempt_or_404,
    member_or_404,
    own_assignment_or_404,
    own_classroom_or_404,
)
from quizapp.attempts.expiry import read_as_finished
from quizapp.classrooms import assignments as assigning
from quizapp.classrooms import extra_time, rosters
from quizapp.classrooms.codes import issue_code
from quizapp.classrooms.gradebook import gradebook as build_gradebook
from quizapp.classrooms.gradebook import learner_history, stream_gradebook, table_rows
from quizapp.classrooms.item_analysis import (
    LOW_DISCRIMINATION,
    LOW_FACILITY,
    MIN_FOR_DISCRIMINATION,
    item_analysis,
)
from quizapp.classrooms.spreadsheet import csv_lines
from quizapp.extensions import db
from quizapp.models import Assignment, Attempt, Classroom, User, utcnow
from quizapp.question_types import TYPES
from quizapp.web.forms import ButtonForm
from quizapp.web.teach import bp
from quizapp.web.teach.class_forms import AssignmentForm, ClassForm, ExtraTimeForm
from quizapp.web.teach.gradebook_cells import cell_html


@bp.route("/classes/new", methods=["GET", "POST"])
def new_class():
    form = ClassForm()
    if form.validate_on_submit():
        classroom = rosters.create_class(current_user, form.name.data)
        db.session.commit()
        flash(f"Class “{classroom.name}” created. Give your learners its join code.", "success")
        return redirect(url_for(".class_detail", class_id=classroom.id))
    return render_template("teach/classrooms/edit.html", form=form, classroom=None)


@bp.get("/classes/<int:class_id>")
def class_detail(class_id: int):
    classroom = own_classroom_or_404(class_id)
    return render_template(
        "teach/classrooms/detail.html",
        classroom=classroom,
        learners=rosters.members(classroom),
        join_link=url_for("learn.confirm_join", code=classroom.join_code, _external=True),
        status=assigning.status,
        attempts_word=assigning.attempts_word,
        button=ButtonForm(),
        now=utcnow(),
    )


@bp.route("/classes/<int:class_id>/edit", methods=["GET", "POST"])
def edit_class(class_id: int):
    classroom = own_classroom_or_404(class_id)
    form = ClassForm(obj=classroom)
    if form.validate_on_submit():
        classroom.name = form.name.data
        db.session.commit()
        flash("Class renamed.", "success")
        return redirect(url_for(".class_detail", class_id=classroom.id))
    return render_template("teach/classrooms/edit.html", form=form, classroom=classroom)


@bp.post("/classes/<int:class_id>/code")
def new_join_code(class_id: int):
    classroom = own_classroom_or_404(class_id)
    if ButtonForm().validate_on_submit():
        code = issue_code(classroom)
        db.session.commit()
        flash(f"New join code: {code}. The old code and link no longer work.", "success")
    return redirect(url_for(".class_detail", class_id=classroom.id))


@bp.post("/classes/<int:class_id>/learners/<int:user_id>/remove")
def remove_learner(class_id: int, user_id: int):
    classroom = own_classroom_or_404(class_id)
    member_or_404(classroom, user_id)
    if ButtonForm().validate_on_submit():
        learner = db.session.get(User, user_id)
        rosters.leave(classroom, user_id)
        db.session.commit()
        flash(
            f"{learner.display_name} was removed from the class. Their attempts are kept.",
            "success",
        )
    return redirect(url_for(".class_detail", class_id=classroom.id))


@bp.get("/classes/<int:class_id>/learners/<int:user_id>")
def learner_detail(class_id: int, user_id: int):
    classroom = own_classroom_or_404(class_id)
    membership = member_or_404(classroom, user_id)
    return render_template(
        "teach/classrooms/learner.html",
        classroom=classroom,
        learner=membership.user,
        history=learner_history(classroom, user_id),
    )


def _assignment_form(classroom: Classroom, assignment: Assignment | None = None):
    """Return the assignment form with the banks and tags this teacher may choose."""
    if assignment is not None:
        form = AssignmentForm(
            title=assignment.title,
            banks=assignment.bank_ids,
            tags=assignment.tags,
            question_count=assignment.question_count,
            mode=assignment.mode,
            time_limit=assignment.time_limit // 60 if assignment.time_limit else None,
            opens_at=assignment.opens_at,
            closes_at=assignment.closes_at,
            attempts_allowed=assignment.attempts_allowed,
        )
    else:
        form = AssignmentForm()
    banks = assigning.allowed_banks(classroom.owner_id)
    form.banks.choices = [
        (bank.id, bank.title if bank.is_bundled else f"{bank.title} (your set)") for bank in banks
    ]
    form.tags.choices = [
        (tag, f"{tag} ({count})") for tag, count in assigning.tag_counts(classroom.owner_id).items()
    ]
    return form


def _save_assignment(form: AssignmentForm, classroom: Classroom, assignment: Assignment) -> bool:
    """Copy a validated form into the assignment; False (with the error shown) if its
    sets and tags hold too few questions."""
    available = len(assigning.pool(classroom.owner_id, form.banks.data, form.tags.data))
    if available < form.question_count.data:
        form.question_count.errors.append(
            f"The chosen sets and tags hold {available} question"
            f"{'' if available == 1 else 's'}: ask for {available} or fewer, or choose more."
            if available
            else "The chosen sets and tags hold no questions: choose others."
        )
        return False
    assignment.title = form.title.data
    assignment.bank_ids = list(form.banks.data)
    assignment.tags = list(form.tags.data)
    assignment.question_count = form.question_count.data
    assignment.mode = form.mode.data
    assignment.time_limit = form.time_limit.data * 60 if form.time_limit.data else None
    assignment.opens_at = form.opens_at.data
    assignment.closes_at = form.closes_at.data
    # NULL is unlimited; None would let the column's default (1) fill it in.
    assignment.attempts_allowed = form.attempts_allowed.data or null()
    return True


@bp.route("/classes/<int:class_id>/assignments/new", methods=["GET", "POST"])
def new_assignment(class_id: int):
    classroom = own_classroom_or_404(class_id)
    form = _assignment_form(classroom)
    if form.validate_on_submit():
        assignment = Assignment(classroom_id=classroom.id)
        if _save_assignment(form, classroom, assignment):
            db.session.add(assignment)
            db.session.commit()
            flash(f"“{assignment.title}” assigned to {classroom.name}.", "success")
            return redirect(url_for(".class_detail", class_id=classroom.id))
    return render_template(
        "teach/classrooms/assignment_form.html", form=form, classroom=classroom, assignment=None
    )


@bp.route("/classes/<int:class_id>/assignments/<int:assignment_id>/edit", methods=["GET", "POST"])
def edit_assignment(class_id: int, assignment_id: int):
    classroom = own_classroom_or_404(class_id)
    assignment = own_assignment_or_404(classroom, assignment_id)
    form = _assignment_form(classroom, assignment)
    closes_at = assignment.closes_at
    if form.validate_on_submit() and _save_assignment(form, classroom, assignment):
        moved = assigning.follow_closing_time(assignment) if closes_at != form.closes_at.data else 0
        db.session.commit()
        flash(
            f"“{assignment.title}” saved. Attempts already started keep their questions"
            + (f"; {moved} unfinished now end at the new closing time." if moved else ".")
        )
        return redirect(url_for(".class_detail", class_id=classroom.id))
    return _render_assignment_page(classroom, assignment, form)


def _render_assignment_page(
    classroom: Classroom,
    assignment: Assignment,
    form: AssignmentForm,
    extra_form: ExtraTimeForm | None = None,
):
    """The assignment's page: its form, then the learners given extra time."""
    return render_template(
        "teach/classrooms/assignment_form.html",
        form=form,
        classroom=classroom,
        assignment=assignment,
        has_attempts=_has_attempts(assignment),
        button=ButtonForm(),
        extra_form=extra_form or _extra_time_form(classroom),
    )


def _extra_time_form(classroom: Classroom) -> ExtraTimeForm:
    form = ExtraTimeForm()
    form.learner.choices = [
        (learner.id, f"{learner.display_name} ({learner.username})")
        for learner in rosters.members(classroom)
    ]
    return form


@bp.post("/classes/<int:class_id>/assignments/<int:assignment_id>/extra-time")
def give_extra_time(class_id: int, assignment_id: int):
    """Give a learner of the class more time on the assignment (an accommodation): their
    next attempts, and the one under way, end later."""
    classroom = own_classroom_or_404(class_id)
    assignment = own_assignment_or_404(classroom, assignment_id)
    form = _extra_time_form(classroom)
    if not form.validate_on_submit():
        return _render_assignment_page(
            classroom, assignment, _assignment_form(classroom, assignment), form
        )
    learner = member_or_404(classroom, form.learner.data).user
    given = extra_time.give(assignment, learner.id, form.kind.data, form.minutes.data)
    moved = assigning.follow_time_limit(assignment, learner.id)
    db.session.commit()
    total = (
        f" ({given.lengthen(assignment.time_limit) / 60:g} minutes in all)"
        if assignment.time_limit
        else ""
    )
    flash(
        f"{learner.display_name} now has extra time on “{assignment.title}”: "
        f"{given.describe()}{total}"
        + ("; the attempt under way ends later too." if moved else "."),
        "success",
    )
    return redirect(_assignment_page_url(classroom, assignment))


@bp.post("/classes/<int:class_id>/assignments/<int:assignment_id>/extra-time/<int:user_id>/remove")
def take_back_extra_time(class_id: int, assignment_id: int, user_id: int):
    classroom = own_classroom_or_404(class_id)
    assignment = own_assignment_or_404(classroom, assignment_id)
    if ButtonForm().validate_on_submit() and extra_time.take_back(assignment, user_id):
        assigning.follow_time_limit(assignment, user_id)
        db.session.commit()
        flash("The extra time was taken back.", "success")
    return redirect(_assignment_page_url(classroom, assignment))


def _assignment_page_url(classroom: Classroom, assignment: Assignment) -> str:
    return url_for(
        ".edit_assignment", class_id=classroom.id, assignment_id=assignment.id, _anchor="extra-time"
    )


def _has_attempts(assignment: Assignment) -> bool:
    return (
        db.session.scalar(db.select(Attempt.id).where(Attempt.assignment_id == assignment.id))
        is not None
    )


@bp.post("/classes/<int:class_id>/assignments/<int:assignment_id>/release")
def release_answers(class_id: int, assignment_id: int):
    """Show a test's answers to the learners who finished it, before it closes (or when it
    has no closing time, the only way they are ever shown)."""
    classroom = own_classroom_or_404(class_id)
    assignment = own_assignment_or_404(classroom, assignment_id)
    if ButtonForm().validate_on_submit() and assignment.answers_released_at is None:
        assignment.answers_released_at = utcnow()
        db.session.commit()
        flash(
            f"The answers of “{assignment.title}” are released: learners who finished it "
            "see them on their results, and anyone who finishes later sees them at once.",
            "success",
        )
    return redirect(url_for(".class_detail", class_id=classroom.id))


@bp.post("/classes/<int:class_id>/assignments/<int:assignment_id>/delete")
def delete_assignment(class_id: int, assignment_id: int):
    classroom = own_classroom_or_404(class_id)
    assignment = own_assignment_or_404(classroom, assignment_id)
    if not ButtonForm().validate_on_submit():
        return redirect(url_for(".class_detail", class_id=classroom.id))
    if _has_attempts(assignment):
        flash(
            "Learners have started this assignment, so it stays with their results. "
            "To stop new attempts, set its closing time.",
            "error",
        )
        return redirect(
            url_for(".edit_assignment", class_id=classroom.id, assignment_id=assignment.id)
        )
    db.session.delete(assignment)
    db.session.commit()
    flash(f"“{assignment.title}” deleted.", "success")
    return redirect(url_for(".class_detail", class_id=classroom.id))


@bp.get("/classes/<int:class_id>/gradebook")
def gradebook(class_id: int):
    classroom = own_classroom_or_404(class_id)
    page = request.args.get("page", 1, type=int)
    return render_template(
        "teach/classrooms/gradebook.html",
        book=build_gradebook(classroom, page=page),
        gradebook_cell=cell_html,
    )


@bp.get("/classes/<int:class_id>/gradebook.csv")
def gradebook_csv(class_id: int):
    classroom = own_classroom_or_404(class_id)
    # Streamed a learner at a time: a class of 500 never sits in memory whole.
    assignments, rows = stream_gradebook(classroom)
    body = stream_with_context(csv_lines(table_rows(assignments, rows)))
    # Never build a file name from what a teacher typed without cleaning it.
    name = secure_filename(classroom.name.replace(" ", "-").lower()) or "class"
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="gradebook-{classroom.id}-{name}.csv"',
            "Cache-Control": "no-store",
        },
    )


def _render_analysis(classroom: Classroom, assignment: Assignment | None):
    stats, counted = item_analysis(classroom, assignment)
    return render_template(
        "teach/classrooms/analysis.html",
        classroom=classroom,
        assignment=assignment,
        stats=stats,
        counted=counted,
        types=TYPES,
        low_facility=LOW_FACILITY,
        low_discrimination=LOW_DISCRIMINATION,
        min_for_discrimination=MIN_FOR_DISCRIMINATION,
    )


@bp.get("/classes/<int:class_id>/analysis")
def class_analysis(class_id: int):
    return _render_analysis(own_classroom_or_404(class_id), None)


@bp.get("/classes/<int:class_id>/assignments/<int:assignment_id>/analysis")
def assignment_analysis(class_id: int, assignment_id: int):
    classroom = own_classroom_or_404(class_id)
    return _render_analysis(classroom, own_assignment_or_404(classroom, assignment_id))


@bp.get("/attempts/<int:attempt_id>")
def attempt_results(attempt_id: int):
    """A learner's attempt at one of the teacher's assignments, on the quiz results page."""
    attempt = class_attempt_or_404(attempt_id)
    assignment = db.session.get(Assignment, attempt.assignment_id)
    learner = db.session.get(User, attempt.user_id)
    read_as_finished(attempt)
    if not attempt.is_finished:
        # The results page is for finished attempts; one in progress shows how far it got.
        return render_template(
            "teach/classrooms/attempt_open.html",
            attempt=attempt,
            assignment=assignment,
            classroom=assignment.classroom,
            learner=learner,
            answered=sum(1 for item in attempt.items if item.response is not None),
        )
    return render_template(
        "teach/classrooms/attempt.html",
        attempt=attempt,
        assignment=assignment,
        classroom=assignment.classroom,
        learner=learner,
        types=TYPES,
        # The teacher sees every answer, whatever a learner is shown.
        held=None,
        held_questions=frozenset(),
        time_was_up=attempt.deadline is not None and attempt.finished_at >= attempt.deadline,
        # For the results page's partials: buttons meant for the learner stay hidden.
        teacher_view=True,
    )
