"""Uploads waiting for their teacher's confirmation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.extensions import db
from quizapp.models.base import utcnow

#: The longest file name kept (and shown back to the teacher), and the longest set title.
NAME_SHOWN = 200
TITLE_MAX = 200


class PendingUpload(db.Model):
    """An uploaded bank file waiting for its teacher to confirm the import."""

    __tablename__ = "pending_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # The name the browser sent, shown to the teacher and never used to open anything.
    filename: Mapped[str] = mapped_column(String(NAME_SHOWN))
    kind: Mapped[str] = mapped_column(String(8))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    title: Mapped[str | None] = mapped_column(String(TITLE_MAX))
    source_name: Mapped[str | None] = mapped_column(String(NAME_SHOWN))
    source_data: Mapped[bytes | None] = mapped_column(LargeBinary)
    # What checking the file found, as JSON (see check_upload): read once, shown often.
    checked: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
