"""The RF field of an emulated reader: which cards are in front of the antenna."""

from __future__ import annotations

import threading

from .air import Frame
from .cards import Picc, card_for_uid
from .uids import parse_uid


class RfidField:
    """The cards in front of one emulated MFRC522's antenna.

    Tests and the booth's `booth/simulate` handler call `present` / `remove` / `clear`
    (from any thread); the emulated chip calls `power`, `transmit` and `authenticate`.
    A card entering a powered field starts in IDLE, as a real card does.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._cards: dict[bytes, Picc] = {}
        self._powered = False

    def __repr__(self) -> str:
        return f"<RfidField {'on' if self._powered else 'off'} cards={[uid.hex() for uid in self._cards]}>"

    def __contains__(self, uid: object) -> bool:
        try:
            return parse_uid(uid) in self._cards  # type: ignore[arg-type]
        except ValueError:
            return False

    def __len__(self) -> int:
        return len(self._cards)

    @property
    def cards(self) -> tuple[Picc, ...]:
        with self._lock:
            return tuple(self._cards.values())

    def card(self, uid: bytes | str) -> Picc:
        """The card with this UID. Raises KeyError if it is not in the field, InvalidUid if malformed."""
        return self._cards[parse_uid(uid)]

    def present(self, card: Picc | bytes | str) -> Picc:
        """Bring a card (or a UID: 4 bytes -> MIFARE Classic 1K, 7 -> NTAG213) into the field.

        Presenting a card already there changes nothing. Raises InvalidUid.
        """
        with self._lock:
            if not isinstance(card, Picc):
                uid = parse_uid(card)
                if uid in self._cards:
                    return self._cards[uid]
                card = card_for_uid(uid)
            existing = self._cards.get(card.uid)
            if existing is not None:
                return existing
            card.power(self._powered)
            self._cards[card.uid] = card
            return card

    def remove(self, uid: Picc | bytes | str) -> Picc | None:
        """Take a card out of the field; returns it, or None if it was not there. Raises InvalidUid."""
        key = uid.uid if isinstance(uid, Picc) else parse_uid(uid)
        with self._lock:
            card = self._cards.pop(key, None)
        if card is not None:
            card.power(False)
        return card

    def clear(self) -> None:
        """Take every card out of the field."""
        with self._lock:
            cards, self._cards = list(self._cards.values()), {}
        for card in cards:
            card.power(False)

    # --- chip side ------------------------------------------------------------------------
    @property
    def powered(self) -> bool:
        return self._powered

    def power(self, on: bool) -> None:
        """The antenna driver switched on or off; cards lose their state either way."""
        with self._lock:
            if on == self._powered:
                return
            self._powered = on
            for card in self._cards.values():
                card.power(on)

    def transmit(self, frame: Frame, crypto_on: bool = False) -> list[Frame]:
        """Send a frame to every card; return the answers of those that answer."""
        with self._lock:
            if not self._powered:
                return []
            answers = [card.receive(frame, crypto_on) for card in self._cards.values()]
        return [answer for answer in answers if answer is not None]

    def authenticate(self, key_type: int, block: int, key: bytes, uid4: bytes) -> bool:
        """MIFARE authentication with whichever card is selected; True when it succeeds."""
        with self._lock:
            if not self._powered:
                return False
            results = [card.authenticate(key_type, block, key, uid4) for card in self._cards.values()]
        return any(results)
