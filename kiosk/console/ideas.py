"""/ideas: the moderation queue, the ideas on the wall with their status and answer, and
ideas staff enter for a visitor. Idea texts come from the street: the templates escape them.

Every change goes through the ideas domain (IdeaStore.submit, kiosk.ideas.moderation), as on
the kiosk's staff tabs and in `kiosk admin`; the answer mail is sent by the console's
AnswerMailer (kiosk/ideas/answer_mail.py), poked here so it goes at once.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for

from kiosk.console.i18n import N_, _
from kiosk.console.operations import MODERATIONS
from kiosk.console.security import login_required
from kiosk.errors import IdeaRejected, NotFoundError
from kiosk.ideas import moderation
from kiosk.ideas.store import CATEGORIES, MAX_ANSWER_CHARS, MAX_CONTACT_CHARS, MAX_TEXT_CHARS, STATUSES

blueprint = Blueprint("ideas", __name__)

WALL_SHOWN = 50
CATEGORY_NAMES = {"play": N_("Spielen"), "green": N_("Grün"), "meeting": N_("Treffen"), "clean": N_("Sauberkeit"),
                  "other": N_("Anderes")}
STATUS_NAMES = {"new": N_("Neu"), "in_progress": N_("Wird gemacht"), "implemented": N_("Umgesetzt"),
                "not_possible": N_("Geht nicht")}
LANGUAGE_NAMES = {"de": "Deutsch", "en": "English", "tr": "Türkçe", "ar": "العربية", "uk": "Українська"}
DONE = {"approve": N_("Idee {id} steht jetzt auf der Ideenwand."), "reject": N_("Idee {id} wird nicht gezeigt.")}
AUDIT = {"approve": "Idee {id} freigegeben", "reject": "Idee {id} abgelehnt"}
# The domain's reasons (IdeaRejected.reason) in the office's words.
REFUSED = {
    "empty": N_("Die Idee ist leer."),
    "too_long": N_("Die Idee ist zu lang: höchstens {n} Zeichen."),
    "contact_without_consent": N_("Ein Kontakt geht nur mit Einverständnis: Kreuz es an oder lass den Kontakt weg."),
    "contact_too_long": N_("Der Kontakt ist zu lang: höchstens {n} Zeichen."),
    "unknown_category": N_("Wähl ein Thema."),
    "slow_down": N_("Gerade kamen viele Ideen an. Warte kurz und versuch es noch einmal."),
    "answer_too_long": N_("Die Antwort ist zu lang: höchstens {n} Zeichen."),
}
LIMITS = {"too_long": MAX_TEXT_CHARS, "contact_too_long": MAX_CONTACT_CHARS, "answer_too_long": MAX_ANSWER_CHARS}
AGAIN = N_("Das ging nicht: Lade die Seite neu und versuch es noch einmal.")


def _store():
    return current_app.extensions["operations"].ideas


def _field(name: str) -> str:
    value = request.form.get(name, "")
    return value if isinstance(value, str) else ""


def _idea_id() -> int | None:
    number = _field("id")
    return int(number) if number.isascii() and number.isdigit() and len(number) <= 9 else None


def _refused(exc: IdeaRejected) -> str:
    return _(REFUSED.get(exc.reason, AGAIN)).format(n=LIMITS.get(exc.reason, ""))


def _page(status: int = 200, *, shown_contact: tuple[int, str] | None = None, form: dict | None = None,
          error: str = ""):
    store = _store()
    mailer = current_app.extensions.get("answer_mails")
    return render_template(
        "ideas.html", ideas=store.pending(), wall=store.wall(limit=WALL_SHOWN), waiting=store.waiting_answer_mails(),
        mail_off=mailer is not None and not mailer.enabled, categories=CATEGORY_NAMES, statuses=STATUS_NAMES,
        languages={code: LANGUAGE_NAMES.get(code, code) for code in current_app.extensions["config"].station.languages},
        max_answer=MAX_ANSWER_CHARS, max_text=MAX_TEXT_CHARS, max_contact=MAX_CONTACT_CHARS,
        shown_contact=shown_contact, form=form or {}, add_error=error), status


@blueprint.route("/ideas")
@login_required
def queue():
    return _page()


@blueprint.route("/ideas", methods=["POST"])
@login_required
def moderate():
    action = _field("action")
    idea_id = _idea_id()
    if action not in MODERATIONS or idea_id is None:
        flash(_(AGAIN), "error")
        return redirect(url_for("ideas.queue"))
    try:
        current_app.extensions["operations"].moderate_idea(idea_id, action)
    except NotFoundError:
        flash(_("Diese Idee gibt es nicht mehr."), "error")
        return redirect(url_for("ideas.queue"))
    current_app.extensions["staff"].record(g.user, AUDIT[action].format(id=idea_id))
    flash(_(DONE[action]).format(id=idea_id), "ok")
    return redirect(url_for("ideas.queue"))


@blueprint.route("/ideas/answer", methods=["POST"])
@login_required
def answer():
    idea_id, status, text = _idea_id(), _field("status"), _field("answer")
    if idea_id is None or status not in STATUSES:
        flash(_(AGAIN), "error")
        return redirect(url_for("ideas.queue"))
    store = _store()
    try:
        before = store.get(idea_id)
        # The answer first: one the domain refuses leaves the status as it was, too.
        answered = moderation.answer(store, idea_id, text) if text.strip() != before.answer else None
        if status != before.status:
            moderation.set_status(store, idea_id, status)
    except NotFoundError:
        flash(_("Diese Idee gibt es nicht mehr."), "error")
        return redirect(url_for("ideas.queue"))
    except IdeaRejected as exc:
        flash(_refused(exc), "error")
        return redirect(url_for("ideas.queue") + f"#wall-{idea_id}")
    changes = []
    if answered is not None:
        changes.append("Antwort geschrieben" if answered.idea.answer else "Antwort zurückgenommen")
    if status != before.status:
        changes.append(f"Stand „{STATUS_NAMES[status]}“")
    if changes:
        current_app.extensions["staff"].record(g.user, f"Idee {idea_id}: " + ", ".join(changes))
    message = _("Idee {id} ist gespeichert.").format(id=idea_id)
    if answered is not None and answered.mailed:
        mailer = current_app.extensions.get("answer_mails")
        if mailer is not None:
            mailer.poke()
        message += " " + _("Die Person bekommt die Antwort per E-Mail.")
    elif answered is not None and answered.tell_author:
        message += " " + _("Die Person möchte eine Antwort: Ruf sie an („Kontakt zeigen“).")
    flash(message, "ok")
    return redirect(url_for("ideas.queue") + f"#wall-{idea_id}")


@blueprint.route("/ideas/contact", methods=["POST"])
@login_required
def contact():
    idea_id = _idea_id()
    if idea_id is None:
        flash(_(AGAIN), "error")
        return redirect(url_for("ideas.queue"))
    try:
        shown = _store().contact_of(idea_id)
    except NotFoundError:
        flash(_("Diese Idee gibt es nicht mehr."), "error")
        return redirect(url_for("ideas.queue"))
    if not shown:
        flash(_("Bei dieser Idee ist kein Kontakt gespeichert."), "ok")
        return redirect(url_for("ideas.queue"))
    current_app.extensions["staff"].record(g.user, f"Kontakt von Idee {idea_id} angesehen")
    # Shown once in this answer, never put in a URL, the session or a log.
    return _page(shown_contact=(idea_id, shown))


@blueprint.route("/ideas/add", methods=["POST"])
@login_required
def add():
    text, category, contact_text = _field("text"), _field("category"), _field("contact")
    lang = _field("lang")
    consent = _field("consent") == "yes"
    form = {"text": text[:MAX_TEXT_CHARS * 2], "category": category, "contact": contact_text[:MAX_CONTACT_CHARS * 2],
            "consent": consent, "lang": lang}
    if lang not in current_app.extensions["config"].station.languages:
        lang = ""
    try:
        idea = _store().submit(text, category, contact=contact_text, consent=consent, lang=lang)
    except IdeaRejected as exc:
        return _page(400, form=form, error=_refused(exc))
    current_app.extensions["staff"].record(g.user, f"Idee {idea.number} für jemanden eingetragen")
    flash(_("Idee {id} ist eingetragen und wartet auf Freigabe.").format(id=idea.number), "ok")
    return redirect(url_for("ideas.queue") + f"#idea-{idea.number}")
