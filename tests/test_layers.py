"""No import points upward: read from the source (ast), nothing is imported.

The station's layers, bottom to top:
- the edges: kiosk/store (SQLite), kiosk/bus (MQTT), kiosk/hardware (pins, reader);
- the domains, where the rules live: kiosk/garden, booth, ideas, offers;
- the faces that only call them: kiosk/ui (Kivy), kiosk/console (web), the command
  line (kiosk/cli.py and each domain's commands.py).
A domain never imports a face; an edge imports neither a domain nor a face. Function-level
imports count, and so do `importlib.import_module("…")` and `__import__("…")` with a name
written out, since they are the same arrow taken later.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOMAINS = ("garden", "booth", "ideas", "offers", "usage", "report", "desk")
EDGES = ("store", "bus", "hardware")

# Arrows known to point the wrong way, each with who removes it. The last test fails once
# an arrow here is gone, so the list cannot outlive the fix.
# Wrong arrows tolerated for now, each with the reason; empty: there are none.
KNOWN: dict[tuple[str, str], str] = {}


def module_name(path: Path, top: Path) -> str:
    parts = list(path.relative_to(top.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, name: str) -> list[tuple[str, ...]]:
    """Every import in `path` (module `name`): per import, the dotted names it may mean.

    `from a.b import c` may mean module a.b or module a.b.c (`from kiosk import ui`).
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[str, ...]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name,) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                levels = package.split(".")
                source = ".".join(levels[: len(levels) - (node.level - 1)] + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            found.extend((source, f"{source}.{alias.name}") for alias in node.names)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            called = node.func
            function = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
            if function in ("import_module", "__import__"):
                found.append((node.args[0].value,))
    return found


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def is_face(module: str, top: str) -> bool:
    parts = module.split(".")
    return (within(module, f"{top}.ui") or within(module, f"{top}.console") or module == f"{top}.cli"
            or (len(parts) == 3 and parts[0] == top and parts[1] in DOMAINS and parts[2] == "commands"))


def is_domain(module: str, top: str) -> bool:
    return any(within(module, f"{top}.{domain}") for domain in DOMAINS)


def upward_imports(top: Path) -> set[tuple[str, str]]:
    """(importer, imported) for every import in package folder `top` that points the wrong way.

    Every module in a domain's folder counts as the domain, its commands.py too: that one
    may declare commands, but must not import the command line that collects them.
    """
    name = top.name
    wrong: set[tuple[str, str]] = set()
    for path in sorted(top.rglob("*.py")):
        importer = module_name(path, top)
        is_edge = any(within(importer, f"{name}.{edge}") for edge in EDGES)
        if not (is_edge or is_domain(importer, name)):
            continue
        for meanings in imports_of(path, importer):
            for imported in meanings:
                if is_face(imported, name) or (is_edge and is_domain(imported, name)):
                    wrong.add((importer, imported))
                    break
    return wrong


def test_no_import_points_upward():
    wrong = upward_imports(ROOT / "kiosk") - set(KNOWN)
    assert not wrong, "imports that point upward (importer -> imported):\n" + \
        "\n".join(f"  {a} -> {b}" for a, b in sorted(wrong))


def write(top: Path, relative: str, text: str) -> None:
    path = top / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    for folder in path.relative_to(top.parent).parents:
        if str(folder) != ".":
            (top.parent / folder / "__init__.py").touch()
    path.write_text(text, encoding="utf-8")


def test_the_check_finds_every_kind_of_upward_import(tmp_path):
    top = tmp_path / "kiosk"
    # wrong: a domain into a face, however the import is written
    write(top, "garden/alerts.py", "from kiosk.ui import theme\n")
    write(top, "booth/rules.py", "def later():\n    from kiosk.cli import main\n")
    write(top, "ideas/store.py", "from kiosk import ui\n")
    write(top, "offers/commands.py", "from kiosk.cli import lazy\n")
    write(top, "offers/admin.py", "from .commands import VERBS\n")
    write(top, "garden/push.py", "import importlib\nimportlib.import_module('kiosk.console.app')\n")
    # wrong: an edge into a domain or a face
    write(top, "bus/topics.py", "import kiosk.garden.spans\n")
    write(top, "store/database.py", "from ..booth import store\n")
    write(top, "hardware/feedback.py", "def load():\n    return __import__('kiosk.offers.model')\n")
    write(top, "bus/client.py", "from kiosk.ui.live import Live\n")
    # right: faces call domains and edges, domains use edges and each other
    write(top, "ui/live.py", "from kiosk.garden.spans import SPANS\nfrom kiosk.bus.topics import Topics\n")
    write(top, "cli.py", "import importlib\nimportlib.import_module('kiosk.garden.commands')\n")
    write(top, "garden/service.py", "from kiosk.bus import Bus\nfrom kiosk.store import Database\n"
                                    "from kiosk.booth import events\nimport json\n")
    write(top, "garden/commands.py", "from kiosk.command_handlers import lazy\nfrom kiosk.garden import spans\n")
    write(top, "store/outbox.py", "from kiosk.errors import StoreError\nfrom . import database\n")

    assert upward_imports(top) == {
        ("kiosk.garden.alerts", "kiosk.ui"),
        ("kiosk.booth.rules", "kiosk.cli"),
        ("kiosk.ideas.store", "kiosk.ui"),
        ("kiosk.offers.commands", "kiosk.cli"),
        ("kiosk.offers.admin", "kiosk.offers.commands"),
        ("kiosk.garden.push", "kiosk.console.app"),
        ("kiosk.bus.topics", "kiosk.garden.spans"),
        ("kiosk.store.database", "kiosk.booth"),
        ("kiosk.hardware.feedback", "kiosk.offers.model"),
        ("kiosk.bus.client", "kiosk.ui.live"),
    }


def test_every_known_wrong_arrow_still_exists():
    gone = set(KNOWN) - upward_imports(ROOT / "kiosk")
    assert not gone, f"fixed, so take them out of KNOWN in tests/test_layers.py: {sorted(gone)}"
