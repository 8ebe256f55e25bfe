"""Print the README's configuration tables from kiosk/config.py (run after adding a setting)."""

import dataclasses
import typing

from kiosk.config import Config, is_section


def rows(cls, prefix=""):
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if f.metadata.get("internal"):
            continue
        key = f"{prefix}.{f.name}" if prefix else f.name
        hint = hints[f.name]
        item = typing.get_args(hint)[0] if typing.get_origin(hint) is tuple else hint
        if is_section(item):
            yield from rows(item, key)
            continue
        if f.default is not dataclasses.MISSING:
            default = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = list(f.default_factory())
        else:
            default = None
        if hasattr(default, "from_setting"):
            default = str(default)      # a typed value shows as the text station.toml holds
        shown = ("(required)" if default is None else str(default).lower() if isinstance(default, bool)
                 else f'"{default}"' if isinstance(default, str) else str(default).replace("'", '"'))
        section, _, name = key.rpartition(".")
        yield section, name, shown, f.metadata.get("help", "")


def main():
    current = None
    for section, name, default, text in rows(Config):
        if section != current:
            shown = "[garden.sensors]]" if section == "garden.sensors" else section + "]"
            print(f"\n**`[{shown}`**\n\n| key | default | meaning |\n| --- | --- | --- |")
            current = section
        print(f"| `{name}` | `{default}` | {text} |")


if __name__ == "__main__":
    main()
