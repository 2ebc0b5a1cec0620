"""SQLAlchemy 2 typed models.

Records that travel between offices (``Synced``) carry a UUID, the owner office's code, a
revision, updated-at/by and a tombstone flag; the store bumps revision and stamps
updated-at/by on every local change (see ``db.store``), and a package import writes them as
received. Local-only tables (settings, audit log) do not travel.

Area modules may add models in ``db/models_<area>.py`` on the same ``Base``; Alembic owns the
schema (``db/migrations``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    and_,
    column,
    func,
    literal,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from lev_desktop.domain.form_status import FormStatus
from lev_desktop.domain.validation import BLANK_CHARS

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_uuid() -> str:
    return str(uuid.uuid4())


def _system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# The one clock behind every stamp (created/updated, audit, export watermarks, imports): a
# test sets its own (the ``clock`` fixture) instead of sleeping.
clock: Callable[[], dt.datetime] = _system_clock


def utcnow() -> dt.datetime:
    """Now in UTC, naive, to the second (as stored)."""
    return clock().astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class Synced:
    """Columns every travelling record has.

    ``revision`` is also the ORM's version counter: an UPDATE says ``WHERE revision = <the
    revision this session read>``, so when two workstations on one server save the same record
    at the same moment, the second finds no row and is refused (``db.store`` turns that into
    ``StaleRecordError``). The store's flush hook sets the new revision itself.
    """

    if TYPE_CHECKING:
        __tablename__: str  # every model that mixes this in has a table

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    owner_office: Mapped[str] = mapped_column(String(32), index=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(120), default="")
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - a class-level directive
        table = cls.__table__  # type: ignore[attr-defined]  # the mapped class's, at mapping
        return {"version_id_col": table.c.revision, "version_id_generator": False}


class Office(Synced, Base):
    """An office at any level. ``code`` is the business key used in packages and the CLI."""

    __tablename__ = "offices"
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))  # domain.offices.Level
    lao_type: Mapped[str | None] = mapped_column(String(32))  # domain.offices.LaoType
    province_code: Mapped[str | None] = mapped_column(String(2))  # DOPA code (geothai)
    district_code: Mapped[str | None] = mapped_column(String(4))  # DOPA code (geothai)
    parent_code: Mapped[str | None] = mapped_column(String(32), index=True)  # office it reports to
    phone: Mapped[str] = mapped_column(String(60), default="")
    public_key: Mapped[str | None] = mapped_column(Text)  # Ed25519, base64 raw bytes


class Programme(Synced, Base):
    """A programme created by a directive letter, with its obligations, forms and indicators.

    ``spec`` holds the template (see ``lev_desktop.domain.templates``): obligations with
    deadline rules per level, forms, indicators with types/units/validation.
    """

    __tablename__ = "programmes"
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(Text)
    short_name: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(32))
    fiscal_year: Mapped[int | None] = mapped_column(Integer)
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    template_code: Mapped[str | None] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    letter: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    spec: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    @property
    def display_name(self) -> str:
        """The name a person reads in lists and headings: the short name, else the full one."""
        return self.short_name or self.name


class Letter(Synced, Base):
    """An incoming letter in the office's register (เลขรับ)."""

    __tablename__ = "letters"
    receipt_no: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime)
    letter_no: Mapped[str] = mapped_column(String(80), default="")
    letter_date: Mapped[dt.date | None] = mapped_column(Date)
    from_org: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    programme_id: Mapped[str | None] = mapped_column(ForeignKey("programmes.id"))
    note: Mapped[str] = mapped_column(Text, default="")


class Plan(Synced, Base):
    """F1 action plan header: one per office, programme and fiscal year."""

    __tablename__ = "plans"
    # unique among live records: a tombstone keeps its key (a record entered again after a
    # reinstall replaces the earlier one; db/migrations 0007)
    __table_args__ = (
        Index(
            "ux_plans_live_natural_key",
            "owner_office",
            "programme_id",
            "fiscal_year",
            unique=True,
            sqlite_where=text("deleted = 0"),
            postgresql_where=text("deleted = false"),
        ),
    )
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)  # BE
    status: Mapped[str] = mapped_column(String(16), default=FormStatus.DRAFT)
    note: Mapped[str] = mapped_column(Text, default="")
    items: Mapped[list[PlanItem]] = relationship(
        back_populates="plan", order_by="PlanItem.seq", lazy="selectin"
    )


