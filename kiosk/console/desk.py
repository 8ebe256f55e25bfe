"""/desk – „Bücher annehmen“: register a stack of donated books, one after the other.

ISBN (typed, or a USB scanner's digits and Enter) → the station looks it up (kiosk/desk/lookup.py,
on the server, a few seconds at most; offline or unknown: the same form, empty for typing) →
staff confirm or correct → the next new tag tapped at the booth becomes the book (the booth's
`add_book` / `pending` commands, kiosk/booth/staff_commands.py), or the tag's UID typed in →
"Buch 23: Das Sams ✓" and back to the ISBN field, with this session's count and "Letztes
rückgängig". While the booth waits for the tag, the page asks it again every second (a meta
refresh, no script), so nothing hangs. On a phone whose browser reads bar codes itself
(BarcodeDetector), „Mit der Kamera scannen“ reads the ISBN (static/desk-camera.js, the one
script of the console; elsewhere the button stays hidden).

A typed UID goes in the request to the booth and nowhere else: it is not kept in the session,
not logged, not audited, and the page never shows it again. Everything from a catalogue is text.
"""

from __future__ import annotations

import re
import threading

from flask import (Blueprint, abort, current_app, flash, g, make_response, redirect, render_template, request,
                   send_from_directory, session, url_for)

from kiosk.booth import staff_commands
from kiosk.booth.details import MAX_FIELD, MAX_TITLE, BookDetails
from kiosk.booth.pending import CANCELLED, CARD, DONE, REPLACED, TIMEOUT, WAITING
from kiosk.booth.rules import AGE_GROUPS, REGISTER_IDLE_S
from kiosk.console.i18n import N_, _
from kiosk.console.security import CSP_OWN_SCRIPT, login_required
from kiosk.console.sending import send, words
from kiosk.desk import covers
from kiosk.desk.isbn import parse_isbn
from kiosk.desk.lookup import FOUND, UNKNOWN, Lookup
from kiosk.errors import BadIsbn, BadTag, BadValue, KioskError
from kiosk.text import clean_line

blueprint = Blueprint("desk", __name__)

WAIT_REFRESH_S = 1
COVER_NAME = re.compile(r"[0-9]{13}\.jpg")
BAD_ISBN = {"empty": N_("Tipp oder scanne die ISBN: die 10 oder 13 Ziffern hinten auf dem Buch."),
            "characters": N_("Eine ISBN hat nur Ziffern (eine alte ISBN darf mit X enden)."),
            "length": N_("Eine ISBN hat 10 oder 13 Ziffern. Schau noch einmal nach."),
            "prefix": N_("Das ist keine ISBN: Eine ISBN mit 13 Ziffern fängt mit 978 oder 979 an."),
            "checksum": N_("Da stimmt eine Ziffer nicht. Tipp die ISBN noch einmal ab.")}
FOUND_IN = {"dnb": N_("Gefunden bei der Deutschen Nationalbibliothek. Stimmt alles?"),
            "openlibrary": N_("Gefunden bei Open Library. Stimmt alles?")}
NOT_FOUND = {UNKNOWN: N_("Dieses Buch kennen die Kataloge nicht. Schreib Titel und Autor selbst hinein."),
             "unreachable": N_("Die Kataloge sind gerade nicht erreichbar. Schreib Titel und Autor selbst hinein.")}
ENDED = {TIMEOUT: N_("Nach {n} Minuten kam kein neues Etikett. Versuch es noch einmal."),
         CANCELLED: N_("Abgebrochen."),
         REPLACED: N_("Ein anderes Buch wartet jetzt auf sein Etikett."),
         CARD: N_("Am Leser war eine Karte statt eines neuen Etiketts. Versuch es noch einmal.")}
AUDIT = {"add": "Buch {book} angenommen: „{title}“", "undo": "Buch {book} zurückgenommen ({how})"}
UNDONE = {"removed": N_("Buch {book} ist wieder weg."),
          "retired": N_("Buch {book} war schon ausgeliehen und ist jetzt aussortiert.")}

_lookup_lock = threading.Lock()


def _lookup() -> Lookup | None:
    """The station's look-up (opened once, with its cache); None when its cache cannot be opened."""
    with _lookup_lock:
        if "lookup" not in current_app.extensions:
            try:
                current_app.extensions["lookup"] = Lookup(current_app.extensions["config"])
            except KioskError:
                current_app.logger.warning("the library desk's look-up cache cannot be opened")
                return None
        return current_app.extensions["lookup"]


