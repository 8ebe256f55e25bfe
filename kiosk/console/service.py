"""`kiosk console`: the web console behind Cheroot, and the station's health publisher.

Cheroot serves the Flask app with a few threads in this one process (a Pi Zero 2 W has
512 MB for the whole station) and speaks TLS itself with Python's ssl module. The main
thread keeps systemd's watchdog fed and publishes the health; paho's thread keeps the
view of the station current.
"""

from __future__ import annotations

import logging
import ssl
import threading

from kiosk.bus import Bus
from kiosk.config import split_listen
from kiosk.errors import ConfigError

log = logging.getLogger(__name__)

THREADS = 4                 # a handful of staff; each thread is a few hundred KB
TICK_S = 1.0
MAIL_JOIN_S = 5.0         # a mail on its way when the console stops may finish
M_MMAP_THRESHOLD = -3       # glibc's mallopt parameter
MMAP_FROM_BYTES = 1 << 20


def give_big_buffers_back() -> None:
    """Each login's scrypt takes 8 MB (kiosk/passwords.py). glibc raises its mmap threshold after the first such
    buffer is freed and keeps the next ones in the heap, so the console would hold 8 MB more
    for ever after a login; with a fixed threshold they are mapped and returned every time."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6").mallopt(M_MMAP_THRESHOLD, MMAP_FROM_BYTES)
    except (OSError, AttributeError):
        pass                # not glibc: nothing to tune


def make_server(config, app):
    """A Cheroot server for `app` on [console] listen, with TLS when a certificate is set."""
    from cheroot import wsgi

    host, port = split_listen(config.console.listen)
    server = wsgi.Server((host, port), app, numthreads=THREADS, server_name="kiosk-console")
    if config.console.tls:
        from cheroot.ssl.builtin import BuiltinSSLAdapter
        for key in ("tls_cert", "tls_key"):
            path = getattr(config.console, key)
            try:
                with open(path, "rb"):
                    pass
            except OSError as exc:
                raise ConfigError(f"console.{key}", f"{path} cannot be read ({exc.strerror or exc})",
                                  "run scripts/install-pi.sh again to make a certificate, or fix the path") from None
        try:
            server.ssl_adapter = BuiltinSSLAdapter(config.console.tls_cert, config.console.tls_key)
        except (ssl.SSLError, ValueError) as exc:
            raise ConfigError("console.tls_cert", f"the certificate or its key is not usable ({exc})",
                              "give a PEM certificate and its matching private key") from None
    return server


def run(config) -> int:
    """Entry point of `kiosk console`."""
    from kiosk.service import Lifecycle

    life = Lifecycle("console")         # first: a stop while Flask loads is a clean stop too
    give_big_buffers_back()
    if config.console.district:
        return _run_district(config, life)
    from kiosk.console.app import create_app
    from kiosk.console.health import HealthPublisher
    from kiosk.console.live import StationView
    from kiosk.console.operations import Operations
    from kiosk.ideas.answer_mail import AnswerMailer
    from kiosk.ideas.store import IdeaStore
    from kiosk.staff.accounts import StaffAccounts

    accounts = StaffAccounts.open(config)
    ideas = IdeaStore.open(config)
    bus = Bus(config, "console")
    view = StationView(bus.topics)
    view.attach(bus)
    health = HealthPublisher(config, bus, lambda: view.snapshot().services)
    view.on_services(health.services_changed)
    app = create_app(config, accounts, view, Operations(bus, ideas), health=lambda: health.latest)
    mailer = AnswerMailer.for_station(config, ideas)       # tells ideas' authors their answer
    app.extensions["answer_mails"] = mailer
    mailing = threading.Thread(target=mailer.run, name="answer-mails", daemon=True)

    def tick() -> None:
        try:
            health.tick()
        except Exception:  # noqa: BLE001 — a bug in the health must not stop the console
            bus.log_bug("the station's health")

    def stopped() -> None:
        mailer.stop()
        mailing.join(MAIL_JOIN_S)
        ideas.close()
        accounts.close()
    return _serve(config, life, app, bus, tick, stopped, also=mailing.start)


def _run_district(config, life) -> int:
    """District mode: every station on the central broker, read-only; it publishes nothing, not even a status."""
    from kiosk.console.app import create_app
    from kiosk.console.district_live import DistrictView
    from kiosk.staff.accounts import StaffAccounts

    accounts = StaffAccounts.open(config)
    bus = Bus(config, "console", announce=False)
    view = DistrictView()
    view.attach(bus)
    app = create_app(config, accounts, view, None)
    return _serve(config, life, app, bus, lambda: None, accounts.close)


def _serve(config, life, app, bus, tick, stopped, also=lambda: None) -> int:
    """Serve `app` until systemd (or Ctrl-C) stops the console; `tick` runs every TICK_S on this thread."""
    from kiosk.console.app import wsgi_app

    server = make_server(config, wsgi_app(config, app))
    try:
        server.prepare()
    except OSError as exc:
        raise ConfigError("console.listen", f"cannot listen on {config.console.listen} ({exc.strerror or exc})",
                          "another program uses the port, or the address is not one of this Pi's") from None
    thread = threading.Thread(target=server.serve, name="http", daemon=True)
    thread.start()
    bus.start()
    also()
    scheme = "https" if config.console.tls else "http"
    log.info("staff console%s on %s://%s/", " (district)" if config.console.district else "", scheme,
             config.console.listen)
    life.ready()
    try:
        while not life.stopping.wait(TICK_S):
            tick()
            if thread.is_alive():
                life.alive()
    finally:
        server.stop()
        bus.stop()
        stopped()
    return 0
