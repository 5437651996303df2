"""Django's makemessages, knowing the project's own marker of translatable text.

The commitment checker writes its reasons with ``both("…", …)`` (activities/commitments.py),
which renders a message in English and in French when read; xgettext finds such messages
only when told that ``both`` marks them, or `make messages` would drop their French.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=both"]
