"""The teacher's dashboard: their question sets and their classes."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from quizapp.extensions import db
from quizapp.models import Bank, Classroom
from quizapp.web.teach import bp


@bp.get("/")
def index():
    sets = db.session.scalars(
        db.select(Bank).where(Bank.owner_id == current_user.id).order_by(Bank.title)
    ).all()
    bundled = db.session.scalars(
        db.select(Bank).where(Bank.owner_id.is_(None)).order_by(Bank.title)
    ).all()
    classes = db.session.scalars(
        db.select(Classroom).where(Classroom.owner_id == current_user.id).order_by(Classroom.name)
    ).all()
    return render_template("teach/index.html", sets=sets, bundled=bundled, classes=classes)
