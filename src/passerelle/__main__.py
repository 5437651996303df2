"""The ``passerelle`` command: this project's ``manage.py``.

Every Django management command works through it (``passerelle migrate``), and
the project's own commands may be spelled with hyphens (``passerelle
load-demo`` runs ``load_demo``), as the README writes them.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passerelle.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    argv[0] = "passerelle"
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
