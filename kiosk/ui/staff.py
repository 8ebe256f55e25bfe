"""Staff mode's locks: the staff PIN (a salted scrypt hash, and a lockout after 5 wrong tries that
survives a restart), and the one booth event that opens staff mode (`is_staff_card_tap`).

Where the hash lives: `kiosk admin pin` stores it in DATA_DIR/ui.sqlite. A
non-empty `ui.staff_pin_hash` in station.toml overrides it (for stations whose
config is managed centrally); `kiosk admin pin --print-hash` prints a value for it.

Format: `scrypt$<n>$<r>$<p>$<salt hex>$<hash hex>`.
"""

from __future__ import annotations

import getpass
import sys
import time
from dataclasses import dataclass
from typing import Callable

from kiosk.booth.messages import REGISTER, BoothEvent
from kiosk.config import UiConfig
from kiosk.errors import ConfigError
from kiosk.passwords import SCRYPT_N, SCRYPT_P, SCRYPT_R, hash_secret, verify_secret

MAX_TRIES = 5
PIN_MIN, PIN_MAX = 4, 8
MAX_LOCKOUT_S = 3600


def hash_pin(pin: str, salt: bytes | None = None, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    """The stored form of a PIN; raises ConfigError for a PIN that is not 4–8 digits."""
    check_pin_format(pin)
    return hash_secret(pin, salt, n, r, p)


def verify_pin(pin: str, stored: str) -> bool:
    """True when `pin` matches the stored hash (constant-time compare); False for a malformed hash."""
    return verify_secret(pin, stored)


def is_staff_card_tap(event: BoothEvent) -> bool:
    """True only for the booth's event of a staff card held to its reader, the one booth event that
    opens staff mode: a `register` event with the card's pseudonym and mode "books" or "cards",
    without a reason (kiosk.booth.events).

    Everything else keeps staff mode closed: register mode ending ("off" — by a third tap, a time-out
    or a command), a register command from a staff screen (no card), and any other event. The kiosk
    stands in a shop window: staff mode must never open unattended.
    """
    return (event.type == REGISTER and event.reason is None and event.mode in ("books", "cards")
            and bool((event.card or "").strip()))


def check_pin_format(pin: str) -> None:
    if not (pin.isdigit() and pin.isascii() and PIN_MIN <= len(pin) <= PIN_MAX):
        raise ConfigError("pin", f"must be {PIN_MIN} to {PIN_MAX} digits", "choose a PIN of digits only, e.g. 4 to 8 numbers")


@dataclass(frozen=True)
class Attempt:
    """The outcome of one PIN try."""

    ok: bool
    locked_for_s: float = 0.0      # > 0: locked, try again after this many seconds
    tries_left: int = MAX_TRIES
    no_pin: bool = False           # no PIN has been set up yet


class PinGuard:
    """Checks staff PINs; after MAX_TRIES wrong ones it locks for `lockout_s` (doubling, up to 1 h).

    The count and the lock live in ui.sqlite, so a restart does not reset them.
    """

    # The lockout is the station's setting ui.pin_lockout_s; without one, that setting's default.
    def __init__(self, store, config_hash: str = "", lockout_s: float = UiConfig.pin_lockout_s,
                 clock: Callable[[], float] = time.time):
        self.store = store
        self.config_hash = config_hash
        self.lockout_s = lockout_s
        self.clock = clock

    def stored_hash(self) -> str:
        return self.config_hash or self.store.setting("staff_pin_hash", "")

    def locked_for(self) -> float:
        _, until, _ = self.store.guard()
        return max(0.0, until - self.clock())

    def tries_left(self) -> int:
        failures, _, _ = self.store.guard()
        return max(0, MAX_TRIES - failures)

    def attempt(self, pin: str) -> Attempt:
        stored = self.stored_hash()
        if not stored:
            return Attempt(False, no_pin=True)
        failures, until, lockouts = self.store.guard()
        now = self.clock()
        if until > now:
            return Attempt(False, locked_for_s=until - now, tries_left=0)
        if verify_pin(pin, stored):
            self.store.set_guard(0, 0.0, 0)
            return Attempt(True)
        failures += 1
        if failures >= MAX_TRIES:
            lockouts += 1
            duration = min(MAX_LOCKOUT_S, self.lockout_s * 2 ** (lockouts - 1))
            self.store.set_guard(0, now + duration, lockouts)
            return Attempt(False, locked_for_s=duration, tries_left=0)
        self.store.set_guard(failures, until if until > now else 0.0, lockouts)
        return Attempt(False, tries_left=MAX_TRIES - failures)

    def set_pin(self, pin: str) -> None:
        self.store.set_setting("staff_pin_hash", hash_pin(pin))
        self.store.set_guard(0, 0.0, 0)

    def unlock(self) -> None:
        self.store.set_guard(0, 0.0, 0)


def admin_pin(config, args) -> int:
    """`kiosk admin pin`: set, clear or unlock the staff PIN of the touch kiosk."""
    from kiosk.ui.store import UiStore

    if args.print_hash:
        pin = args.pin or _ask_pin()
        print(hash_pin(pin))
        return 0
    store = UiStore.open(config)
    try:
        guard = PinGuard(store, config.ui.staff_pin_hash)
        if args.unlock:
            guard.unlock()
            print("The PIN lock is lifted; staff can try again.")
            return 0
        if args.clear:
            store.set_setting("staff_pin_hash", None)
            print("The staff PIN is removed; staff mode opens only with a staff card now.")
            return 0
        pin = args.pin or _ask_pin()
        guard.set_pin(pin)
        print("The staff PIN is set. Open staff mode by holding the motto on the home screen for 3 seconds.")
        if config.ui.staff_pin_hash:
            print("note: ui.staff_pin_hash in station.toml is set and takes precedence; remove it to use this PIN.",
                  file=sys.stderr)
        return 0
    finally:
        store.close()


def _ask_pin() -> str:
    if not sys.stdin.isatty():
        raise ConfigError("--pin", "no PIN given and no terminal to ask on", "pass --pin 1234 or run it in a terminal")
    first = getpass.getpass("New staff PIN (4–8 digits): ")
    check_pin_format(first)
    if getpass.getpass("Once more: ") != first:
        raise ConfigError("pin", "the two PINs differ", "run the command again")
    return first
