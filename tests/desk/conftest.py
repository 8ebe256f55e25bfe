"""Fixtures of the library desk: the stand-ins for the DNB and Open Library, and a station
config pointing at them.

For other suites (the console's register-a-stack page): use the `stand_ins` fixture (import it
in your conftest: `from tests.desk.conftest import stand_ins`) and append
`stand_ins.desk_toml()` to your station.toml, or call `desk_config(tmp_path, stand_ins)`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import config as config_mod
from tests.desk import stand_ins as stand_ins_mod

# Made-up examples with valid ISBNs; the titles are well-known children's books.
SAMS = dict(isbn="9783789142062", title="Eine Woche voller Samstage", author="Maar, Paul",
            publisher="Oetinger", year="1973", audience="ab 8 Jahren", subjects=("Kinderbuch",), cover=True)
GRUFFALO = dict(isbn="9780333710937", title="The Gruffalo", author="Donaldson, Julia", publisher="Macmillan",
                year="1999", subjects=("Juvenile fiction", "Picture books"), source="openlibrary")


@pytest.fixture
def stand_ins():
    """Running stand-ins (tests/desk/stand_ins.py): `.dnb_url`, `.openlibrary_url`, `.covers_url`,
    `.add_book(...)`, `.mode = "slow"`, `.modes["dnb"] = "html"`, `.count("dnb")`, `.desk_toml()`."""
    state, server = stand_ins_mod.start()
    try:
        yield state
    finally:
        stand_ins_mod.stop(state, server)


def desk_config(folder: Path, stand_ins, *, timeout_s: float = 2.0, online: bool = True) -> config_mod.Config:
    """A station config in `folder` (data in folder/data) whose [desk] asks the stand-ins."""
    path = Path(folder) / "station.toml"
    path.write_text('[station]\nid = "test-1"\ndata_dir = "data"\n'
                    + stand_ins.desk_toml(timeout_s=timeout_s, online=online), encoding="utf-8")
    return config_mod.load(path)
