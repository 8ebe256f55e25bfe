"""Labels for a shelf of 300 books: time and peak memory of `kiosk admin book labels 1-300`.

Station side: a booth.sqlite with 300 books (titles of every length, a fifth of them long enough
to be shortened, authors), then, in a fresh process each, the real command
`python -m kiosk admin book labels 1-300 --sheet 3474 --pdf FILE` (13 sheets) — reading the
books, choosing them, fitting each title, recording them as printed. The bare peer, in the same
run: `python -c` drawing the same 300 titles as plain strings with ReportLab's canvas at the same
places, one A4 page per 24, and saving it (what any label PDF costs before it lays anything out).

Measured per process with wait4(): wall time (the fastest of 7 interleaved runs) and ru_maxrss
(the peak resident set). For information also the drawing alone, in this process: labels_pdf()
against the bare canvas loop, both with ReportLab already imported (the fastest of 7).
Goals: peak RSS < 80 MB; time <= 2x the bare peer.
"""

from __future__ import annotations

import sys
import time

import common

GOAL_MB, GOAL_RATIO = 80.0, 2.0
RUNS, QUICK_RUNS = 7, 1
BOOKS = 300
WORDS = ("Das", "kleine", "Gespenst", "und", "die", "Räuberbande", "im", "Schlaraffenland", "Ein",
         "Abenteuer", "für", "Olchi-Opa", "Drachenfest", "Müllberg", "große", "Reise")


def title(n: int) -> str:
    length = 2 + (n * 7) % 6 + (12 if n % 5 == 0 else 0)
    return " ".join(WORDS[(n + k * 3) % len(WORDS)] for k in range(length))


BARE = f"""
import io, sys
sys.path.insert(0, {str(common.BENCH_DIR)!r})
from bench_labels import BOOKS, title
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
out = io.BytesIO()
c = Canvas(out, pagesize=A4, pageCompression=1)
for n in range(BOOKS):
    if n and n % 24 == 0:
        c.showPage()
    row, col = divmod(n % 24, 3)
    c.setFont("Helvetica-Bold", 10)
    c.drawString((4 + col * 70) * mm, A4[1] - (10 + row * 37) * mm, title(n + 1))
c.save()
open(sys.argv[1], "wb").write(out.getvalue())
"""


def seed(config) -> None:
    from kiosk.booth.store import BoothStore

    rows = "tag,title,author,age_group\n" + "".join(
        f"b{n:07x},{title(n)},Autorin Nummer {n},6-9\n" for n in range(1, BOOKS + 1))
    with BoothStore.open(config) as store:
        store.import_books(rows)


def drawing_only(runs: int) -> tuple[float, float]:
    """(labels_pdf, bare canvas) seconds in this process, ReportLab imported already."""
    from kiosk.desk.labels import labels_pdf
    from kiosk.desk.sheets import SHEETS

    books = [{"id": n, "title": title(n), "author": f"Autorin Nummer {n}"} for n in range(1, BOOKS + 1)]
    namespace: dict = {}
    body = BARE.split("out = io.BytesIO()", 1)[1].replace("open(sys.argv[1], \"wb\").write(out.getvalue())", "")

    def bare() -> None:
        exec("import io\nout = io.BytesIO()" + body, namespace)

    exec(BARE.split("out = io.BytesIO()", 1)[0], namespace)
    ours, theirs = [], []
    for _ in range(runs):
        began = time.perf_counter()
        labels_pdf(books, SHEETS["3474"])
        ours.append(time.perf_counter() - began)
        began = time.perf_counter()
        bare()
        theirs.append(time.perf_counter() - began)
    return min(ours), min(theirs)


def main() -> None:
    args = common.quick_flag(__doc__)
    runs = QUICK_RUNS if args.quick else RUNS
    common.header("labels for 300 books", "kiosk admin book labels 1-300 vs. a bare ReportLab canvas of 300 strings")
    with common.seeded("labels", __file__) as (folder, path):
        labels = [common.PYTHON, "-m", "kiosk", "--config", str(path), "admin", "book", "labels", f"1-{BOOKS}",
                  "--sheet", "3474", "--pdf", str(folder / "etiketten.pdf")]
        bare = [common.PYTHON, "-c", BARE, str(folder / "bare.pdf")]
        (t, peak), (bt, bare_peak) = common.interleaved(labels, bare, runs)
        size, bare_size = (folder / "etiketten.pdf").stat().st_size, (folder / "bare.pdf").stat().st_size
    ours, theirs = drawing_only(runs)
    print(f"  kiosk admin book labels 1-300: {t * 1000:6.0f} ms, peak RSS {peak:5.1f} MB (PDF {size / 1000:.0f} kB)")
    print(f"  bare ReportLab canvas:         {bt * 1000:6.0f} ms, peak RSS {bare_peak:5.1f} MB "
          f"(PDF {bare_size / 1000:.0f} kB)")
    print(f"  time ratio {t / bt:.2f} x, memory ratio {peak / bare_peak:.2f} x")
    print(f"  drawing alone (ReportLab imported): labels_pdf {ours * 1000:.0f} ms, bare {theirs * 1000:.0f} ms, "
          f"ratio {ours / theirs:.2f} x")
    if args.quick:
        print("(quick run: one run only, not a measurement)")
    common.verdict(f"peak RSS of kiosk admin book labels < {GOAL_MB:.0f} MB ({peak:.1f} MB)", peak < GOAL_MB)
    common.verdict(f"time of kiosk admin book labels <= {GOAL_RATIO:.0f} x the bare canvas ({t / bt:.2f} x)",
                   t / bt <= GOAL_RATIO)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--seed":
        from kiosk import config as config_mod

        seed(config_mod.load(sys.argv[2]))
    else:
        main()
