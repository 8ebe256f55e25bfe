"""What every staff tab is: built by the staff screen, told when it is left or staff mode closes."""

from __future__ import annotations


class StaffTab:
    """A tab of the staff screen; `screen` gives it labels, panels, `say` and `send`."""

    live: tuple[str, ...] = ()      # kinds of live data that redraw the tab while it is shown

    def __init__(self, screen):
        self.screen = screen
        self.reset()

    def build(self):
        raise NotImplementedError

    def leave(self) -> None:
        """Another tab is chosen."""

    def reset(self) -> None:
        """Staff mode closed (leave, idle)."""
