"""The A4 label sheets the labels are laid out for: the one home of their measures.

Measures in millimetres from the makers' data sheets: a label's size, how many across and down,
where the first one starts (from the sheet's left and top edge) and the step to the next one
(label plus gap). A sheet with no gaps has its step equal to the label.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.errors import BadChoice

A4_MM = (210.0, 297.0)


@dataclass(frozen=True)
class Sheet:
    name: str               # what staff type or pick, e.g. "3474"
    title: str              # what the form shows
    width: float            # one label, mm
    height: float
    across: int
    down: int
    left: float             # first label's left edge from the sheet's left edge, mm
    top: float              # first label's top edge from the sheet's top edge, mm
    step_x: float
    step_y: float

    @property
    def per_sheet(self) -> int:
        return self.across * self.down

    def position(self, slot: int) -> tuple[float, float]:
        """(left, top) in mm from the sheet's top-left corner of label `slot` (0 = top left, by rows)."""
        row, column = divmod(slot % self.per_sheet, self.across)
        return self.left + column * self.step_x, self.top + row * self.step_y


SHEETS: dict[str, Sheet] = {sheet.name: sheet for sheet in (
    Sheet("3474", "Avery Zweckform 3474 (70 × 37 mm, 24 je Bogen)", 70, 37, 3, 8, 0, 0.5, 70, 37),
    Sheet("3475", "Avery Zweckform 3475 (70 × 36 mm, 24 je Bogen)", 70, 36, 3, 8, 0, 4.5, 70, 36),
    Sheet("3422", "Avery Zweckform 3422 (70 × 35 mm, 24 je Bogen)", 70, 35, 3, 8, 0, 8.5, 70, 35),
    Sheet("L7160", "Avery L7160 (63,5 × 38,1 mm, 21 je Bogen)", 63.5, 38.1, 3, 7, 7.21, 15.15, 66.04, 38.1),
    Sheet("L7163", "Avery L7163 (99,1 × 38,1 mm, 14 je Bogen)", 99.1, 38.1, 2, 7, 4.65, 15.15, 101.6, 38.1),
)}
DEFAULT = "3474"


def sheet_named(name: str) -> Sheet:
    """The sheet of that name (case and spaces do not matter); raises BadChoice."""
    wanted = "".join(str(name).split()).upper()
    for sheet in SHEETS.values():
        if sheet.name.upper() == wanted:
            return sheet
    raise BadChoice("sheet", f"no label sheet is called {str(name)[:20]!r}; choose one of {', '.join(SHEETS)}")