def _state() -> dict:
    """This login's desk: count and last book of the session, the book being registered, the ticket."""
    return dict(session.get("desk") or {})


def _save(state: dict) -> None:
    session["desk"] = state


@blueprint.route("/desk")
@login_required
def page():
    state = _state()
    if state.get("ticket"):
        return redirect(url_for("desk.wait"))
    response = make_response(render_template("desk.html", count=state.get("count", 0), last=state.get("last")))
    response.headers["Content-Security-Policy"] = CSP_OWN_SCRIPT       # the camera's bar-code reader
    return response


@blueprint.route("/desk/isbn", methods=["POST"])
@login_required
def isbn():
    typed = request.form.get("isbn", "")
    try:
        isbn13 = parse_isbn(typed)
    except BadIsbn as exc:
        # The field comes back empty, so the scanner's next try is not added to this one.
        said = _(BAD_ISBN.get(exc.kind, BAD_ISBN["characters"]))
        shown = clean_line(typed)[:40]
        flash(f"„{shown}“: {said}" if shown else said, "error")
        return redirect(url_for("desk.page"))
    lookup = _lookup()
    finding = lookup.find(isbn13) if lookup else None
    facts = finding.facts if finding else None
    book = {"isbn": isbn13, "title": "", "author": "", "publisher": "", "year": "", "age_group": "", "cover": ""}
    if facts is not None:
        book.update(title=facts.title, author=facts.author, publisher=facts.publisher, year=facts.year,
                    age_group=facts.age_group, cover=isbn13 if facts.cover else "")
        note = FOUND_IN.get(facts.source, FOUND_IN["dnb"])
    else:
        note = NOT_FOUND[finding.reason if finding and finding.reason == UNKNOWN else "unreachable"]
    state = _state()
    state.update(book=book, note=note, found=facts is not None)
    _save(state)
    return redirect(url_for("desk.confirm"))


@blueprint.route("/desk/confirm")
@login_required
def confirm():
    state = _state()
    if not state.get("book"):
        return redirect(url_for("desk.page"))
    return _confirm_page(state, state["book"])


def _confirm_page(state: dict, book: dict, problem: str = "", status: int = 200):
    return render_template("desk_confirm.html", book=book, note=_(state.get("note", "")), found=state.get("found"),
                           problem=problem, same=_same_isbn(book.get("isbn", "")), ages=AGE_GROUPS,
                           max_title=MAX_TITLE, max_field=MAX_FIELD, count=state.get("count", 0),
                           uid_open=request.args.get("uid") == "1" or bool(request.form.get("tag"))), status


def _same_isbn(isbn13: str) -> list[dict]:
    """The books in the booth with this ISBN already (a second copy is fine; staff should know)."""
    if not isbn13:
        return []
    try:
        command = staff_commands.same_isbn(isbn13)
    except BadValue:
        return []
    outcome = send(command)
    books = outcome.reply.get("books") if outcome.ok else None
    return [b for b in books if isinstance(b, dict)] if isinstance(books, list) else []


@blueprint.route("/desk/book", methods=["POST"])
@login_required
def book():
    state = _state()
    form = {key: request.form.get(key, "") for key in ("isbn", "title", "author", "publisher", "year", "age_group")}
    shown = (state.get("book") or {}).get("cover", "")
    form["cover"] = shown if shown and shown == form["isbn"] else ""        # the cover of this very ISBN only
    state["book"] = form
    _save(state)
    try:
        details = _details(form)
    except BadValue as exc:
        return _confirm_page(state, form, str(exc), 400)
    typed = request.form.get("tag", "").strip()
    try:
        command = staff_commands.add_book(details, typed or None)
    except BadTag:
        return _confirm_page(state, form, _("Die UID des Etiketts sind 8 oder 14 Zeichen aus 0–9 und a–f, "
                                            "z. B. 04a1b2c3."), 400)
    outcome = send(command)
    reply = outcome.reply
    if not outcome.ok:
        hint = _("Gehört das Etikett schon zu einem anderen Buch oder einer Karte? Dann nimm ein neues.") \
            if typed and outcome.message == staff_commands.REFUSED else ""
        return _confirm_page(state, form, " ".join(filter(None, [words(outcome), hint])), 409 if typed else 503)
    if typed:
        return _registered(state, reply["book"])
    state["ticket"] = reply.get("ticket")
    _save(state)
    return redirect(url_for("desk.wait"))


