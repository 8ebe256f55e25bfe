"""/booth – „Bücherzelle“: loans now, overdue books, blocked cards, books to title, register mode.

Everything comes from the booth's retained summary and goes back as the booth's staff
commands over MQTT (kiosk/booth/staff_commands.py), as the kiosk's staff screen does:
the booth may run on a Pi of its own. Cards are named by pseudonym only; a raw card UID
never leaves the booth service, so none can reach this page.
"""

from __future__ import annotations


from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for

from kiosk.booth import staff_commands
from kiosk.booth.messages import Summary
from kiosk.booth.rules import REGISTER_IDLE_S
from kiosk.console.i18n import N_, _
from kiosk.console.security import login_required
from kiosk.console.sending import send, words
from kiosk.errors import BadValue

blueprint = Blueprint("booth", __name__)

MAX_NUMBER_DIGITS = 9
MODES = (("books", N_("Bücher anmelden")), ("cards", N_("Karten anmelden")), ("off", N_("Anmelden aus")))
MODE_DONE = {"books": N_("Halte jetzt jedes neue Buch kurz an den Leser der Bücherzelle. Es heißt dann „Buch“ "
                        "und eine Nummer – den Titel gibst du hier ein."),
             "cards": N_("Halte jetzt jede neue Karte kurz an den Leser der Bücherzelle. Sie bekommt den "
                         "nächsten Namen, z. B. „Lesefuchs 18“."),
             "off": N_("Neue Karten und Bücher werden jetzt nicht mehr angemeldet.")}
REFUSED_HINT = {"block": N_("Schreib den Namen der Karte genau so, wie die Station ihn zeigt, z. B. „Lesefuchs 17“."),
                "title": N_("Gibt es ein Buch mit dieser Nummer? Titel dürfen höchstens 200 Zeichen lang sein.")}
AUDIT = {"block": "Karte „{card}“ gesperrt", "unblock": "Karte „{card}“ entsperrt",
         "title": "Buch {book} heißt jetzt „{title}“", "register": "Bücherzelle: {mode}"}


def _summary() -> Summary | None:
    """The booth's retained summary, read (and checked) by kiosk/console/live.py."""
    return current_app.extensions["station"].snapshot().booth_summary


@blueprint.route("/booth")
@login_required
def page():
    return render_template("booth.html", summary=_summary(), modes=MODES, idle_min=round(REGISTER_IDLE_S / 60))


def _done(outcome, what: str, audit: str, said: str, **values) -> None:
    """Flash the domain's words for the outcome (and, on success, what changed); audit a success."""
    if not outcome.ok:
        hint = REFUSED_HINT.get(what) if outcome.message == staff_commands.REFUSED else None
        flash(" ".join([words(outcome)] + ([_(hint)] if hint else [])), "error")
        return
    current_app.extensions["staff"].record(g.user, AUDIT[audit].format(**values))
    flash(f"{words(outcome)} {said}", "ok")


def _again() -> None:
    flash(_("Das ging nicht: Lade die Seite neu und versuch es noch einmal."), "error")


@blueprint.route("/booth/block", methods=["POST"])
@login_required
def block():
    card = request.form.get("card", "")
    blocked = request.form.get("blocked") != "no"
    try:
        command = staff_commands.block(card, blocked)
    except BadValue:
        flash(_("Schreib den Namen der Karte hinein, z. B. „Lesefuchs 17“."), "error")
        return redirect(url_for("booth.page") + "#cards")
    outcome = send(command)
    name = command.payload["card"]
    said = (_("{card} ist jetzt gesperrt: Mit dieser Karte kann niemand ausleihen.") if blocked
            else _("{card} kann wieder ausleihen.")).format(card=name)
    _done(outcome, "block", "block" if blocked else "unblock", said, card=name)
    return redirect(url_for("booth.page") + "#cards")


@blueprint.route("/booth/title", methods=["POST"])
@login_required
def title():
    number = request.form.get("book", "").strip()
    if not (number.isascii() and number.isdigit() and len(number) <= MAX_NUMBER_DIGITS and int(number) > 0):
        flash(_("Schreib die Nummer des Buchs hinein – die Zahl hinter „Buch“."), "error")
        return redirect(url_for("booth.page") + "#books")
    try:
        command = staff_commands.title(int(number), request.form.get("title", ""))
    except BadValue:
        flash(_("Schreib den Titel des Buchs hinein."), "error")
        return redirect(url_for("booth.page") + "#books")
    outcome = send(command)
    book, text = int(number), command.payload["title"]
    _done(outcome, "title", "title", _("Buch {book} heißt jetzt „{title}“.").format(book=book, title=text),
          book=book, title=text)
    return redirect(url_for("booth.page") + "#books")


@blueprint.route("/booth/register", methods=["POST"])
@login_required
def register():
    mode = request.form.get("mode", "")
    try:
        command = staff_commands.register(mode)
    except BadValue:
        _again()
        return redirect(url_for("booth.page") + "#register")
    outcome = send(command)
    _done(outcome, "register", "register", _(MODE_DONE[mode]), mode=_(dict(MODES)[mode]))
    return redirect(url_for("booth.page") + "#register")