class PlanItem(Synced, Base):
    """F1 row: one project of the action plan, with the eight official columns."""

    __tablename__ = "plan_items"
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    project: Mapped[str] = mapped_column(Text, default="")
    objective: Mapped[str] = mapped_column(Text, default="")
    target: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(Text, default="")
    budget: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    no_budget: Mapped[bool] = mapped_column(Boolean, default=False)
    kpi: Mapped[str] = mapped_column(Text, default="")
    expected_result: Mapped[str] = mapped_column(Text, default="")
    planned_activities: Mapped[int] = mapped_column(Integer, default=1)
    plan: Mapped[Plan] = relationship(back_populates="items")


class Activity(Synced, Base):
    """F2: an activity actually held against a plan row."""

    __tablename__ = "activities"
    plan_item_id: Mapped[str] = mapped_column(ForeignKey("plan_items.id"), index=True)
    title: Mapped[str] = mapped_column(Text, default="")
    held_on: Mapped[dt.date | None] = mapped_column(Date)
    held_until: Mapped[dt.date | None] = mapped_column(Date)
    place: Mapped[str] = mapped_column(Text, default="")
    participants: Mapped[int | None] = mapped_column(Integer)
    outputs: Mapped[str] = mapped_column(Text, default="")
    budget_spent: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    problems: Mapped[str] = mapped_column(Text, default="")
    remedies: Mapped[str] = mapped_column(Text, default="")
    attachments: Mapped[list[Any]] = mapped_column(JSON, default=list)

    @classmethod
    def held(cls) -> ColumnElement[bool]:
        """An activity counts as held (done / planned, F3's number of activities, the board)
        when it has a date and a result — ``domain.validation.activity_held`` in SQL: see
        ``held``."""
        return held(cls.held_on, cls.outputs)


def held(held_on: Any, outputs: Any) -> ColumnElement[bool]:
    """An activity with this date and result counts as held (``Activity.held()``, or the
    board's ``activity_board``) — ``domain.validation.activity_held`` in SQL.

    A result is a text with something besides ``BLANK_CHARS`` (a line break or a no-break
    space alone is blank, as on the screens). A text whose first character is not blank is
    a result at once; only the others are trimmed (``ltrim(x, blank) != ''``): over the
    nation's 83,000 activities the board's count takes 57 ms this way, 67 ms trimming every
    text with the set, 49 ms with the spaces-only ``ltrim(x)`` that let "\n" pass."""
    return and_(
        held_on.is_not(None),
        func.coalesce(outputs, "") != "",
        or_(
            func.substr(outputs, 1, 1).not_in(list(BLANK_CHARS)),
            func.ltrim(outputs, literal(BLANK_CHARS)) != "",
        ),
    )


# The activities as the consolidation board reads them (db/migrations 0011): each carries the
# programme, fiscal year and owner of its plan while its plan row and plan are live (NULL
# otherwise), so one covering index (``ix_activities_board_key``) gives every LAO's figures
# without joining plan → rows → activities. The ``board_*`` columns are derived, kept in step
# by the database's triggers on every write to activities, plan rows and plans: they are not
# part of the record, so ``Activity`` does not name them (nothing writes them, and they never
# travel in a package).
activity_board = table(
    "activities",
    column("board_programme_id", String(36)),
    column("board_fiscal_year", Integer),
    column("board_owner", String(32)),
    column("deleted", Boolean),
    column("held_on", Date),
    column("outputs", Text),
    column("participants", Integer),
    column("budget_spent", Numeric(14, 2)),
)


def held_counts(programme_id: str, fiscal_year: int, owners: Any = None) -> Any:
    """(owner, activities held) for each LAO's live plan of one programme and year, by the
    board key: F3's number of activities on its screen and in its report, and the LAO list
    beside the plan screens, read this one query (``owners``: only these offices)."""
    board = activity_board.c
    query = select(board.board_owner, func.count()).where(
        board.board_programme_id == programme_id,
        board.board_fiscal_year == fiscal_year,
        board.deleted.is_(False),
        held(board.held_on, board.outputs),
    )
    if owners is not None:
        query = query.where(board.board_owner.in_(owners))
    return query.group_by(board.board_owner)


