"""`kiosk admin ideas` and `kiosk admin idea VERB ID`: moderation without the touchscreen.

They work on ideas.sqlite directly, whether the kiosk runs or not; the kiosk
shows the change with its next refresh.
"""

from __future__ import annotations

import json

from kiosk.errors import ConfigError
from kiosk.ideas.commands import VERBS
from kiosk.ideas.store import IdeaStore

TEXT_WIDTH = 60


def list_ideas(config, args) -> int:
    with IdeaStore.open(config) as store:
        rows = store.export_rows(pending_only=args.pending)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("No ideas waiting." if args.pending else "No ideas yet.")
        return 0
    print(f"{'#':>5}  {'created (UTC)':<17} {'state':<9} {'status':<12} {'+1':>4}  {'category':<8} ✉ text")
    for row in rows:
        text = " ".join(row["text"].split())
        if len(text) > TEXT_WIDTH:
            text = text[:TEXT_WIDTH - 1] + "…"
        print(f"{row['id']:>5}  {row['created'][:16].replace('T', ' '):<17} {row['state']:<9} "
              f"{row['status']:<12} {row['plus_ones']:>4}  {row['category']:<8} {'✉' if row['has_contact'] else ' '} {text}")
    pending = sum(1 for row in rows if row["state"] == "pending")
    if pending and not args.pending:
        print(f"{pending} waiting: kiosk admin idea approve ID  (or reject ID)")
    return 0


def moderate(config, args) -> int:
    idea_id = _idea_id(args.id)
    action = VERBS[args.verb]
    with IdeaStore.open(config) as store:
        if action == "contact":
            contact = store.contact_of(idea_id)
            print(contact if contact else f"Idea #{idea_id} has no contact; its author stays anonymous.")
            return 0
        if action == "forget_contact":
            store.forget_contact(idea_id)
            print(f"Idea #{idea_id}: contact erased.")
            return 0
        idea = store.moderate(idea_id, action)
    shown = "on the public wall" if idea.state == "approved" else "not shown publicly"
    print(f"Idea #{idea.id}: {idea.state}, {idea.status.replace('_', ' ')} — {shown}.")
    return 0


def _idea_id(text: str) -> int:
    if not text.strip().lstrip("#").isdigit():
        raise ConfigError("ID", f"{text!r} is not an idea number", "use the number shown by `kiosk admin ideas`")
    return int(text.strip().lstrip("#"))
