"""The station's side of the fleet link: config/fleet/bridge.conf.example filled in from
station.toml (`kiosk fleet bridge`)."""

from __future__ import annotations

import re
from pathlib import Path

from kiosk.bus.topics import Topics
from kiosk.errors import KioskError
from kiosk.fleet.district import topic_filters

# The checkout this runs from, the copy the installer keeps in /opt/kiosk/src, or a
# checkout one stands in (a central server with the package installed by pip).
_CHECKOUT = Path(__file__).resolve().parents[2]
TEMPLATE_PLACES = (_CHECKOUT / "config/fleet", Path("/opt/kiosk/src/config/fleet"), Path("config/fleet"))
ADDRESS = re.compile(r"^[A-Za-z0-9.-]+:[0-9]{1,5}$")


class FleetError(KioskError):
    """A fleet file cannot be made as asked; the message says why and what to do."""


def template(name: str) -> str:
    for folder in TEMPLATE_PLACES:
        if (folder / name).is_file():
            return (folder / name).read_text(encoding="utf-8")
    raise FleetError(f"config/fleet/{name} is missing: run the command in a checkout of the station's source")


def render(topics: Topics, central: str, password: str, text: str | None = None) -> str:
    """The bridge configuration of the station `topics` is of, to the central broker at
    `central` (host:port), logging in with `password`."""
    if not ADDRESS.fullmatch(central) or central.startswith(("-", ".")):
        raise FleetError(f"--central must be host:port, e.g. central.example.org:8883 (not {central!r})")
    if not password or any(c.isspace() for c in password):
        raise FleetError("the password file must hold the station's password on one line, without spaces")
    lines = "\n".join(f"topic {topic_filter} out 1" for topic_filter in topic_filters(topics))
    values = {"@CENTRAL@": central, "@STATION@": topics.station, "@BASE@": topics.base,
              "@PASSWORD@": password, "@TOPICS@": lines}
    text = template("bridge.conf.example") if text is None else text
    return re.sub("|".join(values), lambda match: values[match.group(0)], text)


def run(config, args) -> int:
    """`kiosk fleet bridge`: print the station's bridge configuration."""
    try:
        password = Path(args.password_file).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise FleetError(f"cannot read the password file {args.password_file}: {exc.strerror}") from None
    print(render(Topics.of(config), args.central, password), end="")
    return 0
