"""Local stand-ins for the desk's outside services, answering in their real formats.

One small HTTP server (stdlib, a thread, a free port on 127.0.0.1) plays three services:
- the DNB's SRU interface at /sru/dnb: an SRU 1.1 searchRetrieveResponse with MARC21-xml
  records. Its shape follows a real answer of services.dnb.de for ISBN 978-3-551-55167-2
  (query num=…, recordSchema=MARC21-xml), as recorded in a public test suite of a book app:
  envelope, leader, 001/003/008, 020 ISBN, 041 language, 084 "sdnb" subject group, 100
  author with GND links and $4 aut, 245 title/$c statement, 264 place/publisher/year, 336-338,
  650/655 subjects; an unknown ISBN gives numberOfRecords 0 and no records;
- Open Library's Books API at /api/books: `{"ISBN:<isbn>": {url, key, title, authors:[{url,
  name}], publishers:[{name}], publish_date, subjects:[{name, url}], cover:{…}}}` as its
  documentation (openlibrary.org/dev/docs/api/books, jscmd=data) shows; `{}` when unknown;
- Open Library's Covers API at /b/isbn/<isbn>-M.jpg: a JPEG, or 404 with ?default=false
  when there is none (as covers.openlibrary.org does).

The books in them are examples made up for the tests (titles of well-known children's books,
ISBNs with valid check digits). Switches, per service or for all at once (`mode`):
"normal", "slow" (answers only after `slow_s`), "garbage" (random bytes as XML/JSON),
"html" (a 200 error page in HTML, as a captive portal gives), "error" (HTTP 503),
"huge" (50 MB of the right content type, no Content-Length), "body" (serve `body` with
`content_type`, for hypothesis), "redirect" (302 to a file: address).
"""

from __future__ import annotations

import io
import json
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

SERVICES = ("dnb", "openlibrary", "covers")
MODES = ("normal", "slow", "garbage", "html", "error", "huge", "body", "redirect")
HUGE_BYTES = 50 * 1024 * 1024


@dataclass
class Book:
    isbn: str
    title: str
    author: str = ""              # as the catalogue writes it: "Maar, Paul"
    publisher: str = ""
    year: str = ""
    subjects: tuple[str, ...] = ()
    audience: str = ""            # DNB 521, e.g. "ab 8 Jahren"
    cover: bool = False


@dataclass
class StandIns:
    """The running stand-ins: give their addresses to a station config, add books, flip modes."""

    base: str = ""
    dnb: dict[str, Book] = field(default_factory=dict)
    openlibrary: dict[str, Book] = field(default_factory=dict)
    modes: dict[str, str] = field(default_factory=lambda: {s: "normal" for s in SERVICES})
    slow_s: float = 30.0
    body: bytes = b""
    content_type: str = "application/xml"
    requests: list[tuple[str, str]] = field(default_factory=list)    # (service, path) in order
    huge_sent: list[int] = field(default_factory=list)   # bytes of each "huge" answer sent before the client hung up
    stopping: threading.Event = field(default_factory=threading.Event)

    @property
    def dnb_url(self) -> str:
        return f"{self.base}/sru/dnb"

    @property
    def openlibrary_url(self) -> str:
        return f"{self.base}/api/books"

    @property
    def covers_url(self) -> str:
        return f"{self.base}/b/isbn/{{isbn}}-M.jpg?default=false"

    @property
    def mode(self) -> str:
        return self.modes["dnb"]

    @mode.setter
    def mode(self, value: str) -> None:
        assert value in MODES, value
        self.modes = {s: value for s in SERVICES}

    def add_book(self, isbn: str, title: str, author: str = "", *, publisher: str = "", year: str = "",
                 subjects: tuple[str, ...] = (), audience: str = "", cover: bool = False,
                 source: str = "dnb") -> Book:
        """A book that `source` ("dnb", "openlibrary" or "both") knows."""
        book = Book(isbn, title, author, publisher, year, tuple(subjects), audience, cover)
        if source in ("dnb", "both"):
            self.dnb[isbn] = book
        if source in ("openlibrary", "both"):
            self.openlibrary[isbn] = book
        return book

    def count(self, service: str) -> int:
        """How many requests `service` got so far."""
        return sum(1 for s, _ in self.requests if s == service)

    def desk_toml(self, *, timeout_s: float = 2.0, online: bool = True) -> str:
        """The [desk] section of a station.toml that points at these stand-ins."""
        return (f'\n[desk]\nonline = {"true" if online else "false"}\ndnb_url = "{self.dnb_url}"\n'
                f'openlibrary_url = "{self.openlibrary_url}"\ncovers_url = "{self.covers_url}"\n'
                f"lookup_timeout_s = {timeout_s}\n")


