"""The base of Passerelle's commands that read or write the records.

On a database that was never migrated, a command would stop on the database's own words
("no such table: registry_organization"), which do not tell a new user what to do. A
``DatabaseCommand`` checks first that every migration is applied and otherwise stops with
what to run, and a non-zero exit status.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

# the aliases found fully migrated in this process: the migration graph is read once
_READY: set[str] = set()


def ensure_migrated(alias: str = DEFAULT_DB_ALIAS) -> None:
    """Raise a ``CommandError`` saying to run ``passerelle migrate`` unless the database at
    ``alias`` has every table the code expects."""
    if alias in _READY:
        return
    connection = connections[alias]
    name = connection.settings_dict.get("NAME") or alias
    if not MigrationRecorder(connection).has_table():
        raise CommandError(
            _("The database %(name)s has no tables yet: run “passerelle migrate” first.")
            % {"name": name}
        )
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        first = pending[0][0]
        raise CommandError(
            _(
                "The database %(name)s is not up to date: %(count)d migrations are not applied "
                "(the first: %(first)s). Run “passerelle migrate” first."
            )
            % {"name": name, "count": len(pending), "first": f"{first.app_label}.{first.name}"}
        )
    _READY.add(alias)


class DatabaseCommand(BaseCommand):
    """A command that needs the records' tables: refused, with what to do, before they exist."""

    def execute(self, *args, **options):
        ensure_migrated(options.get("database") or DEFAULT_DB_ALIAS)
        return super().execute(*args, **options)
