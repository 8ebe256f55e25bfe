"""The staff accounts' part of the `kiosk` command line (argparse only; work is imported lazily)."""

from __future__ import annotations

from kiosk.command_handlers import lazy


def register(commands, admin) -> None:
    staff = admin.add_parser("staff", help="accounts for the staff console: add, list, password, remove")
    tasks = staff.add_subparsers(dest="staff_task", metavar="TASK", required=True)
    add = tasks.add_parser("add", help="a new staff account (asks for its password)")
    add.add_argument("name", metavar="NAME", help="login name, e.g. anna (a-z, 0-9, '.', '_', '-')")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of standard input instead of asking")
    add.set_defaults(run=lazy("kiosk.staff.admin", "add"))
    tasks.add_parser("list", help="every account, and whether it is locked") \
        .set_defaults(run=lazy("kiosk.staff.admin", "list_accounts"))
    password = tasks.add_parser("password", help="set a new password (ends the account's sessions, lifts a lock)")
    password.add_argument("name", metavar="NAME")
    password.add_argument("--password-stdin", action="store_true",
                          help="read the password from the first line of standard input instead of asking")
    password.set_defaults(run=lazy("kiosk.staff.admin", "password"))
    remove = tasks.add_parser("remove", help="delete an account (its sessions end at once)")
    remove.add_argument("name", metavar="NAME")
    remove.set_defaults(run=lazy("kiosk.staff.admin", "remove"))