def start() -> tuple[StandIns, ThreadingHTTPServer]:
    state = StandIns()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="desk-stand-ins",
                     daemon=True).start()
    return state, server


def stop(state: StandIns, server: ThreadingHTTPServer) -> None:
    state.stopping.set()           # ends a "slow" answer at once
    server.shutdown()
    server.server_close()


# --- the answers ---------------------------------------------------------------------------

def dnb_answer(books: list[Book], query: str) -> bytes:
    records = "".join(f"<record><recordSchema>MARC21-xml</recordSchema><recordPacking>xml</recordPacking>"
                      f"<recordData>{marc_record(b)}</recordData><recordPosition>{i + 1}</recordPosition></record>"
                      for i, b in enumerate(books))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<searchRetrieveResponse xmlns="http://www.loc.gov/zing/srw/"><version>1.1</version>'
            f"<numberOfRecords>{len(books)}</numberOfRecords>"
            + (f"<records>{records}</records>" if books else "")
            + f"<echoedSearchRetrieveRequest><version>1.1</version><query>{escape(query)}</query>"
            '<xQuery xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/>'
            "<recordSchema>MARC21-xml</recordSchema></echoedSearchRetrieveRequest>"
            "</searchRetrieveResponse>").encode("utf-8")


def marc_record(book: Book) -> str:
    def datafield(tag: str, ind1: str, ind2: str, *subfields: tuple[str, str]) -> str:
        inner = "".join(f'<subfield code="{c}">{escape(v)}</subfield>' for c, v in subfields if v)
        return f'<datafield tag="{tag}" ind1="{ind1}" ind2="{ind2}">{inner}</datafield>'

    fields = [
        '<leader>00000nam a2200000 c 4500</leader>',
        '<controlfield tag="001">958577617</controlfield>',
        '<controlfield tag="003">DE-101</controlfield>',
        f'<controlfield tag="008">000301s{escape(book.year[:4]) or "    "}    gw ||||| |||| 00||||ger  </controlfield>',
        datafield("020", " ", " ", ("a", book.isbn), ("c", "Pp. : EUR 12.00")),
        datafield("041", " ", " ", ("a", "ger")),
        datafield("084", " ", " ", ("a", "K" if book.audience or "Kinderbuch" in book.subjects else "B"),
                  ("q", "DE-101"), ("2", "sdnb")),
    ]
    if book.author:
        fields.append(datafield("100", "1", " ", ("0", "(DE-588)118577255"), ("0", "http://d-nb.info/gnd/118577255"),
                                ("a", book.author), ("d", "1937-"), ("e", "Verfasser"), ("4", "aut")))
    fields += [
        datafield("245", "1", "0", ("a", book.title), ("c", " ".join(reversed(book.author.split(", "))))),
        datafield("264", " ", "1", ("a", "Hamburg"), ("b", book.publisher), ("c", f"[{book.year}]" if book.year else "")),
        datafield("300", " ", " ", ("a", "155 S."), ("c", "22 cm")),
        datafield("336", " ", " ", ("a", "Text"), ("b", "txt"), ("2", "rdacontent")),
    ]
    if book.audience:
        fields.append(datafield("521", " ", " ", ("a", book.audience)))
    fields += [datafield("655", " ", "7", ("a", s), ("2", "gnd-content")) for s in book.subjects]
    return f'<record xmlns="http://www.loc.gov/MARC21/slim" type="Bibliographic">{"".join(fields)}</record>'


