"""/ideas: the moderation queue. Idea texts come from the street: the templates escape them."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for

from kiosk.console.i18n import N_, _
from kiosk.console.operations import MODERATIONS
from kiosk.console.security import login_required
from kiosk.errors import NotFoundError

blueprint = Blueprint("ideas", __name__)

CATEGORY_NAMES = {"play": N_("Spielen"), "green": N_("Grün"), "meeting": N_("Treffen"), "clean": N_("Sauberkeit"),
                  "other": N_("Anderes")}
DONE = {"approve": N_("Idee {id} steht jetzt auf der Ideenwand."), "reject": N_("Idee {id} wird nicht gezeigt.")}
AUDIT = {"approve": "Idee {id} freigegeben", "reject": "Idee {id} abgelehnt"}


@blueprint.route("/ideas")
@login_required
def queue():
    ideas = current_app.extensions["operations"].waiting_ideas()
    return render_template("ideas.html", ideas=ideas, categories=CATEGORY_NAMES)


@blueprint.route("/ideas", methods=["POST"])
@login_required
def moderate():
    action = request.form.get("action", "")
    number = request.form.get("id", "")
    if action not in MODERATIONS or not number.isascii() or not number.isdigit() or len(number) > 9:
        flash(_("Das ging nicht: Lade die Seite neu und versuch es noch einmal."), "error")
        return redirect(url_for("ideas.queue"))
    idea_id = int(number)
    try:
        current_app.extensions["operations"].moderate_idea(idea_id, action)
    except NotFoundError:
        flash(_("Diese Idee gibt es nicht mehr."), "error")
        return redirect(url_for("ideas.queue"))
    current_app.extensions["staff"].record(g.user, AUDIT[action].format(id=idea_id))
    flash(_(DONE[action]).format(id=idea_id), "ok")
    return redirect(url_for("ideas.queue"))