class Monitoring(Synced, Base):
    """F3 milestones of the LEV programme for one LAO and fiscal year."""

    __tablename__ = "monitoring"
    # unique among live records: a tombstone keeps its key (a record entered again after a
    # reinstall replaces the earlier one; db/migrations 0007)
    __table_args__ = (
        Index(
            "ux_monitoring_live_natural_key",
            "owner_office",
            "programme_id",
            "fiscal_year",
            unique=True,
            sqlite_where=text("deleted = 0"),
            postgresql_where=text("deleted = false"),
        ),
    )
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    committee_selected_on: Mapped[dt.date | None] = mapped_column(Date)
    committee_met_on: Mapped[dt.date | None] = mapped_column(Date)
    plan_made_on: Mapped[dt.date | None] = mapped_column(Date)
    activities_override: Mapped[int | None] = mapped_column(Integer)
    override_reason: Mapped[str] = mapped_column(Text, default="")
    reported_on: Mapped[dt.date | None] = mapped_column(Date)
    notice_posted_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")


class KpiValue(Synced, Base):
    """One value of an indicator, keyed by (office, programme, indicator, period, row).

    ``period`` is ``FY2568`` (a fiscal year), ``2025-07`` (a month) or ``2025-09-15`` (a
    reporting round); ``row_key`` separates repeated groups such as several Soft-Power
    products of one LAO ('' when the indicator is not repeated).
    """

    __tablename__ = "kpi_values"
    # unique among live records: a tombstone keeps its key (a record entered again after a
    # reinstall replaces the earlier one; db/migrations 0007)
    __table_args__ = (
        Index(
            "ux_kpi_values_live_natural_key",
            "owner_office",
            "programme_id",
            "indicator_code",
            "period",
            "row_key",
            unique=True,
            sqlite_where=text("deleted = 0"),
            postgresql_where=text("deleted = false"),
        ),
    )
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    indicator_code: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(16))
    row_key: Mapped[str] = mapped_column(String(36), default="")
    value_num: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    value_text: Mapped[str | None] = mapped_column(Text)
    value_date: Mapped[dt.date | None] = mapped_column(Date)


class FormSubmission(Synced, Base):
    """The state of one form of an office for one period: draft / complete / sent / returned."""

    __tablename__ = "form_submissions"
    # unique among live records: a tombstone keeps its key (a record entered again after a
    # reinstall replaces the earlier one; db/migrations 0007)
    __table_args__ = (
        Index(
            "ux_form_submissions_live_natural_key",
            "owner_office",
            "programme_id",
            "form_code",
            "period",
            unique=True,
            sqlite_where=text("deleted = 0"),
            postgresql_where=text("deleted = false"),
        ),
    )
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    form_code: Mapped[str] = mapped_column(String(32))
    period: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=FormStatus.DRAFT)
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Review(Synced, Base):
    """A higher office's comment on, or return for correction of, a lower office's form."""

    __tablename__ = "reviews"
    target_office: Mapped[str] = mapped_column(String(32), index=True)
    target_kind: Mapped[str] = mapped_column(String(32))  # table name or form code
    target_id: Mapped[str] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(16))  # comment | returned | accepted
    text: Mapped[str] = mapped_column(Text, default="")


class AuditEntry(Base):
    """Who changed what, when. Local to this database; never travels."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    officer: Mapped[str] = mapped_column(String(120), default="")
    office: Mapped[str] = mapped_column(String(32), default="")
    table_name: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36), index=True)
    action: Mapped[str] = mapped_column(String(16))  # insert | update | delete | import
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Setting(Base):
    """Local settings of this workstation and database (this office, officer name, …)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


SYNCED_MODELS: tuple[type[Base], ...] = (
    Office,
    Programme,
    Letter,
    Plan,
    PlanItem,
    Activity,
    Monitoring,
    KpiValue,
    FormSubmission,
    Review,
)
