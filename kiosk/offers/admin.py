"""`kiosk admin offers`: what the kiosk would show now, and what is wrong with the sources."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from kiosk.offers import describe_when, load_catalogue, offers_path


def offers(config, args) -> int:
    now = datetime.now(timezone.utc)
    catalogue = load_catalogue(config, now)
    if args.json:
        rows = [{
            "id": o.id, "title": o.title, "provider": o.provider, "place": o.place,
            "when": describe_when(o, args.lang, now),
            "next": [t.isoformat() for t in o.next_date(now)] if o.next_date(now) else None,
            "audiences": list(o.audiences), "topics": list(o.topics), "free": o.free,
            "example": o.example, "source": o.source,
        } for o in catalogue.offers]
        print(json.dumps({"offers": rows, "problems": catalogue.problems}, ensure_ascii=False, indent=2))
        return 0
    print(f"{len(catalogue.offers)} offers from {offers_path(config)}"
          + (f" and {len(catalogue.feeds)} calendar feed(s)" if catalogue.feeds else ""))
    for o in catalogue.offers:
        mark = "  [BEISPIEL – bitte ersetzen]" if o.example else ""
        print(f"- {o.text('title', args.lang)} — {describe_when(o, args.lang, now)}{mark}")
    for problem in catalogue.problems:
        print(f"! {problem}")
    return 0