def _details(form: dict) -> BookDetails:
    """The confirmed form as the booth's BookDetails; BadValue in the office's words."""
    if not form["title"].strip():
        raise BadValue(_("Schreib den Titel hinein."))
    year = form["year"].strip()
    if year and not (year.isascii() and year.isdigit() and len(year) == 4):
        raise BadValue(_("Das Jahr ist eine Zahl wie 2015 – oder lass es leer."))
    if form["age_group"] and form["age_group"] not in AGE_GROUPS:
        raise BadValue(_("Such das Alter aus der Liste aus."))
    isbn13 = ""
    if form["isbn"]:
        try:
            isbn13 = parse_isbn(form["isbn"])
        except BadIsbn as exc:
            raise BadValue(_(BAD_ISBN.get(exc.kind, BAD_ISBN["characters"]))) from None
    try:
        return BookDetails.checked(form["title"], form["author"], form["age_group"], isbn13 or None,
                                   form["publisher"], int(year) if year else None)
    except BadValue:
        raise BadValue(_("Ein Feld ist zu lang: der Titel höchstens {t} Zeichen, die anderen höchstens {f}.").format(
            t=MAX_TITLE, f=MAX_FIELD)) from None


def _registered(state: dict, book: dict):
    """A book is in the booth: count it, remember it for "Letztes rückgängig", back to the ISBN field."""
    current_app.extensions["staff"].record(g.user, AUDIT["add"].format(book=book["id"], title=book["title"]))
    state.update(count=state.get("count", 0) + 1, last={"id": book["id"], "title": book["title"]},
                 ticket=None, book=None, note=None)
    _save(state)
    flash(_("Buch {book}: {title} ✓").format(book=book["id"], title=book["title"]), "ok")
    return redirect(url_for("desk.page"))


@blueprint.route("/desk/wait")
@login_required
def wait():
    state = _state()
    ticket = state.get("ticket")
    if not ticket:
        return redirect(url_for("desk.page"))
    outcome = send(staff_commands.pending(ticket))
    reply = outcome.reply
    if outcome.ok and reply.get("state") == DONE and reply.get("book"):
        return _registered(state, reply["book"])
    if outcome.ok and reply.get("state") != WAITING:
        state["ticket"] = None
        _save(state)
        flash(_(ENDED.get(reply.get("reason"), ENDED[CANCELLED])).format(n=round(REGISTER_IDLE_S / 60)), "error")
        return redirect(url_for("desk.confirm"))
    trouble = "" if outcome.ok else words(outcome)
    return render_template("desk_wait.html", book=state.get("book") or {}, taken=reply.get("taken"),
                           trouble=trouble, refresh=WAIT_REFRESH_S, count=state.get("count", 0))


@blueprint.route("/desk/cancel", methods=["POST"])
@login_required
def cancel():
    state = _state()
    if state.get("ticket"):
        send(staff_commands.pending(state["ticket"], cancel=True))
    state["ticket"] = None
    _save(state)
    if request.form.get("then") == "uid":
        return redirect(url_for("desk.confirm", uid="1") + "#uid")
    return redirect(url_for("desk.confirm") if state.get("book") else url_for("desk.page"))


@blueprint.route("/desk/undo", methods=["POST"])
@login_required
def undo():
    state = _state()
    last = state.get("last")
    if not last:
        flash(_("Es gibt nichts rückgängig zu machen."), "error")
        return redirect(url_for("desk.page"))
    outcome = send(staff_commands.undo(last["id"]))
    reply = outcome.reply
    if not outcome.ok:
        flash(words(outcome), "error")
        return redirect(url_for("desk.page"))
    how = reply.get("undone", "removed")
    current_app.extensions["staff"].record(g.user, AUDIT["undo"].format(book=last["id"], how=how))
    state.update(count=max(state.get("count", 1) - 1, 0), last=None)
    _save(state)
    flash(_(UNDONE.get(how, UNDONE["removed"])).format(book=last["id"]), "ok")
    return redirect(url_for("desk.page"))


@blueprint.route("/desk/cover/<name>")
@login_required
def cover(name: str):
    """A cover from data_dir/covers: only files named like 9783789142017.jpg."""
    if not COVER_NAME.fullmatch(name) or covers.cover_path(current_app.extensions["config"], name[:13]) is None:
        abort(404)
    return send_from_directory(covers.covers_dir(current_app.extensions["config"]), name, mimetype="image/jpeg",
                               max_age=0)

