"""The ideas' part of the `kiosk` command line (argparse only; work is imported lazily)."""

from __future__ import annotations

import argparse

from kiosk.command_handlers import lazy

# Command-line verbs -> what `kiosk.ideas.admin.moderate` does. Resolved here, while parsing, so
# the work module never imports this one (no cycle).
VERBS = {
    "approve": "approve",
    "reject": "reject",
    "progress": "in_progress",
    "done": "implemented",
    "not-possible": "not_possible",
    "new": "new",
    "answer": "answer",
    "contact": "contact",
    "forget-contact": "forget_contact",
}


def _verb(text: str) -> str:
    if text not in VERBS:
        raise argparse.ArgumentTypeError(f"{text!r} is not one of {', '.join(VERBS)}")
    return VERBS[text]


def register(commands, admin) -> None:
    ideas = admin.add_parser("ideas", help="residents' ideas: list them (newest last), or add one")
    ideas.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ideas.add_argument("--pending", action="store_true", help="only ideas waiting for approval")
    ideas.set_defaults(run=lazy("kiosk.ideas.admin", "list_ideas"))
    more = ideas.add_subparsers(dest="ideas_task", metavar="{add}")
    add = more.add_parser("add", help="add an idea brought to the office (on paper, or told at the counter)",
                          description="The idea is checked as on the kiosk and waits for approval like any other.")
    add.add_argument("--text", required=True, help="the idea, in the author's words")
    add.add_argument("--category", required=True, help="its topic; a wrong one is answered with the list")
    add.add_argument("--contact", default="", help="phone or e-mail for an answer (needs --consent)")
    add.add_argument("--consent", action="store_true", help="the author agreed that the office keeps the contact")
    add.add_argument("--lang", default="", help="the language the author used, e.g. de, tr (for the answer)")
    add.set_defaults(run=lazy("kiosk.ideas.admin", "add_idea"))

    idea = admin.add_parser(
        "idea", help="moderate one idea",
        description="approve/reject: show it on the public wall or not; progress/done/not-possible/new: what became "
                    "of it; answer --text T: a short public answer shown with it (an empty text takes it back); "
                    "contact: show the contact its author left (with consent); forget-contact: erase it.")
    idea.add_argument("verb", type=_verb, metavar="{" + ",".join(VERBS) + "}")
    idea.add_argument("id", metavar="ID", help="the idea's number, see `kiosk admin ideas`")
    idea.add_argument("--text", help="with answer: the public answer")
    idea.set_defaults(run=lazy("kiosk.ideas.admin", "moderate"))
