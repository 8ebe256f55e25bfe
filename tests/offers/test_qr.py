from datetime import datetime, time, timezone

from kiosk.offers import Offer, Slot, offer_qr_text, qr_matrix, wifi_qr_text

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)


def has_finder(matrix, top, left):
    """A 7×7 finder pattern: dark ring, light ring, dark 3×3 centre."""
    for r in range(7):
        for c in range(7):
            ring = max(abs(r - 3), abs(c - 3))
            if matrix[top + r][left + c] != (ring != 2):
                return False
    return True


def test_qr_matrix_is_square_with_finders_in_three_corners():
    matrix = qr_matrix("Müttercafé für Alleinerziehende")
    size = len(matrix)
    assert all(len(row) == size for row in matrix)
    border = 2
    assert not any(matrix[0]) and not any(row[0] for row in matrix)   # quiet zone
    assert has_finder(matrix, border, border)
    assert has_finder(matrix, border, size - border - 7)
    assert has_finder(matrix, size - border - 7, border)
    assert not has_finder(matrix, size - border - 7, size - border - 7)
    assert (size - 2 * border - 21) % 4 == 0                           # a valid QR version


def test_qr_matrix_grows_with_the_text():
    assert len(qr_matrix("x" * 10)) < len(qr_matrix("x" * 100)) < len(qr_matrix("ж" * 140))


def test_wifi_qr_text_escapes_special_characters():
    assert wifi_qr_text("Batenbrock-frei") == "WIFI:T:nopass;S:Batenbrock-frei;;"
    assert wifi_qr_text('a;b,c:d\\e"f') == 'WIFI:T:nopass;S:a\\;b\\,c\\:d\\\\e\\"f;;'


def test_offer_qr_text_holds_the_essentials_and_stays_short():
    cafe = Offer(id="cafe", title={"de": "Müttercafé", "en": "Mothers' café"}, place="Stadtteilbüro Batenbrock",
                 cost={"de": "kostenlos", "en": "free"}, free=True, contact="Stadtteilbüro Batenbrock",
                 url="https://example.org/cafe", weekly=(Slot(1, time(9, 30), time(11, 30)),))
    assert offer_qr_text(cafe, "en", NOW) == ("Mothers' café\nEvery Tuesday, 09:30–11:30\n"
                                              "Where: Stadtteilbüro Batenbrock\nCost: free\n"
                                              "Contact: Stadtteilbüro Batenbrock\nhttps://example.org/cafe")
    wordy = Offer(id="w", title={"de": "T" * 400}, place="P" * 200, url="https://example.org/" + "u" * 100,
                  contact="Stadtteilbüro Batenbrock", always_open=True)
    text = offer_qr_text(wordy, "de", NOW)
    assert len(text) < 300
    assert "Immer offen" in text and "Kontakt: Stadtteilbüro Batenbrock" in text
    assert "https://" not in text          # a cut link is useless: dropped, not cut
