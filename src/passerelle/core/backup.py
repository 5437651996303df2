"""Consistent snapshots of the database, and putting one back.

SQLite: the online backup API copies the database page by page under a read
transaction, so writers may go on and the copy is one moment's state. PostgreSQL:
``pg_dump`` reads in one snapshot; ``pg_restore --single-transaction`` puts it
back all or nothing.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.db import connection


class BackupError(Exception):
    """The snapshot could not be written or read back; the database is as it was."""


def _postgres_environment() -> dict[str, str]:
    settings = connection.settings_dict
    environment = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if settings.get(key):
            environment[variable] = str(settings[key])
    return environment


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt-get install postgresql-client)"
        )
    done = subprocess.run(command, env=_postgres_environment(), capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")


def backup(path: Path, *, force: bool = False) -> None:
    """Write a snapshot of the whole database to ``path``, readable by its owner only.

    A snapshot holds password hashes, token digests and confidential records: it is
    written 0600 from its first byte (into a file made so before the database writes
    to it), beside ``path``, and moved into place only when complete. An existing
    ``path`` is kept unless ``force``: the check and the move are one step (a hard
    link, which cannot replace), so two backups racing for one name cannot both win.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise BackupError(f"{path.parent}: no such directory")
    if path.is_dir():
        raise BackupError(f"{path} is a directory: give a file name")
    if path.exists() and not force:
        raise BackupError(f"{path} exists: give --force to replace it")
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    except OSError as error:
        raise BackupError(f"{path.parent}: cannot write there ({error.strerror})") from error
    os.close(handle)  # mkstemp made it 0600; the database writes into it
    partial = Path(name)
    try:
        _write_snapshot(partial)
        _put_in_place(partial, path, force)
    finally:
        partial.unlink(missing_ok=True)


def _write_snapshot(partial: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(partial)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={partial}"])
    else:
        raise BackupError(f"no backup for {connection.vendor}")
    os.chmod(partial, 0o600)  # whatever the tool did with the file it was given


def _put_in_place(partial: Path, path: Path, force: bool) -> None:
    if force:
        partial.replace(path)
        return
    try:
        os.link(partial, path)
    except FileExistsError:
        raise BackupError(f"{path} exists: give --force to replace it") from None


def _check_sqlite_snapshot(path: Path) -> None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as snapshot:
            snapshot.execute("SELECT count(*) FROM django_migrations").fetchone()
            if snapshot.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path}: the file is damaged")
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a Passerelle SQLite snapshot ({error})") from error


def restore(path: Path) -> None:
    """Put the database back as the snapshot at ``path`` has it, all or nothing."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    connection.close()
    if connection.vendor == "sqlite":
        _check_sqlite_snapshot(path)
        connection.ensure_connection()
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as snapshot:
            snapshot.backup(connection.connection)
    elif connection.vendor == "postgresql":
        _run(["pg_restore", "--list", str(path)])  # a readable dump, before touching anything
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={connection.settings_dict['NAME']}",
                str(path),
            ]
        )
    else:
        raise BackupError(f"no restore for {connection.vendor}")
