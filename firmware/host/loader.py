"""Load a board's real main.py on CPython with stand-in MicroPython modules."""
import importlib.util
import itertools
import os
import sys

FIRMWARE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_counter = itertools.count()
_MISSING = object()


def _load(path, unique):
    spec = importlib.util.spec_from_file_location(unique, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_protocol():
    """A fresh copy of firmware/common/protocol.py (parse(), reading(), event(), frame())."""
    return _load(os.path.join(FIRMWARE_DIR, "common", "protocol.py"),
                 "_fw%d_protocol" % next(_counter))


def load_board(board_name, board, extra_modules=None, **config):
    """Fresh copies of firmware/common/*.py, firmware/<board_name>/config.py and main.py.

    `board` is a fake_machine.Board: its `machine`, `time` and `os` replace the real ones in
    the loaded modules. extra_modules (name -> module, e.g. "network") are visible while the
    files are imported. Keyword arguments override config values (NODE="bed-3").
    Returns the main module; call its run(). sys.modules is left as it was.
    """
    prefix = "_fw%d_" % next(_counter)
    board_dir = os.path.join(FIRMWARE_DIR, board_name)
    fakes = {"machine": board.machine}
    fakes.update(extra_modules or {})
    saved = {}
    try:
        for name, module in fakes.items():
            saved[name] = sys.modules.get(name, _MISSING)
            sys.modules[name] = module
        loaded = {}
        for name, path in (("protocol", os.path.join(FIRMWARE_DIR, "common", "protocol.py")),
                           ("sampling", os.path.join(FIRMWARE_DIR, "common", "sampling.py")),
                           ("config", os.path.join(board_dir, "config.py"))):
            saved.setdefault(name, sys.modules.get(name, _MISSING))
            loaded[name] = sys.modules[name] = _load(path, prefix + name)
        for key, value in config.items():
            if not hasattr(loaded["config"], key):
                raise AttributeError("%s/config.py has no %s" % (board_name, key))
            setattr(loaded["config"], key, value)
        main = _load(os.path.join(board_dir, "main.py"), prefix + "main")
    finally:
        for name, old in saved.items():
            if old is _MISSING:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = old
    # Their `import time` / `import os` bound CPython's modules; swap in the board's.
    for module in list(loaded.values()) + [main]:
        if hasattr(module, "time"):
            module.time = board.clock.time_module
        if hasattr(module, "os"):
            module.os = board.os
    return main
