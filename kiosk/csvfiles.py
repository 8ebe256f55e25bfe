"""Every CSV file the station writes or reads goes through here.

Staff open the station's CSV files in a spreadsheet. A cell whose text starts with
`=`, `+`, `-` or `@` (or a tab or carriage return, which some programs skip first) is
run as a formula there: a book titled `=HYPERLINK("http://…")` would become a live link,
or worse. Such a text is written with a leading apostrophe, which spreadsheets take as
"this is text" (OWASP's advice for CSV injection). Numbers stay numbers.

Reading: a malformed file (a field longer than the csv module's limit, a stray quote)
becomes one `BadImport` naming the file and line, never a `_csv.Error` traceback.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

from kiosk.errors import BadImport

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"


def safe_cell(value: object) -> object:
    """`value` as a spreadsheet should show it: a text that would start a formula gets TEXT_MARK.

    Numbers are written as they are (a negative number is a number in every spreadsheet).
    """
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_PREFIXES):
        return TEXT_MARK + value
    return value


def csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> str:
    """The CSV (header line, then one line per row) of `rows`, each cell made safe."""
    buffer = io.StringIO()
    # CRLF as RFC 4180 has it; it also makes the writer quote a cell holding a lone CR,
    # which it leaves bare with a plain "\n" terminator (and every reader then breaks the row).
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(c) for c in columns])
    for row in rows:
        writer.writerow([safe_cell(row.get(c, "")) for c in columns])
    return buffer.getvalue()


def read_rows(text: str, source: str) -> list[list[str]]:
    """The rows of a CSV text (a leading byte-order mark is ignored). Raises BadImport."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        return list(reader)
    except csv.Error as exc:
        raise BadImport(f"{source}, line {reader.line_num}: not readable as CSV ({exc}); "
                        "nothing imported") from None
