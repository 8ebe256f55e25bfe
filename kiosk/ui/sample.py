"""Sample content for `kiosk ui --screenshot DIR --sample`: docs screenshots and visual checks.

Nothing here touches the station's own data: sample ideas go to a temporary
folder, and the live values are applied to the app's memory only.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import math
from datetime import timedelta
from pathlib import Path

from kiosk.clock import iso
from kiosk.garden.spans import SPANS

log = logging.getLogger(__name__)

# The sample loan's book: its cover shows when data_dir/covers/<this>.jpg exists (kiosk/desk/covers.py).
SAMPLE_ISBN = "9783789141614"
SAMPLE_IDEAS = (
    ("play", "Eine Schaukel für kleine Kinder auf dem Spielplatz an der Kirche.", "implemented", 14),
    ("green", "Mehr Blumen und Bänke am Batenbrockpark, damit man sich ausruhen kann.", "in_progress", 9),
    ("meeting", "Ein Sprachcafé am Samstag: Deutsch üben und Nachbarn kennenlernen.", "new", 6),
    ("clean", "Mülleimer an der Bushaltestelle – dort liegt oft viel Müll.", "new", 3),
    ("other", "Çocuklar için ücretsiz bir yüzme kursu olsa çok güzel olur.", "new", 4),
    ("meeting", "نريد مكاناً يلتقي فيه الآباء والأمهات مع أطفالهم بعد المدرسة.", "new", 5),
    ("green", "Город­ський город для всіх сусідів: разом садити овочі.".replace("\u00ad", ""), "new", 2),
    ("other", "Ein Freibad mitten in Batenbrock.", "not_possible", 7),
)
SAMPLE_ANSWERS = {
    "Eine Schaukel für kleine Kinder auf dem Spielplatz an der Kirche.": "Die Schaukel steht seit Mai. Viel Spaß!",
    "Ein Freibad mitten in Batenbrock.": "Dafür fehlt leider der Platz. Das Hallenbad in der Stadtmitte ist nah.",
}


def config_in(config, folder: Path):
    """The same station with its data folder moved to `folder` (absolute)."""
    station = dataclasses.replace(config.station, data_dir=str(folder))
    return dataclasses.replace(config, station=station)


def cover(config) -> None:
    """A drawn cover for the sample loan's book, stored as the desk stores one (kiosk/desk/covers.py)."""
    import io

    from PIL import Image, ImageDraw

    from kiosk.desk import covers

    picture = Image.new("RGB", (120, 170), (233, 120, 40))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((10, 95, 110, 160), fill=(250, 214, 60))
    draw.ellipse((38, 20, 82, 64), fill=(200, 60, 40))           # the red braids' head, roughly
    draw.line((30, 42, 38, 42), fill=(200, 60, 40), width=6)
    draw.line((82, 42, 90, 42), fill=(200, 60, 40), width=6)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85)
    covers.store(config, SAMPLE_ISBN, out.getvalue())


def ideas(config):
    """An IdeaStore in config's data folder holding approved sample ideas."""
    from kiosk.ideas import IdeaStore

    ticks = itertools.count()
    store = IdeaStore.open(config, clock=lambda: 1_700_000_000 + 400 * next(ticks))
    for category, text, status, votes in SAMPLE_IDEAS:
        idea = store.submit(text, category)
        store.moderate(idea.id, "approve")
        if status != "new":
            store.moderate(idea.id, status)
        if text in SAMPLE_ANSWERS:
            store.set_answer(idea.id, SAMPLE_ANSWERS[text])
        for v in range(votes):
            store.plus_one(idea.id, f"sample-{v}")
    store.submit("Ein Trinkbrunnen vor dem Stadtteilbüro.", "other", contact="0170 000000", consent=True)
    return store


def offers(config) -> list:
    """Offers from offers.toml only (no calendar feeds: screenshots never wait for the network)."""
    try:
        from kiosk.offers import offers_path, read_offers_file
        return list(read_offers_file(offers_path(config), config.station.timezone))
    except Exception as exc:  # noqa: BLE001 — a screenshot run shows an empty list rather than failing
        log.warning("offers not readable for the screenshots: %s", exc)
        return []


def live(app) -> None:
    """A dry herb bed with an alert, its history, a loan just made, and the booth summary."""
    lv, t = app.live, app.live.topics
    now = app.now()
    node = app.station.garden.sensors[0].node if app.station.garden.sensors else "bed-1"
    lv.apply(t.status("garden"), "online", remember=False)
    lv.apply(t.status("booth"), "online", remember=False)
    lv.connected = True
    lv.apply(t.garden_state(node), {"ts": iso(now), "moisture": 24.0, "status": "dry"}, remember=False)
    lv.apply(t.garden_alert(node), {"active": True, "kind": "dry", "since": iso(now - timedelta(hours=3)),
                                    "moisture": 24.0, "acknowledged": False}, remember=False)
    for span in SPANS.values():
        count, bucket = span.points, span.bucket_s
        points = []
        for i in range(count):
            moment = now - timedelta(seconds=(count - i) * bucket)
            phase = (i / count) * (span.back_s / 86400)
            avg = 55 - 30 * (phase % 3) / 3 + 3 * math.sin(phase * 2 * math.pi)
            points.append({"ts": iso(moment), "min": round(avg - 3, 1), "avg": round(avg, 1),
                           "max": round(avg + 3, 1), "n": 4})
        lv.apply(t.garden_history(node, span.name), {"node": node, "span": span.name, "bucket_s": bucket, "points": points},
                 remember=False)
    lv.apply(t.booth_summary(), {"ts": iso(now), "active_loans": 23, "overdue": [
        {"book": {"id": 17, "title": "Die kleine Raupe Nimmersatt"}, "card": "Lesefuchs 4",
         "due": iso(now - timedelta(days=5))},
        {"book": {"id": 42, "title": "Das Sams"}, "card": "Bücherwurm 12", "due": iso(now - timedelta(days=2))}],
        "month": {"loans": 41, "returns": 37, "readers": 18, "new_books": 6}}, remember=False)
    lv.apply(t.booth_events(), {"type": "checkout", "ts": iso(now), "card": "Lesefuchs 17",
                                "book": {"id": 3, "title": "Pippi Langstrumpf", "isbn": SAMPLE_ISBN}, "loans": 2,
                                "due": iso(now + timedelta(days=21))})
