"""Run the real Pico firmware on the host, e.g. for `kiosk demo` and end-to-end tests.

    port = open_pty()                       # bridge opens port.path like a real serial port
    stop = threading.Event()
    threading.Thread(target=run_node, daemon=True,
                     args=(port.write, lambda: 30000),
                     kwargs={"interval_ms": 2000, "stop": stop}).start()
    ...
    stop.set(); port.close()
"""
import fcntl
import os
import pty
import tty

from .fake_machine import Board, Clock, DeepSleep, NodeStopped, WatchdogReset
from .loader import load_board, load_protocol

__all__ = ["run_node", "open_pty", "PtyPort", "Board", "Clock", "load_board", "load_protocol", "DeepSleep",
           "NodeStopped", "WatchdogReset"]


def temp_raw(celsius):
    """ADC channel 4 value the RP2040 reports at this temperature (inverse of main.py)."""
    return int((0.706 - (celsius - 27) * 0.001721) * 65535 / 3.3)


def run_node(write, raw_source, node="bed-1", interval_ms=60000, max_readings=None,
             temp_c=21.0, stop=None, realtime=True):
    """Run firmware/pico/main.py on the host until done; return the fake_machine.Board.

    write(bytes) receives each protocol line (boot line first); raw_source() returns the raw
    ADC value for one sample (called SAMPLES times per reading, so it may add noise or drift).
    max_readings: stop after that many measurements (None = until `stop`, a threading.Event,
    is set; then returns promptly). realtime=False runs on simulated time, instantly.
    Raises WatchdogReset if the firmware starves its watchdog.
    """
    clock = Clock(realtime=realtime, stop=stop)
    board = Board(adc={26: raw_source, 4: lambda: temp_raw(temp_c)}, powered_by={26: 22},
                  clock=clock)
    main = load_board("pico", board, NODE=node, INTERVAL_MS=interval_ms)
    try:
        main.run(max_readings=max_readings, write=lambda line: write(line.encode()))
    except NodeStopped:
        pass
    return board


class PtyPort:
    """A pseudo-terminal in raw mode: the firmware writes to the master, a reader (the bridge,
    pyserial) opens `path`. Writes never block: a line is dropped when nobody reads, as USB
    CDC drops output without a host. Keeps the slave open so writes work before anyone opens it."""

    def __init__(self):
        self.master_fd, self.slave_fd = pty.openpty()
        tty.setraw(self.slave_fd)  # no echo, no \n -> \r\n
        self.path = os.ttyname(self.slave_fd)
        flags = fcntl.fcntl(self.master_fd, fcntl.F_GETFL)
        fcntl.fcntl(self.master_fd, fcntl.F_SETFL, flags | os.O_NONBLOCK)

    def write(self, data):
        try:
            os.write(self.master_fd, data)
        except BlockingIOError:
            pass

    def close(self):
        for fd in (self.master_fd, self.slave_fd):
            try:
                os.close(fd)
            except OSError:
                pass


def open_pty():
    """New PtyPort; pass port.write to run_node and port.path to the bridge."""
    return PtyPort()
