"""The rate limits' counters: one row per key and window (see quizapp.throttle).

Not app data: the table has a metadata of its own, lives beside a SQLite database (or in
the server database), is made on first use, and migrations leave it alone.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Integer, MetaData, String, Table

TABLE_NAME = "rate_limits"

metadata = MetaData()
rate_limits = Table(
    TABLE_NAME,
    metadata,
    Column("name", String(255), primary_key=True),
    Column("hits", Integer, nullable=False),
    Column("expires_at", Float, nullable=False, index=True),
)
