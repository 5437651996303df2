"""The roles staff hold, as Django groups with the permissions each needs in the back office.

- administrator: everything, accounts and roles included, and every confidential record;
- editor: creates, changes and deletes every record it reads, and publishes drafts;
- contributor: creates drafts and changes its own until an editor publishes them; deletes none;
- viewer: reads records, internal ones included, and changes nothing.

Confidential records are read by their owner and their named readers (users or
groups) whatever the role; see core.visibility.

Anonymous readers see the public portal only. Groups are brought up to date
after every ``migrate``, so a new model's permissions reach the roles at once.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS

#: Apps whose models are the records and what staff decide about them.
RECORD_APPS = ("core", "registry", "activities", "ingest", "portal", "search")
ROLES = ("administrator", "editor", "contributor", "viewer")
ACTIONS = {
    "editor": ("add", "change", "delete", "view", "publish"),
    "contributor": ("add", "change", "view"),
    "viewer": ("view",),
}


def role_permissions(role: str):
    if role == "administrator":
        return Permission.objects.all()
    prefixes = [f"{action}_" for action in ACTIONS[role]]
    return [
        permission
        for permission in Permission.objects.filter(
            content_type__app_label__in=RECORD_APPS
        ).select_related("content_type")
        if permission.codename.startswith(tuple(prefixes))
    ]


def after_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """The roles, after this app's migrations (its post-migrate receiver).

    ``migrate`` creates each app's permissions after that app's own migrations, so those of
    the apps after this one do not exist yet: every app's are created first, so that one
    ``migrate`` on a new database gives each role all of its own."""
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    ensure_roles()


def ensure_roles() -> None:
    """Create the role groups and give each exactly its permissions."""
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role)
        wanted = {p.pk for p in role_permissions(role)}
        if set(group.permissions.values_list("pk", flat=True)) != wanted:
            group.permissions.set(wanted)
