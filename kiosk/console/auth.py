"""Logging in and out, and changing one's own password."""

from __future__ import annotations

import logging
import math

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for

from kiosk.console.i18n import _
from kiosk.console.security import login_required
from kiosk.errors import BadValue
from kiosk.staff.accounts import MIN_PASSWORD, check_password

log = logging.getLogger(__name__)
blueprint = Blueprint("auth", __name__)


def _accounts():
    return current_app.extensions["staff"]


def _text(name: str) -> str:
    value = request.form.get(name, "")
    return value if isinstance(value, str) else ""


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        if g.user:
            return redirect(url_for(current_app.config["HOME"]))
        return render_template("login.html", error="", username="")
    username = _text("username").strip()[:64]
    result = _accounts().login(username, _text("password"))
    if result.ok:
        session.clear()
        session["sid"] = result.session
        session.permanent = True
        log.info("%s logged in from %s", username, request.remote_addr)
        return redirect(url_for(current_app.config["HOME"]))
    if result.locked_for_s:
        minutes = max(1, math.ceil(result.locked_for_s / 60))
        error = _("Zu viele falsche Versuche. Dieser Zugang ist jetzt für {minutes} Minuten gesperrt.") \
            .format(minutes=minutes)
        log.warning("login refused for a locked account from %s", request.remote_addr)
    else:
        error = _("Name oder Passwort stimmt nicht.")
        log.info("failed login from %s", request.remote_addr)
    return render_template("login.html", error=error, username=username), 401


@blueprint.route("/logout", methods=["POST"])
def logout():
    _accounts().logout(session.get("sid"))
    session.clear()
    return redirect(url_for("auth.login"))


@blueprint.route("/password", methods=["GET", "POST"])
@login_required
def password():
    if request.method == "GET":
        return render_template("password.html", error="", minimum=MIN_PASSWORD)
    accounts = _accounts()
    new = _text("new")
    if new != _text("again"):
        error = _("Die beiden neuen Passwörter sind nicht gleich.")
    elif not accounts.verify(g.user, _text("current")).ok:
        error = _("Dein jetziges Passwort stimmt nicht.")
    else:
        try:
            check_password(new)
        except BadValue:
            error = _("Das neue Passwort braucht mindestens {n} Zeichen.").format(n=MIN_PASSWORD)
        else:
            accounts.set_password(g.user, new, by=g.user)
            session.clear()        # every session of this account has ended, this one too
            return render_template("message.html", title=_("Passwort geändert"),
                                   text=_("Dein Passwort ist geändert. Melde dich mit dem neuen wieder an."),
                                   link=url_for("auth.login"), link_text=_("Zur Anmeldung")), 200
    return render_template("password.html", error=error, minimum=MIN_PASSWORD), 400
