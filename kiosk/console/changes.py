"""„Änderungen“: who changed what, newest first (the audit log in staff.sqlite)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from kiosk.console.security import login_required

blueprint = Blueprint("changes", __name__)


@blueprint.route("/changes")
@login_required
def index():
    return render_template("changes.html", changes=current_app.extensions["staff"].changes())
