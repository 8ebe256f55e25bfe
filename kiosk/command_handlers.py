"""Handlers for `kiosk` subcommands that import their work only when the command runs.

The domains' `commands.py` use them to declare their subcommands, and kiosk/cli.py,
the one place that knows every command, collects those: so `kiosk bridge` on a Pi
Zero never loads Kivy, and no domain imports the command line.
"""

from __future__ import annotations

import importlib
from typing import Callable


def lazy(module: str, function: str) -> Callable:
    """A command handler that imports `module` only when the command runs."""
    def run(config, args):
        return getattr(importlib.import_module(module), function)(config, args)
    return run


def service(module: str) -> Callable:
    """A handler for a long-running service: `module.run(config)`."""
    def run(config, args):
        return importlib.import_module(module).run(config)
    return run
