"""The Deutsche Nationalbibliothek's SRU interface: the question for an ISBN, and its answer
(MARC21-xml) read into BookFacts.

The DNB collects every book published in Germany, so German children's books are found here
first. The interface is open, needs no account, and its metadata is CC0 (docs/desk.md).
Request: searchRetrieve, SRU 1.1, `query=num=<ISBN>` (the DNB's index of ISBNs and other
numbers), recordSchema=MARC21-xml. The answer is an SRU envelope
(http://www.loc.gov/zing/srw/) whose records hold MARC21 "slim" XML
(http://www.loc.gov/MARC21/slim): 245 title, 100/700 persons, 264/260 publisher and year,
521 audience, 650/653/655/689 subjects.

XML from the network: the body must be UTF-8 and hold no DOCTYPE, so it can declare no
entities (no "billion laughs", no external files); its size is capped by the fetch.
"""

from __future__ import annotations

import urllib.parse
import xml.etree.ElementTree as ET

from kiosk.desk import facts
from kiosk.desk.facts import BookFacts
from kiosk.errors import SourceFailed

SRW = "{http://www.loc.gov/zing/srw/}"
MARC = "{http://www.loc.gov/MARC21/slim}"
CONTENT_TYPES = ("application/xml", "text/xml")
MAX_BYTES = 1024 * 1024       # one record is some 10 KB; three fit many times over
MAX_RECORDS = 3               # an ISBN may name a few records (editions, a set); the first with a title wins
SUBJECT_TAGS = ("521", "650", "653", "655", "689", "084")


def url(base: str, isbn13: str) -> str:
    query = urllib.parse.urlencode({"version": "1.1", "operation": "searchRetrieve", "query": f"num={isbn13}",
                                    "recordSchema": "MARC21-xml", "maximumRecords": str(MAX_RECORDS)})
    return f"{base}?{query}"


def parse(body: bytes, isbn13: str) -> BookFacts | None:
    """The book in the DNB's answer, None when the DNB does not know it; raises SourceFailed for
    anything that is not an SRU answer."""
    root = parse_xml(body)
    if root.tag != f"{SRW}searchRetrieveResponse":
        raise SourceFailed("the DNB's answer is no SRU response")
    if root.find(f"{SRW}diagnostics") is not None:
        raise SourceFailed("the DNB refused the question (SRU diagnostics)")
    for record in root.iter(f"{MARC}record"):
        found = _book(record, isbn13)
        if found:
            return found
    return None


def parse_xml(body: bytes) -> ET.Element:
    """The root of an XML answer; raises SourceFailed for non-UTF-8, a DOCTYPE, or broken XML."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise SourceFailed("the answer is not UTF-8") from None
    if "<!" in text.replace("<![CDATA[", "").replace("<!--", ""):
        raise SourceFailed("the answer declares a DOCTYPE or entities")
    try:
        return ET.fromstring(text)
    except (ET.ParseError, ValueError):
        raise SourceFailed("the answer is no well-formed XML") from None


def _book(record: ET.Element, isbn13: str) -> BookFacts | None:
    fields: dict[str, list[ET.Element]] = {}
    for datafield in record.findall(f"{MARC}datafield"):
        fields.setdefault(datafield.get("tag", ""), []).append(datafield)

    def sub(tag: str, code: str) -> list[str]:
        return [s.text or "" for f in fields.get(tag, []) for s in f.findall(f"{MARC}subfield")
                if s.get("code") == code]

    title = facts.title_text(*(sub("245", "a")[:1] + sub("245", "p")[:1]))
    if not title:
        return None
    people = sub("100", "a") + [name for f in fields.get("700", []) for name in _authors_of(f)]
    imprint = fields.get("264", []) or fields.get("260", [])
    publisher = next((s.text or "" for f in imprint for s in f.findall(f"{MARC}subfield") if s.get("code") == "b"), "")
    dates = [s.text or "" for f in imprint for s in f.findall(f"{MARC}subfield") if s.get("code") == "c"]
    control = next((c.text or "" for c in record.findall(f"{MARC}controlfield") if c.get("tag") == "008"), "")
    subjects = [s.text or "" for tag in SUBJECT_TAGS for f in fields.get(tag, [])
                for s in f.findall(f"{MARC}subfield") if s.get("code") == "a"]
    return BookFacts(isbn=isbn13, title=title, author=facts.authors(people), publisher=facts.field_text(publisher),
                     year=facts.year(*dates, control[7:11]), age_group=facts.age_group(subjects + _sachgruppe(fields)),
                     source="dnb")


def _authors_of(field: ET.Element) -> list[str]:
    """A 700 person who wrote the book ($4 aut), not a translator or illustrator of it."""
    codes = {s.get("code"): s.text or "" for s in field.findall(f"{MARC}subfield")}
    roles = [s.text for s in field.findall(f"{MARC}subfield") if s.get("code") == "4"]
    if "aut" in roles and "t" not in codes:       # $t: the person's other work (an original title)
        return [codes.get("a", "")]
    return []


def _sachgruppe(fields: dict[str, list[ET.Element]]) -> list[str]:
    """The DNB's subject group "K" (Kinder- und Jugendliteratur) as a word the age rule knows."""
    groups = [s.text or "" for f in fields.get("084", []) + fields.get("083", [])
              for s in f.findall(f"{MARC}subfield") if s.get("code") == "a"]
    return ["Kinder- und Jugendliteratur"] if "K" in groups else []
