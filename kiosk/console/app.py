"""The console's Flask application: `create_app()` wires accounts, pages and guards.

One blueprint per area: auth (log in and out, own password), overview (how the station
is, the bed's alert), ideas (moderation), changes (who changed what). Every page but
/login needs a session (security.login_required); every POST needs its CSRF token
(Flask-WTF's CSRFProtect); every response carries the security headers.

In district mode ([console] mode = "district") the app has auth and the district page only
(kiosk/console/district.py): no page that sends a command or changes the station exists.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Callable

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError, CSRFProtect

from kiosk.console import i18n, security
from kiosk.console.i18n import N_
from kiosk.console.operations import Operations
from kiosk.console.dates import local_time
from kiosk.staff.accounts import IDLE_TIMEOUT_S, StaffAccounts

MAX_FORM_BYTES = 64 * 1024      # the longest form is an idea of 500 characters
CSRF_FAILED = (N_("Bitte noch einmal"), N_("Das Formular war abgelaufen oder unvollständig. "
                                          "Lade die Seite neu und versuch es noch einmal."))
ERRORS = {
    400: (N_("Bitte noch einmal"), N_("Das Formular war nicht vollständig.")),
    404: (N_("Nicht gefunden"), N_("Diese Seite gibt es nicht.")),
    405: (N_("Nicht gefunden"), N_("Diese Seite gibt es nicht.")),
    413: (N_("Zu lang"), N_("Das war zu viel Text auf einmal.")),
}


def create_app(config, accounts: StaffAccounts, view, operations: Operations | None, *,
               health: Callable[[], dict[str, Any] | None] = lambda: None, tls: bool | None = None) -> Flask:
    """The WSGI app (before the allow-list; see `wsgi_app`).

    `view` is the station's StationView, or in district mode the DistrictView (and `operations` None).
    """
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=accounts.secret_key(),
        SESSION_COOKIE_NAME="kiosk_console",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=config.console.tls if tls is None else tls,
        PERMANENT_SESSION_LIFETIME=timedelta(seconds=IDLE_TIMEOUT_S),
        MAX_CONTENT_LENGTH=MAX_FORM_BYTES,
        WTF_CSRF_TIME_LIMIT=None,          # the token lives as long as the session
        # Flask-WTF's "strict" mode wants a Referer on HTTPS posts, which Referrer-Policy:
        # no-referrer (security.HEADERS) never lets a browser send; the token and the
        # SameSite=Strict cookie are what stop a forged form.
        WTF_CSRF_SSL_STRICT=False,
        HOME="district.index" if config.console.district else "overview.index",
    )
    app.extensions["staff"] = accounts
    app.extensions["station"] = view
    app.extensions["operations"] = operations
    app.extensions["health"] = health
    app.extensions["config"] = config
    CSRFProtect(app)

    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(i18n._, i18n.ngettext, newstyle=True)
    app.jinja_env.filters["local_time"] = lambda ts: local_time(ts, config.station.timezone)
    app.jinja_env.globals.update(district=config.console.district, home=app.config["HOME"], place=config.station.name)

    app.before_request(security.load_user)
    app.after_request(security.add_headers)

    from kiosk.console import auth, booth, changes, desk, district, herbs, ideas, offers, overview, printing, report
    if config.console.district:
        blueprints = (auth.blueprint, district.blueprint)
    else:
        blueprints = (auth.blueprint, overview.blueprint, offers.blueprint, ideas.blueprint, herbs.blueprint,
                      booth.blueprint, desk.blueprint, printing.blueprint, report.blueprint, changes.blueprint)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)

    for code, (title, text) in ERRORS.items():
        app.register_error_handler(code, _error_page(code, title, text))
    app.register_error_handler(CSRFError, _error_page(400, *CSRF_FAILED))

    return app


def _error_page(code: int, title: str, text: str) -> Callable:
    def page(error):
        return render_template("message.html", title=i18n._(title), text=i18n._(text)), code
    return page


def wsgi_app(config, app: Flask):
    """What the server runs: the allow-list in front of everything."""
    return security.AllowList(app, config.console.allow)
