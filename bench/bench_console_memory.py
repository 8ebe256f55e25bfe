"""Console memory: peak RSS of a real `kiosk console` process after 1,000 page views.

Station side: `kiosk console` (as in bench_console_pages.py: private Mosquitto, a staff account,
20 waiting ideas, retained station state). One client asks for the overview and the ideas queue
in turn, 1,000 views, and logs out and in again every 100th view (10 logins), because each
login's scrypt hash needs 16 MB for a moment.

Bare peer, same run: Flask's hello world on the same Cheroot server, given the same 1,000 views.

Read from /proc/PID/status after the views: VmHWM (the peak resident set, which includes the
moment of a login) and VmRSS (what stays resident between logins).

Goal (issue 10): peak RSS < 45 MB (10^6 bytes), so the whole station fits a Pi Zero 2 W.
For information, the resident RSS after the views against the same 45 MB, and what one scrypt
hash costs (memory and time) with the station's parameters and with OWASP's 8 MiB setting.
"""

from __future__ import annotations

import subprocess
import time

import common
import web

GOAL_MB = 45.0
VIEWS, QUICK_VIEWS = 1000, 100
LOGIN_EVERY = 100
# OWASP Password Storage Cheat Sheet, scrypt: N=2^17,r=8,p=1 or equal-defence settings down to
# N=2^13 (8 MiB), r=8, p=10. The station's n=2^14,r=8,p=1 is on no line of that table.
HASH_SETTINGS = {"station (kiosk/passwords.py)": None, "OWASP N=2^14 r=8 p=5 (16 MiB)": (2 ** 14, 8, 5),
                 "OWASP N=2^13 r=8 p=10 (8 MiB)": (2 ** 13, 8, 10)}
HASH_PROBE = """
import hashlib, sys, time
from kiosk import passwords
n, r, p = {n}, {r}, {p}
def hwm():
    return next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM'))
before = hwm()
t0 = time.perf_counter()
hashlib.scrypt(b'Kraeuter-2024', salt=b'0123456789abcdef', n=n, r=r, p=p, maxmem=passwords.MAX_MEMORY, dklen=32)
print(time.perf_counter() - t0, hwm() - before)
"""


def mb(kib: int) -> float:
    return kib * 1024 / 1e6


def hash_cost(setting: tuple[int, int, int] | None) -> tuple[float, float]:
    """(seconds, MB added to the peak) of one scrypt hash, in a fresh process."""
    from kiosk import passwords

    n, r, p = setting or (passwords.SCRYPT_N, passwords.SCRYPT_R, passwords.SCRYPT_P)
    out = subprocess.run([common.PYTHON, "-c", HASH_PROBE.format(n=n, r=r, p=p)], capture_output=True, text=True,
                         check=True, cwd=common.REPO, env={"PYTHONPATH": str(common.REPO)}).stdout.split()
    return float(out[0]), mb(int(out[1]))


def main() -> None:
    args = common.quick_flag(__doc__)
    views = QUICK_VIEWS if args.quick else VIEWS
    common.header("console memory", f"VmHWM and VmRSS of kiosk console after {views:,} page views "
                  f"({views // LOGIN_EVERY} of them logins), against a bare Flask + Cheroot hello world")
    with web.console_and_bare("console-memory") as (console, bare, station, peer):
        started = {"console": common.vm_hwm_kib(console.pid), "bare": common.vm_hwm_kib(bare.pid)}
        logins = 0
        for view in range(views):
            if view % LOGIN_EVERY == 0:
                if logins:
                    station.log_out()
                station.log_in()
                logins += 1
            else:
                station.timed_get(("/", "/ideas")[view % 2])
            peer.timed_get("/")
        time.sleep(0.5)
        after = {"console": common.vm_hwm_kib(console.pid), "bare": common.vm_hwm_kib(bare.pid)}

    print(f"  {'':34s} {'peak at start':>13s} {'peak after':>11s} {'resident after':>15s}")
    for name, label in (("bare", "bare Flask + Cheroot hello world"), ("console", "kiosk console")):
        print(f"  {label:34s} {mb(started[name][0]):10.1f} MB {mb(after[name][0]):8.1f} MB "
              f"{mb(after[name][1]):12.1f} MB")
    peak, resident = mb(after["console"][0]), mb(after["console"][1])
    base_peak = mb(after["bare"][0])
    print(f"  console peak / bare peak: ratio {peak / base_peak:.2f} x (+{peak - base_peak:.1f} MB)")
    print("  one scrypt hash, in a fresh process (for information):")
    for label, setting in HASH_SETTINGS.items():
        if args.quick and setting is not None:
            continue
        seconds, grew = hash_cost(setting)
        print(f"    {label:34s} {seconds * 1000:7.0f} ms   peak +{grew:5.1f} MB")
    if args.quick:
        print(f"(quick run: {views} views only, not a measurement)")
    common.verdict(f"peak RSS (VmHWM) of kiosk console < {GOAL_MB:.0f} MB after {views:,} page views "
                   f"({peak:.1f} MB)", peak < GOAL_MB)
    common.verdict(f"resident RSS (VmRSS) of kiosk console < {GOAL_MB:.0f} MB after {views:,} page views, "
                   f"between logins ({resident:.1f} MB)", resident < GOAL_MB)


if __name__ == "__main__":
    main()
