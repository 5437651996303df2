"""Signals of the domain that Django's own model signals do not cover."""

from django.dispatch import Signal

#: Sent after rows were written in bulk, bypassing save() and its signals (ROR
#: imports, generated data sets), so that caches of what records say are dropped.
records_bulk_loaded = Signal()

#: Sent when a staff member opens the desk (core.deskpage), with ``request``: the accounts
#: app records the language they use, for the reminders mailed to them.
desk_opened = Signal()
