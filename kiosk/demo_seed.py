"""What `kiosk demo` starts with: about thirty children's books, two children's cards, a staff card.

The tag UIDs are fixed so the demo's virtual taps (and a viewer's own MQTT messages to
`booth/simulate`) can present them; they exist only in the demo's own data folder.
"""

from __future__ import annotations

CHILD_CARDS = {"a": "04a1b2c3", "b": "04d4e5f6"}       # Lesefuchs 1, Bücherwurm 2 (next free pseudonyms)
STAFF_CARD = "0badcafe"

BOOKS = [
    ("Das Sams", "Paul Maar", "8-10"), ("Der Grüffelo", "Julia Donaldson", "3-6"),
    ("Die kleine Raupe Nimmersatt", "Eric Carle", "3-6"), ("Pippi Langstrumpf", "Astrid Lindgren", "6-9"),
    ("Jim Knopf und Lukas der Lokomotivführer", "Michael Ende", "8-10"),
    ("Das kleine Gespenst", "Otfried Preußler", "6-9"), ("Die kleine Hexe", "Otfried Preußler", "6-9"),
    ("Emil und die Detektive", "Erich Kästner", "9-12"), ("Das doppelte Lottchen", "Erich Kästner", "9-12"),
    ("Momo", "Michael Ende", "10-13"), ("Wo die wilden Kerle wohnen", "Maurice Sendak", "3-6"),
    ("Frederick", "Leo Lionni", "3-6"), ("Das Neinhorn", "Marc-Uwe Kling", "4-7"),
    ("Der Regenbogenfisch", "Marcus Pfister", "3-6"), ("Rico, Oskar und die Tieferschatten", "Andreas Steinhöfel", "10-13"),
    ("Die unendliche Geschichte", "Michael Ende", "11-14"), ("Heidi", "Johanna Spyri", "8-11"),
    ("Ronja Räubertochter", "Astrid Lindgren", "9-12"), ("Die Schule der magischen Tiere", "Margit Auer", "8-11"),
    ("Das kleine Ich bin ich", "Mira Lobe", "3-6"), ("Oh, wie schön ist Panama", "Janosch", "4-7"),
    ("Der kleine Eisbär", "Hans de Beer", "3-6"), ("Conni kommt in die Schule", "Liane Schneider", "5-7"),
    ("Die Olchis", "Erhard Dietl", "6-9"), ("Checker Tobi: Das Wetter", "Gregor Eisenbeiß", "8-11"),
    ("Gregs Tagebuch", "Jeff Kinney", "10-13"), ("Tschick", "Wolfgang Herrndorf", "14-17"),
    ("Krabat", "Otfried Preußler", "12-15"), ("Die Wilden Hühner", "Cornelia Funke", "10-13"),
    ("Drachenreiter", "Cornelia Funke", "10-13"),
]


def book_tag(number: int) -> str:
    """The demo UID of book `number` (1-based); every fifth is a 7-byte NTAG213 tag."""
    if number % 5 == 0:
        return "04%012x" % (0x5EED0000 + number)
    return "b0%06x" % number


def seed(config) -> None:
    """Register the demo's books and cards once (the demo folder may be reused)."""
    from kiosk.booth.store import BoothStore

    with BoothStore.open(config) as store:
        if store.books():
            return
        for number, (title, author, age) in enumerate(BOOKS, start=1):
            store.add_book(book_tag(number), title, author, age)
        for tag in CHILD_CARDS.values():
            store.add_card(tag)
        store.add_card(STAFF_CARD, staff=True)
