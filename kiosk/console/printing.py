"""/printing ("Drucken"): the library desk's three prints, each a PDF to download.

Sticker labels for books (by numbers, registered since a day, or those without a label yet,
on a chosen label sheet, from a chosen first free label), the list of every book, and the
overdue list for the booth's door. The rules are kiosk/desk's, as for `kiosk admin book labels`;
this page reads the form, words the mistakes in German and sends the file.
"""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, render_template, request

from kiosk.console.i18n import N_, _
from kiosk.console.security import login_required
from kiosk.desk import choosing, shelf
from kiosk.desk.sheets import DEFAULT, SHEETS, sheet_named
from kiosk.errors import BadChoice

blueprint = Blueprint("printing", __name__)

HOWS = (("new", N_("Bücher ohne Etikett")), ("numbers", N_("Nummern")), ("since", N_("Angemeldet seit")))
REASONS = {
    "form": N_("Schreib die Nummern so: 17-29, 31 (ein Bereich mit Strich, dazwischen Kommas)."),
    "range": N_("Ein Bereich geht von der kleineren zur größeren Nummer, z. B. 17-29."),
    "big": N_("So große Buchnummern gibt es nicht."),
    "too_many": N_("Höchstens {most} Etiketten auf einmal."),
    "none": N_("Zu dieser Auswahl gibt es kein Buch in der Bücherzelle."),
    "unknown": N_("Diese Nummern hat kein Buch: {numbers}."),
    "date": N_("Gib den Tag so an: 3.11.2026."),
    "no_new": N_("Alle Bücher haben schon ein Etikett. Wähl sie über ihre Nummern, um eines neu zu drucken."),
    "sheet": N_("Wähl einen Etikettenbogen aus der Liste."),
    "start": N_("Das erste freie Etikett ist eine Zahl von 1 bis {most}."),
}
AWAY = N_("Die Bücher liegen auf dem kleinen Computer der Bücherzelle. Etiketten und die Bücherliste "
          "gibt es dort (kiosk admin book labels / book list --pdf).")
NO_SUMMARY = N_("Die Bücherzelle meldet sich gerade nicht. Versuch es gleich noch einmal.")
FORM_FIELDS = ("how", "numbers", "since", "sheet", "start")


def _config():
    return current_app.extensions["config"]


def _today():
    zone = ZoneInfo(_config().station.timezone)
    return datetime.now(timezone.utc).astimezone(zone).date()


def _page(form: dict[str, str], problem: str = "", status: int = 200):
    return render_template("printing.html", form=form, hows=HOWS, sheets=SHEETS, problem=problem,
                           here=shelf.booth_here(_config()), away=_(AWAY)), status


def _words(exc: BadChoice, sheet_size: int) -> str:
    text = _(REASONS.get(exc.reason, REASONS["none"]))
    return text.format(most=sheet_size if exc.reason == "start" else choosing.MAX_LABELS, numbers=exc.detail)


def _download(data: bytes, name: str) -> Response:
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}-{_today():%Y-%m-%d}.pdf"'})


@blueprint.route("/printing")
@login_required
def page():
    return _page({"how": "new", "numbers": "", "since": "", "sheet": DEFAULT, "start": "1"})


@blueprint.route("/printing/labels", methods=["POST"])
@login_required
def labels():
    form = {key: request.form.get(key, "") for key in FORM_FIELDS}     # never cut: "12" of "123" is another book
    config = _config()
    if not shelf.booth_here(config):
        return _page(form, _(AWAY), 409)
    sheet_size = SHEETS[DEFAULT].per_sheet
    try:
        sheet = sheet_named(form["sheet"])
        sheet_size = sheet.per_sheet
        start = form["start"].strip() or "1"
        if not (start.isascii() and start.isdigit() and len(start) <= 3 and 1 <= int(start) <= sheet.per_sheet):
            raise BadChoice("start", "the first free label is a number on the sheet")
        how = form["how"]
        if how == "new" and (form["numbers"].strip() or form["since"].strip()):
            how = "numbers" if form["numbers"].strip() else "since"    # typed in, the radio left as it was
        choice = choosing.Choice.read(how, form["numbers"], form["since"])
        from kiosk.desk.labels import labels_pdf        # ReportLab only when a PDF is asked for
        from kiosk.desk.printed import PrintedLabels

        with PrintedLabels.open(config) as printed:
            books = choosing.choose(shelf.books(config), choice, ZoneInfo(config.station.timezone),
                                    printed.numbers())
            data = labels_pdf(books, sheet, start=int(start) - 1, booth=config.booth.name)
            printed.record([book["id"] for book in books])
    except BadChoice as exc:
        return _page(form, _words(exc, sheet_size), 400)
    return _download(data, "etiketten")


@blueprint.route("/printing/books", methods=["POST"])
@login_required
def books():
    config = _config()
    if not shelf.booth_here(config):
        return _page({"how": "new", "sheet": DEFAULT, "start": "1"}, _(AWAY), 409)
    from kiosk.desk.lists import books_pdf

    return _download(books_pdf(shelf.books(config), booth=config.booth.name, made=_today()), "buecher")


@blueprint.route("/printing/overdue", methods=["POST"])
@login_required
def overdue():
    config = _config()
    summary = None if shelf.booth_here(config) else current_app.extensions["station"].snapshot().booth_summary
    if summary is None and not shelf.booth_here(config):
        return _page({"how": "new", "sheet": DEFAULT, "start": "1"}, _(NO_SUMMARY), 503)
    from kiosk.desk.lists import overdue_pdf

    data = overdue_pdf(shelf.overdue(config, summary), booth=config.booth.name, made=_today(),
                       zone=ZoneInfo(config.station.timezone))
    return _download(data, "ueberfaellig")
