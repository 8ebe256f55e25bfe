"""QR codes a passer-by scans to take an offer (or the Wi-Fi) home on the phone.

The matrix comes from the `qrcode` package without Pillow; the UI draws it.
Texts stay short (MAX_QR_CHARS) so the code keeps modules big enough to scan
from the 7" screen.
"""

from __future__ import annotations

from datetime import datetime

import qrcode
import qrcode.constants

from kiosk.languages import CODES as LANGS
from kiosk.offers.model import Offer
from kiosk.offers.when import describe_when

MAX_QR_CHARS = 299
QR_BORDER = 2   # quiet-zone modules around the code, included in the matrix

LABELS = {
    "de": {"where": "Wo", "cost": "Kosten", "contact": "Kontakt"},
    "en": {"where": "Where", "cost": "Cost", "contact": "Contact"},
    "tr": {"where": "Yer", "cost": "Ücret", "contact": "İletişim"},
    "ar": {"where": "المكان", "cost": "التكلفة", "contact": "التواصل"},
    "uk": {"where": "Де", "cost": "Вартість", "contact": "Контакт"},
}


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR code of `text` (UTF-8, error correction M) as rows of booleans, True = dark.

    The matrix includes a quiet zone of QR_BORDER modules on every side.
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QR_BORDER)
    code.add_data(text.encode("utf-8"))
    code.make(fit=True)
    return [[bool(cell) for cell in row] for row in code.get_matrix()]


def offer_qr_text(offer: Offer, lang: str, now: datetime) -> str:
    """Plain text a phone shows after scanning: title, when, where, cost, contact, link.

    Always shorter than 300 characters; long fields are shortened with "…",
    the link is dropped rather than cut.
    """
    if lang not in LANGS:
        lang = "de"
    labels = LABELS[lang]
    title = offer.text("title", lang)
    lines = [
        title,
        describe_when(offer, lang, now),
        f"{labels['where']}: {offer.place}" if offer.place else "",
        f"{labels['cost']}: {offer.text('cost', lang)}" if offer.text("cost", lang) else "",
        f"{labels['contact']}: {offer.contact}" if offer.contact else "",
    ]
    lines = [line for line in lines if line]
    url = offer.url.strip()
    text = "\n".join(lines + ([url] if url else []))
    if len(text) <= MAX_QR_CHARS:
        return text
    # Too long: a cut link is useless, so drop it; then shorten the longest lines.
    text = "\n".join(lines)
    while len(text) > MAX_QR_CHARS:
        longest = max(range(len(lines)), key=lambda i: len(lines[i]))
        excess = len(text) - MAX_QR_CHARS
        keep = max(10, len(lines[longest]) - excess - 1)
        lines[longest] = lines[longest][:keep].rstrip() + "…"
        text = "\n".join(lines)
    return text


def wifi_qr_text(ssid: str) -> str:
    """The Wi-Fi QR payload for an open network: phones offer to join it when scanned."""
    escaped = "".join("\\" + c if c in '\\;,:"' else c for c in ssid)
    return f"WIFI:T:nopass;S:{escaped};;"
