"""What an operation changed (Qt-free), after Anki's ``OpChanges``.

Every write the GUI makes ends with one ``Changes`` value handed to ``AppContext.notify``;
every screen, badge and board reacts to the kinds it shows, instead of listening for
hand-typed area strings. ``states`` says whether obligation states may have moved (nearly
every change: a form edited, a package sent or received, a mark, a holiday, an office).
``source`` is the widget that made the change: it does not reload itself under the person
who is typing.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any


@dataclass(frozen=True)
class Changes:
    plans: bool = False  # action-plan rows (F1)
    activities: bool = False  # activities and results (F2)
    monitoring: bool = False  # monitoring milestones (F3)
    kpi: bool = False  # indicator values and products
    forms: bool = False  # a form marked complete / draft, a return for correction
    exchange: bool = False  # a package written or imported, keys, conflicts
    marks: bool = False  # an obligation marked by hand
    holidays: bool = False
    offices: bool = False  # this office, the LAO list, "reports to", "using the app since"
    programmes: bool = False  # programmes, their rules, the letter register
    settings: bool = False
    source: Any = None

    @property
    def states(self) -> bool:
        """Whether any obligation state may have changed (badges, calendar, board, lists)."""
        return any(getattr(self, f.name) for f in fields(self) if f.name != "source")

    def __or__(self, other: Changes) -> Changes:
        merged = {
            f.name: getattr(self, f.name) or getattr(other, f.name)
            for f in fields(self)
            if f.name != "source"
        }
        return Changes(**merged, source=self.source or other.source)

    def by(self, source: Any) -> Changes:
        return replace(self, source=source)

    def caused_by(self, widget: Any) -> bool:
        """The change was made by ``widget`` or by one of its children."""
        source = self.source
        if source is None or widget is None:
            return False
        if source is widget:
            return True
        is_ancestor = getattr(widget, "isAncestorOf", None)
        return bool(is_ancestor and is_ancestor(source))


EVERYTHING = Changes(**{f.name: True for f in fields(Changes) if f.name != "source"})

__all__ = ["EVERYTHING", "Changes"]
