"""Tables of the deadline calendar (local to this workstation's database; they do not travel).

- ``obligation_marks``: an office marked an obligation as sent (or done, for obligations
  without a form) for one due date — until the exchange area records sending itself, and
  for things sent outside the app (paper, e-mail, an online form).
- ``holidays``: public holidays, seeded with Thai holidays 2564–2570 and editable, used to
  flag due days that fall on a day the office is closed.

It also indexes ``form_submissions`` by (programme, form, period): the calendar and the
completeness board read one form of one period for every LAO (halves the national month).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models import Base, FormSubmission, utcnow


class ObligationMark(Base):
    __tablename__ = "obligation_marks"
    __table_args__ = (UniqueConstraint("office", "programme_code", "obligation_code", "due"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    office: Mapped[str] = mapped_column(String(32), index=True)
    programme_code: Mapped[str] = mapped_column(String(32), default="")
    obligation_code: Mapped[str] = mapped_column(String(64))
    due: Mapped[dt.date] = mapped_column(Date)
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    by: Mapped[str] = mapped_column(String(120), default="")


class Holiday(Base):
    __tablename__ = "holidays"
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(16), default="user")  # seed | user


Index(
    "ix_form_submissions_programme_form_period",
    FormSubmission.programme_id,
    FormSubmission.form_code,
    FormSubmission.period,
)
