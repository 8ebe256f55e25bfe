"""/offers: list, create, edit, copy, retire and undo offers; the partners' calendar feeds.

The views only read the form, call the offers domain (kiosk/offers/editing.py writes
offers.toml, catalogue.py checks every offer) and render. Offer texts are shown as text.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timezone
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for

from kiosk.console import offers_form
from kiosk.console.i18n import N_, _
from kiosk.console.security import login_required
from kiosk.errors import ConfigError, NotFoundError, StoreError
from kiosk.offers.catalogue import ID_PATTERN
from kiosk.offers.editing import FileChanged, OfferHistory, OffersFile, prepare
from kiosk.offers.feeds import CACHE_FOLDER, cache_path
from kiosk.offers.loading import offers_path
from kiosk.offers.qr import offer_qr_text
from kiosk.offers.when import describe_when

blueprint = Blueprint("offers", __name__)

CHANGED = N_("Jemand hat die Angebote geändert, während du dieses Formular offen hattest (von Hand "
             "oder in einer anderen Konsole). Nichts ist gespeichert. Deine Eingaben stehen noch unten: "
             "schau dir die Liste in einem neuen Tab an und speichere dann noch einmal.")
UNWRITABLE = N_("Die Angebotsdatei {path} kann die Konsole nicht ändern ({reason}). "
                "Nichts ist gespeichert. Bitte sag der Person Bescheid, die die Station eingerichtet hat.")


class OffersDesk:
    """The console's handle on the offers file and its history (opened on first use)."""

    def __init__(self, config):
        self.config = config
        self.file = OffersFile(offers_path(config), config.station.timezone)
        self._history: OfferHistory | None = None

    @property
    def history(self) -> OfferHistory:
        if self._history is None:
            self._history = OfferHistory.open(self.config)
        return self._history


def _desk() -> OffersDesk:
    desk = current_app.extensions.get("offers")
    if desk is None:
        desk = current_app.extensions["offers"] = OffersDesk(current_app.extensions["config"])
    return desk


def _now() -> datetime:
    return datetime.now(timezone.utc)


@blueprint.route("/offers")
@login_required
def index():
    desk = _desk()
    try:
        snapshot = desk.file.read()
    except ConfigError as exc:
        return render_template("offers.html", broken=str(exc), offers=[], history=[], feeds=_feeds(desk.config),
                               path=desk.file.path)
    now = _now()
    rows = [{"offer": o, "when": describe_when(o, "de", now),
             "missing": [offers_form.LANGUAGE_NAMES[lang] for lang in offers_form.LANGS
                         if lang != "de" and lang not in o.title]}
            for o in snapshot.offers]
    return render_template("offers.html", broken="", offers=rows, digest=snapshot.digest,
                           history=desk.history.recent(), feeds=_feeds(desk.config), path=desk.file.path)


@blueprint.route("/offers/new")
@login_required
def new():
    snapshot = _snapshot_or_abort()
    return _form_page(offers_form.blank_form(), None, snapshot.digest)


@blueprint.route("/offers/<offer_id>/edit")
@login_required
def edit(offer_id: str):
    snapshot = _snapshot_or_abort()
    entry = _entry_or_404(snapshot, offer_id)
    return _form_page(offers_form.form_from_entry(entry), offer_id, snapshot.digest)


@blueprint.route("/offers/<offer_id>/copy")
@login_required
def copy(offer_id: str):
    snapshot = _snapshot_or_abort()
    made = offers_form.form_from_entry(_entry_or_404(snapshot, offer_id))
    made.values["title_de"] = _("{title} (Kopie)").format(title=made.values["title_de"])[:80]
    made.values["retired"] = False
    return _form_page(made, None, snapshot.digest)


@blueprint.route("/offers/save", methods=["POST"])
@login_required
def save():
    original = request.form.get("original", "")
    offer_id = original if ID_PATTERN.match(original) else None
    based_on = request.form.get("digest", "")
    action = request.form.get("action", "save")
    made = offers_form.read_form(request.form, more=action == "more")
    if action == "more":
        return _form_page(made, offer_id, based_on)
    desk = _desk()
    try:
        snapshot = desk.file.read()
    except ConfigError as exc:
        made.errors["top"] = str(exc)
        return _form_page(made, offer_id, based_on), 409
    entry, rows = offers_form.entry_of(made, offer_id, {o.id for o in snapshot.offers})
    try:
        offer, _table = prepare(entry, desk.config.station.timezone)
    except ConfigError as exc:
        made.errors[offers_form.field_of(exc, rows)] = _explain(exc)
        return _form_page(made, offer_id, based_on), 400
    if action == "preview":
        return _form_page(made, offer_id, based_on, offer=offer)
    try:
        offer, before, after = desk.file.save(entry, based_on, offer_id)
    except FileChanged:
        made.errors["top"] = _(CHANGED)
        return _form_page(made, offer_id, based_on), 409
    except ConfigError as exc:
        made.errors[offers_form.field_of(exc, rows)] = _explain(exc)
        return _form_page(made, offer_id, based_on), 400
    except NotFoundError:
        made.errors["top"] = _("Dieses Angebot gibt es nicht mehr in der Datei.")
        return _form_page(made, offer_id, based_on), 409
    except OSError as exc:
        made.errors["top"] = _(UNWRITABLE).format(path=desk.file.path, reason=exc.strerror or exc)
        return _form_page(made, offer_id, based_on), 500
    title = offer.text("title", "de")
    what = (f"Angebot „{title}“ angelegt" if offer_id is None else f"Angebot „{title}“ geändert")
    _keep(desk, offer.id, what, before, after)
    flash(_("Gespeichert: „{title}“. Der Kiosk zeigt es in spätestens einer Minute.").format(title=title), "ok")
    return redirect(url_for("offers.index"))


