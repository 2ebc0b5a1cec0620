"""Tables of the deadline calendar and of the obligation states (local to this workstation's
database; they do not travel). Together with the travelling records they are the facts
``lev_desktop.domain.obligation_state`` judges:

- ``obligation_marks``: a manual mark, with its reason, that an obligation was sent (or
  done, or at an office above: received) outside the app — on paper, by LINE, by e-mail;
  audit-logged.
- ``form_deliveries``: a package that carried an office's complete form: ``sent`` (written by
  this office's export to the office above on the route) or ``received`` (an import here).
- ``office_since``: the day an office began using the app (or was added to this office's
  list); obligations that fell due before it are not applicable to it.
- ``holidays``: public holidays, seeded with Thai holidays 2564–2570 and editable, used to
  flag due days that fall on a day the office is closed.

It also indexes ``form_submissions`` by (programme, form, period): the calendar and the
completeness board read one form of one period for every LAO (halves the national month).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models import Base, FormSubmission, KpiValue, Office, Plan, PlanItem, utcnow


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
    reason: Mapped[str] = mapped_column(Text, default="")


class FormDelivery(Base):
    """A package (or an Excel form) that carried one office's complete form for one period."""

    __tablename__ = "form_deliveries"
    __table_args__ = (
        UniqueConstraint(
            "direction",
            "owner_office",
            "programme_id",
            "form_code",
            "period",
            "package_uuid",
            name="uq_form_deliveries_direction",
        ),
        Index("ix_form_deliveries_form", "programme_id", "form_code", "period"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    direction: Mapped[str] = mapped_column(String(8))  # sent | received
    owner_office: Mapped[str] = mapped_column(String(32))  # whose form
    programme_id: Mapped[str] = mapped_column(String(36))
    form_code: Mapped[str] = mapped_column(String(32))
    period: Mapped[str] = mapped_column(String(16))
    package_uuid: Mapped[str] = mapped_column(String(36), default="")
    counterpart: Mapped[str] = mapped_column(String(32), default="")  # recipient | sender
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # the package was made
    received_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # imported here
    via: Mapped[str] = mapped_column(String(8), default="package")  # package | excel | relay


class OfficeSince(Base):
    """The day an office began using the app here (set up, or added to the LAO list)."""

    __tablename__ = "office_since"
    office_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    since: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(16), default="setup")  # setup | list | user | demo


class Holiday(Base):
    __tablename__ = "holidays"
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(16), default="user")  # seed | user


# The obligation states read one form and period of every LAO: (status, days) from the index
# alone, in owner order (the national month view reads 7,850 of them per form).
Index(
    "ix_form_submissions_facts",
    FormSubmission.programme_id,
    FormSubmission.form_code,
    FormSubmission.period,
    FormSubmission.owner_office,
    FormSubmission.deleted,
    FormSubmission.status,
    FormSubmission.completed_at,
    FormSubmission.sent_at,
    FormSubmission.updated_at,
)

# Which LAO a form row belongs to (its type, whether it is under this office), from the index
# alone: the month view counts the LAOs of each form in one query joined on the code.
Index(
    "ix_offices_scope",
    Office.code,
    Office.level,
    Office.deleted,
    Office.lao_type,
    Office.province_code,
    Office.district_code,
)

# The consolidation board and the KPI list read one programme's values of one period for
# every LAO: summed per owner and indicator from the index alone.
Index(
    "ix_kpi_values_board",
    KpiValue.programme_id,
    KpiValue.period,
    KpiValue.owner_office,
    KpiValue.indicator_code,
    KpiValue.deleted,
    KpiValue.value_num,
    KpiValue.row_key,
)

# The board's plan figures (F1 budget and planned activities) of one programme and year for
# every LAO, joined plan → rows on the indexes alone (the nation: 35,000 rows), in owner order.
# Its F2 figures (and F3's, and the deadline engine's F2 work) read ``ix_activities_board_key``
# (migration 0011, which dropped 0010's ``ix_activities_board``): an index over the derived
# columns ``db.models.activity_board`` names, which the ``Activity`` model does not.
Index(
    "ix_plans_board",
    Plan.programme_id,
    Plan.fiscal_year,
    Plan.deleted,
    Plan.owner_office,
    Plan.id,
)
Index(
    "ix_plan_items_board",
    PlanItem.plan_id,
    PlanItem.deleted,
    PlanItem.id,
    PlanItem.budget,
    PlanItem.planned_activities,
)
