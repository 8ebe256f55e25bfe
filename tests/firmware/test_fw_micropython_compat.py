"""Static guard: the on-board firmware uses nothing MicroPython 1.2x lacks (DESIGN.md)."""
import ast
import glob
import io
import os
import re
import tokenize

FIRMWARE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "firmware")
BOARD_DIRS = ("common", "pico", "esp32")

# What exists on the Pico / ESP32 ports (plus our own flat modules); anything else is suspect.
ALLOWED_IMPORTS = {
    "array", "asyncio", "binascii", "collections", "errno", "gc", "hashlib", "io", "json",
    "machine", "math", "micropython", "network", "ntptime", "os", "random", "re", "select",
    "socket", "struct", "sys", "time", "esp32", "rp2", "umqtt.simple",
    "config", "protocol", "sampling",
}
MISSING_STR_METHODS = {
    "ljust", "rjust", "zfill", "title", "isalnum", "removeprefix", "removesuffix", "casefold",
    "swapcase", "expandtabs", "format_map", "isidentifier", "isprintable", "isdecimal",
    "isnumeric", "capitalize",
}
ALLOWED_TIME = {"ticks_ms", "ticks_us", "ticks_cpu", "ticks_diff", "ticks_add", "sleep",
                "sleep_ms", "sleep_us", "time", "time_ns", "gmtime", "localtime", "mktime"}
FSTRING_DEBUG = re.compile(r"\{[^{}!:]*[^=!<>]=\s*(![rsa])?(:[^{}]*)?\}")


def board_sources():
    paths = []
    for d in BOARD_DIRS:
        paths += sorted(glob.glob(os.path.join(FIRMWARE, d, "*.py")))
    return paths


def problems(source):
    """List of human-readable MicroPython incompatibilities in a source text."""
    found = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                found.append("line %d: relative import (boards are flat)" % line)
            names = [node.module or ""]
        else:
            names = []
        for name in names:
            if name not in ALLOWED_IMPORTS:
                found.append("line %d: import %s" % (line, name))
        if isinstance(node, ast.Match):
            found.append("line %d: match statement" % line)
        if isinstance(node, (ast.AnnAssign,)) or (
                isinstance(node, ast.arg) and node.annotation is not None) or (
                isinstance(node, ast.FunctionDef) and node.returns is not None):
            found.append("line %d: annotation" % line)
        if isinstance(node, ast.Attribute):
            base = node.value.id if isinstance(node.value, ast.Name) else None
            if node.attr in MISSING_STR_METHODS:
                found.append("line %d: .%s()" % (line, node.attr))
            if base == "os" and node.attr == "path":
                found.append("line %d: os.path" % line)
            if base == "select" and node.attr == "select":
                found.append("line %d: select.select (use poll)" % line)
            if base == "time" and node.attr not in ALLOWED_TIME:
                found.append("line %d: time.%s" % (line, node.attr))
        if isinstance(node, ast.Call):
            keywords = {k.arg for k in node.keywords}
            func = node.func
            if isinstance(func, ast.Name) and func.id == "print" and "flush" in keywords:
                found.append("line %d: print(flush=)" % line)
            if isinstance(func, ast.Attribute) and func.attr in ("dumps", "dump") and (
                    keywords & {"indent", "sort_keys", "default", "ensure_ascii"}):
                found.append("line %d: json.%s(%s)" % (line, func.attr, ",".join(
                    sorted(keywords & {"indent", "sort_keys", "default", "ensure_ascii"}))))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "(?P<" in node.value:
            found.append("line %d: named regex group" % line)
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.STRING and tok.string[:2].lower() in ("f'", 'f"', "rf", "fr") \
                and FSTRING_DEBUG.search(tok.string):
            found.append("line %d: f-string = specifier" % tok.start[0])
    return found


def test_board_sources_exist():
    names = {os.path.relpath(p, FIRMWARE) for p in board_sources()}
    assert {"common/protocol.py", "common/sampling.py", "pico/main.py", "pico/config.py",
            "esp32/main.py", "esp32/config.py"} <= names


def test_firmware_uses_only_micropython_features():
    report = {}
    for path in board_sources():
        with open(path, encoding="utf-8") as f:
            found = problems(f.read())
        if found:
            report[os.path.relpath(path, FIRMWARE)] = found
    assert report == {}


def test_board_file_names_do_not_clash():
    # Everything lands flat on the board: two files with one name would overwrite each other.
    common = {os.path.basename(p) for p in glob.glob(os.path.join(FIRMWARE, "common", "*.py"))}
    for board in ("pico", "esp32"):
        own = {os.path.basename(p) for p in glob.glob(os.path.join(FIRMWARE, board, "*.py"))}
        assert common & own == set()


def test_checker_catches_each_forbidden_construct():
    bad = '''
import dataclasses
from typing import List
import os.path
from . import sibling
import time
x: int = 1
def f(a: int) -> str:
    return "a".rjust(3) + "b".zfill(2) + "c".removeprefix("c")
match x:
    case 1:
        pass
t = time.monotonic() + time.strftime("%H")
print("x", flush=True)
s = json.dumps({}, indent=2, sort_keys=True)
p = os.path.join("a", "b")
r = select.select([], [], [], 0)
g = re.compile("(?P<name>a)")
d = f"{x=}"
'''
    found = "\n".join(problems(bad))
    for needle in ("import dataclasses", "import typing", "import os.path", "relative import",
                   "annotation", ".rjust()", ".zfill()", ".removeprefix()", "match statement",
                   "time.monotonic", "time.strftime", "print(flush=)", "indent,sort_keys",
                   "os.path", "select.select", "named regex group", "f-string = specifier"):
        assert needle in found, needle


def test_checker_accepts_plain_micropython():
    ok = '''
import time
import json
d = f"{x} and {y!r} and {a == b} and {c:08x}"
time.sleep_ms(5)
print(json.dumps({"a": 1}))
'''
    assert problems(ok) == []
