"""The ``passerelle`` command: this project's ``manage.py``.

Every Django management command works through it (``passerelle migrate``), and
the project's own commands may be spelled with hyphens (``passerelle
load-demo`` runs ``load_demo``, ``passerelle help import-sheet`` explains
``import_sheet``), as the README writes them. ``passerelle``, ``passerelle
help`` and ``passerelle --help`` list Passerelle's own commands first, one line
each, then those of Django and the libraries.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections import defaultdict

from django.core.management import ManagementUtility, get_commands, load_command_class
from django.core.management.color import color_style

WIDTH = 100


def _one_line(text: str, width: int) -> str:
    """The first sentence of a command's help, cut to fit the line."""
    text = " ".join(str(text).split())
    sentence = re.split(r"(?<=[.?:])\s", text, maxsplit=1)[0].rstrip(".:")
    return sentence if len(sentence) <= width else sentence[: width - 1].rstrip() + "…"


class PasserelleUtility(ManagementUtility):
    def main_help_text(self, commands_only: bool = False) -> str:
        if commands_only or self.settings_exception is not None:
            return super().main_help_text(commands_only)
        own = sorted(name for name, app in get_commands().items() if app.startswith("passerelle."))
        names = {name: name.replace("_", "-") for name in own}
        column = max(len(spelled) for spelled in names.values()) + 2
        width = min(shutil.get_terminal_size((WIDTH, 24)).columns, WIDTH) - column - 4
        lines = [
            "",
            f"Type '{self.prog_name} help <command>' for help on a command "
            "(hyphens or underscores alike).",
            "",
            "Passerelle's commands:",
            "",
        ]
        for name in own:
            command = load_command_class(get_commands()[name], name)
            lines.append(f"    {names[name]:<{column}}{_one_line(command.help, width)}")
        lines += ["", "Django's and the libraries' commands:"]
        others = defaultdict(list)
        for name, app in get_commands().items():
            if not app.startswith("passerelle."):
                others["django" if app == "django.core" else app.rpartition(".")[-1]].append(name)
        style = color_style()
        for app in sorted(others):
            lines += ["", style.NOTICE(f"[{app}]"), *(f"    {n}" for n in sorted(others[app]))]
        return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passerelle.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
        if argv[1] == "help" and len(argv) > 2 and not argv[2].startswith("-"):
            argv[2] = argv[2].replace("-", "_")
    argv[0] = "passerelle"
    if len(argv) > 1 and argv[1] == "demo":
        # the demo shows what its users will see: the portal's own "page not found", not
        # Django's debugging pages (DEBUG=true passerelle demo brings them back)
        os.environ.setdefault("DEBUG", "false")
    PasserelleUtility(argv).execute()


if __name__ == "__main__":
    main()
