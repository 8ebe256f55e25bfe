"""The library desk's ISBN look-up: what importing it costs, and a cached vs uncached find.

    python bench/bench_desk_lookup.py [--quick]

1. Memory: resident-set growth of `import kiosk.desk.lookup` in a fresh interpreter, against a
   bare `import urllib.request, sqlite3, json, xml.etree.ElementTree` (the standard modules
   it stands on). Pillow is imported only when a cover is shrunk, so it is not in this figure.
2. Time, against the DNB stand-in of tests/desk/stand_ins.py on 127.0.0.1 (no internet):
   an uncached `find` (GET the DNB answer, parse MARC21-xml, write the cache row with a
   durable commit; covers off) and a cached `find` (one SQLite read), each against a bare
   `urllib.request.urlopen(url).read()` of the same DNB answer — the least any look-up costs.
   Locally the network is nearly free; on the Pi the DNB takes 0.2-1 s, so the cache's gain
   there is far larger than the ratio shown.

Goals: import adds < 8 MB; a cached find < 0.5 × a bare local GET; an uncached find < 10 ×
a bare local GET (it adds parsing and an fsync'd write).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import common  # noqa: E402

IMPORT_GOAL_MB = 8.0
BARE = "import urllib.request, sqlite3, json, xml.etree.ElementTree"
RSS_AFTER = """
import sys
def rss():
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS:'):
            return int(line.split()[1])
before = rss()
exec(sys.argv[1])
print(rss() - before)
"""


def import_kib(statement: str) -> int:
    out = subprocess.run([common.PYTHON, "-c", RSS_AFTER, statement], capture_output=True, text=True,
                         check=True, cwd=common.REPO)
    return int(out.stdout.strip())


def isbn13(n: int) -> str:
    body = f"978{n:09d}"
    return body + str((10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body)) % 10) % 10)


def main() -> None:
    args = common.quick_flag(__doc__)
    runs = 20 if args.quick else 300
    common.header("Library desk look-up", f"{runs} finds each way, DNB stand-in on 127.0.0.1")

    bare_kib = common.median([import_kib(BARE) for _ in range(1 if args.quick else 5)])
    ours_kib = common.median([import_kib(BARE + "; import kiosk.desk.lookup") for _ in range(1 if args.quick else 5)])
    added = (ours_kib - bare_kib) * 1024 / 1e6
    print(f"import RSS: bare stdlib {bare_kib * 1024 / 1e6:.1f} MB, with kiosk.desk.lookup {ours_kib * 1024 / 1e6:.1f} MB "
          f"-> adds {added:.1f} MB")

    import urllib.request

    from kiosk import config as config_mod
    from kiosk.desk import dnb
    from kiosk.desk.lookup import Lookup
    from tests.desk import stand_ins as stand_ins_mod

    state, server = stand_ins_mod.start()
    try:
        isbns = [isbn13(i) for i in range(1, runs + 1)]
        for isbn in isbns:
            state.add_book(isbn, f"Buch {isbn}", "Maar, Paul", publisher="Oetinger", year="1973")
        with common.scratch("desk") as folder:
            path = folder / "station.toml"
            path.write_text(f'[station]\nid = "bench-1"\ndata_dir = "{folder / "data"}"\n'
                            + state.desk_toml(timeout_s=4.0).replace(f'covers_url = "{state.covers_url}"',
                                                                      'covers_url = ""'), encoding="utf-8")
            with Lookup(config_mod.load(path)) as desk:
                bare, uncached, cached = [], [], []
                for isbn in isbns:
                    url = dnb.url(state.dnb_url, isbn)
                    start = time.perf_counter()
                    with urllib.request.urlopen(url, timeout=4) as response:
                        response.read()
                    bare.append(time.perf_counter() - start)
                    start = time.perf_counter()
                    assert desk.find(isbn).found
                    uncached.append(time.perf_counter() - start)
                    start = time.perf_counter()
                    assert desk.find(isbn).found
                    cached.append(time.perf_counter() - start)
    finally:
        stand_ins_mod.stop(state, server)

    b, u, c = (common.median(v) * 1000 for v in (bare, uncached, cached))
    print(f"bare GET of the DNB answer: median {b:.2f} ms")
    print(f"uncached find: median {u:.2f} ms (ratio {u / b:.2f} × bare GET)")
    print(f"cached find:   median {c:.3f} ms (ratio {c / b:.3f} × bare GET)")
    common.verdict(f"importing kiosk.desk.lookup adds < {IMPORT_GOAL_MB:g} MB ({added:.1f} MB)", added < IMPORT_GOAL_MB)
    common.verdict(f"cached find < 0.5 x bare GET ({c / b:.3f})", c / b < 0.5)
    common.verdict(f"uncached find < 10 x bare GET ({u / b:.2f})", u / b < 10)


if __name__ == "__main__":
    main()
