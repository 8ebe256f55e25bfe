"""`kiosk admin staff …`: the console's accounts, from the Pi's command line.

The audit log names the changer "kiosk admin" (plus the Unix user), since whoever runs
this has the Pi itself in hand.
"""

from __future__ import annotations

import getpass
import sys

from kiosk.errors import ConfigError
from kiosk.staff.accounts import MIN_PASSWORD, StaffAccounts, check_name, check_password


def add(config, args) -> int:
    name = check_name(args.name)
    password = _password(args)
    with StaffAccounts.open(config) as accounts:
        accounts.add(name, password, by=_who())
    print(f"Staff account {name} is ready; log in at the console with it.")
    return 0


def list_accounts(config, args) -> int:
    with StaffAccounts.open(config) as accounts:
        rows = accounts.accounts()
    if not rows:
        print("No staff accounts yet: kiosk admin staff add NAME")
        return 0
    print(f"{'name':<20} {'created (UTC)':<17} {'password set':<17} state")
    for row in rows:
        state = f"locked for {row.locked_for_s / 60:.0f} min" if row.locked_for_s else "ok"
        print(f"{row.name:<20} {row.created[:16].replace('T', ' '):<17} "
              f"{row.password_set[:16].replace('T', ' '):<17} {state}")
    return 0


def password(config, args) -> int:
    with StaffAccounts.open(config) as accounts:
        if not accounts.exists(args.name):
            raise ConfigError("NAME", f"there is no staff account {args.name!r}", "see kiosk admin staff list")
        accounts.set_password(args.name, _password(args), by=_who())
    print(f"The password of {args.name} is changed; its open sessions have ended.")
    return 0


def remove(config, args) -> int:
    with StaffAccounts.open(config) as accounts:
        accounts.remove(args.name, by=_who())
    print(f"Staff account {args.name} is removed.")
    return 0


def _password(args) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        return check_password(line.rstrip("\r\n"))
    if not sys.stdin.isatty():
        raise ConfigError("--password-stdin", "no terminal to ask for the password on",
                          "pipe it in: echo PASSWORD | kiosk admin staff add NAME --password-stdin")
    first = getpass.getpass(f"Password (at least {MIN_PASSWORD} characters): ")
    check_password(first)
    if getpass.getpass("Once more: ") != first:
        raise ConfigError("password", "the two passwords differ", "run the command again")
    return first


def _who() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "?"
    return f"kiosk admin ({user})"
