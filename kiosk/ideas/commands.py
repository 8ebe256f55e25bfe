"""The ideas' part of the `kiosk` command line (argparse only; work is imported lazily)."""

from __future__ import annotations

from kiosk.command_handlers import lazy

# Command-line verbs -> IdeaStore.moderate actions (and two for contacts).
VERBS = {
    "approve": "approve",
    "reject": "reject",
    "progress": "in_progress",
    "done": "implemented",
    "new": "new",
    "contact": "contact",
    "forget-contact": "forget_contact",
}


def register(commands, admin) -> None:
    ideas = admin.add_parser("ideas", help="residents' ideas: list them, newest last")
    ideas.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ideas.add_argument("--pending", action="store_true", help="only ideas waiting for approval")
    ideas.set_defaults(run=lazy("kiosk.ideas.admin", "list_ideas"))

    idea = admin.add_parser(
        "idea", help="moderate one idea",
        description="approve/reject: show it on the public wall or not; progress/done/new: what became "
                    "of it; contact: show the contact its author left (with consent); forget-contact: erase it.")
    idea.add_argument("verb", choices=tuple(VERBS), metavar="{approve,reject,progress,done,new,contact,forget-contact}")
    idea.add_argument("id", metavar="ID", help="the idea's number, see `kiosk admin ideas`")
    idea.set_defaults(run=lazy("kiosk.ideas.admin", "moderate"))
