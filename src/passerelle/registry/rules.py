"""Who reads and changes what hangs off organizations and people: identifiers, other
names, registry relationships, affiliations. Each is read when the records it hangs
off and names are read, and changed by whoever may change the record it hangs off
(core.querysets): an identifier of a published organization is an editor's."""

from __future__ import annotations

from passerelle.core.querysets import DependentQuerySet


class ActorRowQuerySet(DependentQuerySet):
    """Identifiers: they hang off one organization or one person."""

    holders = ("organization", "person")


class OrganizationRowQuerySet(DependentQuerySet):
    """Other names, and registry relationships (whose target must be readable too)."""

    holders = ("organization",)


class RelationshipQuerySet(DependentQuerySet):
    holders = ("organization",)
    references = ("target",)


class AffiliationQuerySet(DependentQuerySet):
    holders = ("person",)
    references = ("organization",)