@blueprint.route("/offers/retire", methods=["POST"])
@login_required
def retire():
    """Retire an offer (kept in the file, not shown) or show it again."""
    offer_id, action = request.form.get("id", ""), request.form.get("action", "")
    if not ID_PATTERN.match(offer_id) or action not in ("retire", "show"):
        flash(_("Das ging nicht: Lade die Seite neu und versuch es noch einmal."), "error")
        return redirect(url_for("offers.index"))
    desk = _desk()
    try:
        snapshot = desk.file.read()
        entry = snapshot.entry(offer_id)
        entry["retired"] = action == "retire"
        offer, before, after = desk.file.save(entry, request.form.get("digest", ""), offer_id)
    except FileChanged:
        flash(_("Die Angebote wurden gerade geändert. Schau die Liste noch einmal an und versuch es dann."), "error")
        return redirect(url_for("offers.index"))
    except (ConfigError, NotFoundError, OSError) as exc:
        flash(_("Das ging nicht: {reason}").format(reason=exc), "error")
        return redirect(url_for("offers.index"))
    title = offer.text("title", "de")
    what = f"Angebot „{title}“ zurückgezogen" if action == "retire" else f"Angebot „{title}“ wieder gezeigt"
    _keep(desk, offer_id, what, before, after)
    flash(_("„{title}“ ist nicht mehr im Kiosk zu sehen.").format(title=title) if action == "retire"
          else _("„{title}“ ist wieder im Kiosk zu sehen.").format(title=title), "ok")
    return redirect(url_for("offers.index"))


@blueprint.route("/offers/undo", methods=["POST"])
@login_required
def undo():
    number = request.form.get("version", "")
    if not (number.isascii() and number.isdigit() and len(number) <= 9):
        flash(_("Das ging nicht: Lade die Seite neu und versuch es noch einmal."), "error")
        return redirect(url_for("offers.index"))
    desk = _desk()
    try:
        version = desk.history.undo(int(number), desk.file, g.user)
    except NotFoundError:
        flash(_("Diese Änderung ist schon rückgängig gemacht."), "error")
        return redirect(url_for("offers.index"))
    except FileChanged:
        flash(_("Das Angebot wurde danach noch einmal geändert. Mach erst die neuere Änderung rückgängig."), "error")
        return redirect(url_for("offers.index"))
    except (ConfigError, OSError) as exc:
        flash(_("Das ging nicht: {reason}").format(reason=exc), "error")
        return redirect(url_for("offers.index"))
    current_app.extensions["staff"].record(g.user, version.what)
    flash(_("Rückgängig gemacht. Der Kiosk zeigt es in spätestens einer Minute."), "ok")
    return redirect(url_for("offers.index"))


def _keep(desk: OffersDesk, offer_id: str, what: str, before: str | None, after: str | None) -> None:
    """Who changed what: the audit log, and the versions for undo."""
    current_app.extensions["staff"].record(g.user, what)
    try:
        desk.history.record(g.user, offer_id, what, before, after)
    except StoreError as exc:       # the change is in the file; only its undo is lost
        flash(_("Gespeichert, aber ohne Möglichkeit zum Rückgängigmachen ({reason}).").format(reason=exc), "error")


def _snapshot_or_abort():
    try:
        return _desk().file.read()
    except ConfigError:
        abort(redirect(url_for("offers.index")))       # the list says what is wrong with the file


def _entry_or_404(snapshot, offer_id: str) -> dict:
    try:
        return snapshot.entry(offer_id)
    except NotFoundError:
        abort(404)


def _form_page(made, offer_id: str | None, digest: str, *, offer=None):
    shown = None
    if offer is not None:
        now = _now()
        shown = {"langs": [(offers_form.LANGUAGE_NAMES[lang], lang, offer.text("title", lang),
                            describe_when(offer, lang, now), offer.text("summary", lang))
                           for lang in offers_form.LANGS],
                 "qr": offer_qr_text(offer, "de", now), "next": offer.next_date(now)}
    return render_template("offer_form.html", form=made, offer_id=offer_id, digest=digest, preview=shown,
                           form_module=offers_form)


def _explain(exc: ConfigError) -> str:
    """The offers domain's message for staff (its plain German where it has one)."""
    staff = getattr(exc, "staff", "")
    return staff or _("Bitte prüfen: {problem}").format(problem=exc.problem + (f" — {exc.fix}" if exc.fix else ""))


def _feeds(config) -> list[dict]:
    """Each calendar feed and when it was last read successfully (its saved copy's time)."""
    zone = zoneinfo.ZoneInfo(config.station.timezone)
    found = []
    for source in config.ui.calendar_feeds:
        copy = cache_path(Path(config.data_dir) / CACHE_FOLDER, source)
        try:
            last = datetime.fromtimestamp(copy.stat().st_mtime, timezone.utc).astimezone(zone).strftime("%d.%m.%Y %H:%M")
        except OSError:
            last = ""
        found.append({"source": source, "last": last})
    return found
