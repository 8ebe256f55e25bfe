"""The report's words and its table of figures: one list the PDF, the CSV and the console share.

German, plain words, for a funder who has never seen the station. Each figure is a row
(section, figure, value, unit); a value is an int, a float or "" where there is no data.
"""

from __future__ import annotations

from kiosk.report.figures import Report

OFFICE = "Stadtteilbüro Batenbrock"
MOTTO = "Batenbrock – Du bist gefragt!"
NO_DATA = "keine Daten"

SECTIONS = {"booth": "Bücherzelle", "ideas": "Ideen", "kiosk": "Info-Bildschirm im Schaufenster",
            "garden": "Kräuterbeet", "station": "Technik"}
CATEGORIES = {"play": "Spielen", "green": "Grünflächen", "meeting": "Begegnung", "clean": "Saubere Straßen",
              "other": "Anderes"}
STATUSES = {"new": "neu", "in_progress": "in Arbeit", "implemented": "umgesetzt", "not_possible": "nicht möglich"}
AUDIENCES = {"children": "Kinder", "youth": "Jugendliche", "families": "Familien",
             "single_parents": "Alleinerziehende", "everyone": "Alle", "-": "egal"}
TOPICS = {"education": "Lernen", "health": "Gesundheit", "culture": "Kultur", "participation": "Mitmachen",
          "everyday": "Alltagshilfe", "-": "egal"}
LANGUAGES = {"de": "Deutsch", "en": "Englisch", "tr": "Türkisch", "ar": "Arabisch", "uk": "Ukrainisch",
             "ru": "Russisch", "pl": "Polnisch", "fa": "Persisch", "ro": "Rumänisch", "bg": "Bulgarisch"}

Row = tuple[str, str, object, str]


def language_name(code: str) -> str:
    return LANGUAGES.get(code, code)


def finder_words(audience: str, topic: str) -> str:
    return f"{AUDIENCES.get(audience, audience)} · {TOPICS.get(topic, topic)}"


def rows(report: Report) -> list[Row]:
    """Every figure of the report, in the order the PDF shows them."""
    out: list[Row] = []

    def add(section: str, label: str, value: object, unit: str = "") -> None:
        out.append((SECTIONS[section], label, "" if value is None else value, unit))

    b = report.booth
    if b is None:
        add("booth", "Ausleihen", None, NO_DATA)
    else:
        add("booth", "Ausleihen", b.loans)
        add("booth", "Rückgaben", b.returns)
        add("booth", "Aktive Leser*innen (je Monat gezählt)", b.readers)
        add("booth", "Neue Bücher", b.new_books)
        if b.source == "local":
            add("booth", "Zu spät zurückgegeben", _percent(b.late_share), "%" if b.late_share is not None else NO_DATA)
            for title, n in b.top_titles:
                add("booth", f"Oft ausgeliehen: {title}", n, "mal")
    i = report.ideas
    if i is None:
        add("ideas", "Eingegangene Ideen", None, NO_DATA)
    else:
        add("ideas", "Eingegangene Ideen", i.received)
        add("ideas", "davon am Bildschirm", i.at_kiosk)
        add("ideas", "davon im Büro abgegeben", i.at_counter)
        for key, n in i.by_category.items():
            add("ideas", f"Thema: {CATEGORIES.get(key, key)}", n)
        add("ideas", "Freigegeben", i.approved)
        add("ideas", "Beantwortet", i.answered)
        add("ideas", "Umgesetzt", i.implemented)
        add("ideas", "Tage bis zur Antwort (Median)", _round(i.median_days_to_answer),
            "Tage" if i.median_days_to_answer is not None else NO_DATA)
    k = report.kiosk
    if k is None:
        add("kiosk", "Tage in Benutzung", None, NO_DATA)
    else:
        add("kiosk", "Tage in Benutzung", k.days_in_use, f"von {k.days}")
        add("kiosk", "Seiten aufgerufen", k.screens)
        add("kiosk", "Angebote angesehen", k.offers_opened)
        for title, n in k.top_offers:
            add("kiosk", f"Angebot: {title}", n, "mal")
        for audience, topic, n in k.finder:
            add("kiosk", f"Gesucht: {finder_words(audience, topic)}", n, "mal")
        for code, n in k.languages.items():
            add("kiosk", f"Sprache gewählt: {language_name(code)}", n, "mal")
        add("kiosk", "Vorlesen benutzt", k.read_aloud, "mal")
        add("kiosk", "Große Schrift benutzt", k.large_text, "mal")
        add("kiosk", "Ideen eingegeben", k.ideas)
        add("kiosk", "Zustimmungen (+1) zu Ideen", k.plus_ones)
    g = report.garden
    if g is None:
        add("garden", "Trockene Tage", None, NO_DATA)
    else:
        add("garden", "Trockene Tage", g.dry_days, f"von {g.days}")
        add("garden", "Warnungen „zu trocken“", g.alerts)
        add("garden", "Stunden bis gegossen (Median)", _round(g.median_hours_to_watered),
            "Stunden" if g.median_hours_to_watered is not None else NO_DATA)
        add("garden", "Tage ohne Messwert vom Sensor", g.silent_days, f"von {g.days}")
    if report.availability:
        for service, share in report.availability.items():
            add("station", f"Erreichbar: {service}", _percent(share), "%")
    else:
        add("station", "Erreichbarkeit der Dienste", None, NO_DATA)
    return out


def _percent(share: float | None) -> object:
    return None if share is None else round(share * 100)


def _round(value: float | None) -> object:
    return None if value is None else round(value, 1)
