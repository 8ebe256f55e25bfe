"""`kiosk admin ideas [add]` and `kiosk admin idea VERB ID`: ideas without the touchscreen.

They work on ideas.sqlite directly, whether the kiosk runs or not; the kiosk
shows the change with its next refresh. Every change goes through the domain
(IdeaStore.submit, kiosk.ideas.moderation), as on the kiosk's staff tabs.
"""

from __future__ import annotations

import json

from kiosk.errors import ConfigError
from kiosk.ideas import moderation
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
        text = _short(row["text"])
        if row["answer"]:
            text += "  ↳ " + _short(row["answer"])
        print(f"{row['id']:>5}  {row['created'][:16].replace('T', ' '):<17} {row['state']:<9} "
              f"{row['status']:<12} {row['plus_ones']:>4}  {row['category']:<8} {'✉' if row['has_contact'] else ' '} {text}")
    pending = sum(1 for row in rows if row["state"] == "pending")
    if pending and not args.pending:
        print(f"{pending} waiting: kiosk admin idea approve ID  (or reject ID)")
    return 0


def add_idea(config, args) -> int:
    with IdeaStore.open(config) as store:
        idea = store.submit(args.text, args.category, contact=args.contact, consent=args.consent, lang=args.lang)
    print(f"Idea #{idea.number} added; it waits for approval: kiosk admin idea approve {idea.number}")
    return 0


def moderate(config, args) -> int:
    idea_id = _idea_id(args.id)
    action = args.verb
    with IdeaStore.open(config) as store:
        if action == "contact":
            contact = store.contact_of(idea_id)
            print(contact if contact else f"Idea #{idea_id} has no contact; its author stays anonymous.")
            return 0
        if action == "forget_contact":
            store.forget_contact(idea_id)
            print(f"Idea #{idea_id}: contact erased.")
            return 0
        if action == "answer":
            if args.text is None:
                raise ConfigError("--text", "answer needs the answer's text", "add --text \"…\" (empty to take it back)")
            answered = moderation.answer(store, idea_id, args.text)
            idea = answered.idea
            if answered.mailed:
                print(f"Idea #{idea_id}: its author gets this answer by e-mail (kiosk console sends it, "
                      "then erases the contact).")
            elif answered.tell_author:
                print(f"Idea #{idea_id}: its author left a contact and would like to hear this answer: "
                      f"kiosk admin idea contact {idea_id}")
        elif action == "approve":
            idea = moderation.approve(store, idea_id)
        elif action == "reject":
            idea = moderation.reject(store, idea_id)
        else:
            idea = moderation.set_status(store, idea_id, action)
    shown = "on the public wall" if idea.public else "not shown publicly"
    answer = f" Answer: {idea.answer}" if idea.answer else ""
    print(f"Idea #{idea.id}: {idea.state}, {idea.status.replace('_', ' ')} — {shown}.{answer}")
    return 0


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TEXT_WIDTH else text[:TEXT_WIDTH - 1] + "…"


def _idea_id(text: str) -> int:
    if not text.strip().lstrip("#").isdigit():
        raise ConfigError("ID", f"{text!r} is not an idea number", "use the number shown by `kiosk admin ideas`")
    return int(text.strip().lstrip("#"))