def openlibrary_answer(book: Book | None, bibkey: str) -> bytes:
    if book is None:
        return b"{}"
    names = [part.strip() for part in book.author.split(",")][::-1] if book.author else []
    record = {
        "url": f"https://openlibrary.org/books/OL1397864M/{book.title.replace(' ', '_')}",
        "key": "/books/OL1397864M",
        "title": book.title,
        "authors": [{"url": "https://openlibrary.org/authors/OL223368A", "name": " ".join(names)}] if names else [],
        "number_of_pages": 159,
        "identifiers": {"isbn_13": [book.isbn], "openlibrary": ["OL1397864M"]},
        "publishers": [{"name": book.publisher}] if book.publisher else [],
        "publish_date": book.year,
        "subjects": [{"name": s, "url": "https://openlibrary.org/subjects/" + s.lower().replace(" ", "_")}
                     for s in book.subjects],
        "cover": {"small": "https://covers.openlibrary.org/b/id/240726-S.jpg",
                  "medium": "https://covers.openlibrary.org/b/id/240726-M.jpg"},
    }
    return json.dumps({bibkey: record}).encode("utf-8")


def cover_jpeg(size: tuple[int, int] = (180, 270)) -> bytes:
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", size, (220, 60, 40))
    ImageDraw.Draw(picture).ellipse((30, 60, size[0] - 30, size[1] - 90), fill=(250, 210, 60))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90)
    return out.getvalue()


HTML_PAGE = (b"<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head>"
             b"<body><h1>Wartungsarbeiten</h1><p>Bitte versuchen Sie es sp\xc3\xa4ter.</p></body></html>")


def _handler(state: StandIns):
    cover = cover_jpeg()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(parts.query))
            if parts.path == "/sru/dnb":
                service = "dnb"
            elif parts.path == "/api/books":
                service = "openlibrary"
            elif parts.path.startswith("/b/isbn/"):
                service = "covers"
            else:
                self._send(404, "text/plain", b"not here")
                return
            state.requests.append((service, self.path))
            mode = state.modes[service]
            if mode == "slow":
                state.stopping.wait(state.slow_s)
            if mode in ("normal", "slow"):
                self._answer(service, parts.path, query)
            elif mode == "garbage":
                kind = {"dnb": "application/xml", "openlibrary": "application/json", "covers": "image/jpeg"}[service]
                self._send(200, kind, bytes(range(256)) * 8)
            elif mode == "html":
                self._send(200, "text/html; charset=utf-8", HTML_PAGE)
            elif mode == "error":
                self._send(503, "text/html; charset=utf-8", HTML_PAGE)
            elif mode == "huge":
                self._huge(service)
            elif mode == "body":
                self._send(200, state.content_type, state.body)
            elif mode == "redirect":
                self.send_response(302)
                self.send_header("Location", "file:///etc/passwd")
                self.end_headers()

        def _answer(self, service: str, path: str, query: dict[str, str]) -> None:
            if service == "dnb":
                isbn = query.get("query", "").removeprefix("num=")
                books = [state.dnb[isbn]] if isbn in state.dnb else []
                self._send(200, "application/xml;charset=UTF-8", dnb_answer(books, query.get("query", "")))
            elif service == "openlibrary":
                bibkey = query.get("bibkeys", "")
                book = state.openlibrary.get(bibkey.removeprefix("ISBN:"))
                self._send(200, "application/json", openlibrary_answer(book, bibkey))
            else:
                isbn = path.removeprefix("/b/isbn/").removesuffix("-M.jpg")
                book = state.dnb.get(isbn) or state.openlibrary.get(isbn)
                if book and book.cover:
                    self._send(200, "image/jpeg", cover)
                else:
                    self._send(404, "text/html", b"<html><body>Not Found</body></html>")

        def _huge(self, service: str) -> None:
            kind = {"dnb": "application/xml", "openlibrary": "application/json", "covers": "image/jpeg"}[service]
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.end_headers()
            chunk = b"<a>" + b"x" * (64 * 1024 - 3)
            sent = 0
            try:
                for _ in range(HUGE_BYTES // len(chunk)):
                    if state.stopping.is_set():
                        break
                    self.wfile.write(chunk)
                    sent += len(chunk)
            except OSError:          # the client stopped reading at its cap: as it should
                pass
            state.huge_sent.append(sent)

        def _send(self, status: int, kind: str, body: bytes) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:          # the client gave up (its deadline passed)
                pass

    return Handler
