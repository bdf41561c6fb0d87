"""The user guide's table of the plugin's options names every option the plugin has, with its default."""

from __future__ import annotations

import re
from pathlib import Path

from generator.publish.plugin import DossiersPluginConfig

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "guide" / "commands.md"


def _table() -> dict[str, str]:
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("The plugin's options:", 1)[1].split("\n\n", 2)[1]
    rows = re.findall(r"^\| `(\w+)` \| ([^|]+) \|", section, re.MULTILINE)
    return {name: default.strip() for name, default in rows}


def test_every_plugin_option_is_in_the_guide_with_its_default():
    table = _table()
    options = {name: option.default for name, option in DossiersPluginConfig._schema}
    assert sorted(table) == sorted(options)
    for name, default in options.items():
        shown = table[name]
        expected = {True: "`true`", False: "`false`"}.get(default) if isinstance(default, bool) else None
        if expected is None:
            expected = "`[]`" if default == [] else '`""`' if default == "" else f"`{default}`"
        assert shown.split(" ")[0] == expected, (name, shown, default)
