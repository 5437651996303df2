"""Matchmaking's networks and programs: what to join or lean on, and why.

"Who should we work with on sarcoma?" has more answers than people and
organizations: the network the cluster already belongs to (ask its members), a
network to join, a program the region coordinates or supports (lean on it). A
network is an organization of kind network; belonging to it is an activity of
kind membership whose members have the role member and whose network is the
host. A program is an activity of kind program or project.

These functions read memberships and regional roles for a handful of
suggestions at once, through the participations' own visibility rule (a
participation is read only with its activity and its actor), and write the
reasons in the active language.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q
from django.utils.translation import gettext as _

from passerelle.activities.models import Participation
from passerelle.activities.vocabulary import Kind, Role
from passerelle.core.users import AnyUser
from passerelle.core.visibility import participations_visible_to

from .models import SearchEntry

#: What matchmaking suggests: the kinds a user may ask for.
GROUPS = ("person", "organization", "network", "program")
#: Activities suggested as programs to lean on.
PROGRAM_KINDS = (Kind.PROGRAM, Kind.PROJECT)


def group_of(kind: str, subkind: str) -> str:
    """The suggestion's group: a person, an organization, a network, or a program."""
    if kind == "activity":
        return "program"
    if kind == "organization" and subkind == "network":
        return "network"
    return kind


def group_label(group: str, subkind: str) -> str:
    """What a suggestion is, in the reader's words: a person, a cluster, a research
    institute, a network, a program, a project…"""
    from passerelle.registry.models import Organization

    if group == "program" and subkind in Kind.values:
        return str(Kind(subkind).label)
    if group in ("organization", "network") and subkind in Organization.Kind.values:
        return str(Organization.Kind(subkind).label)
    return str(_("person")) if group == "person" else str(_("organization"))


def _short(acronym: str, name: str, name_fr: str, french: bool) -> str:
    return acronym or (french and name_fr) or name


def memberships(
    actors: list[tuple[str, int]], networks: list[int], user: AnyUser, french: bool
) -> tuple[dict[tuple[str, int], list[tuple[int, str]]], dict[int, list[str]]]:
    """The networks these actors are members of (network id and short name, per actor), and
    the members of these networks (short names, per network), as ``user`` may read them."""
    organizations = [pk for kind, pk in actors if kind == "organization"]
    people = [pk for kind, pk in actors if kind == "person"]
    membership = Participation.objects.filter(activity__kind=Kind.MEMBERSHIP)
    hosts = participations_visible_to(
        membership.filter(role=Role.HOST, organization__kind="network"), user
    )
    # a handful of suggestions: plain lists of ids
    mine = participations_visible_to(membership.filter(role=Role.MEMBER), user).filter(
        Q(organization__in=organizations) | Q(person__in=people)
    )
    member_rows = list(mine.values_list("activity", "organization", "person")) if actors else []
    host_rows = hosts.filter(
        Q(activity__in={row[0] for row in member_rows}) | Q(organization__in=networks)
    ).values_list(
        "activity", "organization", "organization__acronym", "organization__name",
        "organization__name_fr",
    )  # fmt: skip
    host_of = {
        activity: (network, _short(acronym, name, name_fr, french))
        for activity, network, acronym, name, name_fr in (
            host_rows if member_rows or networks else []
        )
    }
    of_actor: dict[tuple[str, int], list[tuple[int, str]]] = defaultdict(list)
    for activity, organization, person in member_rows:
        if activity in host_of:
            actor = ("organization", organization) if organization else ("person", person)
            of_actor[actor].append(host_of[activity])
    members: dict[int, list[str]] = defaultdict(list)
    wanted = [a for a, (network, _n) in host_of.items() if network in networks]
    if wanted:
        rows = participations_visible_to(
            Participation.objects.filter(activity__in=wanted, role=Role.MEMBER), user
        ).values_list(
            "activity", "organization__acronym", "organization__name", "organization__name_fr",
            "person__given_name", "person__family_name",
        )  # fmt: skip
        for activity, acronym, name, name_fr, given, family in rows:
            member = _short(acronym or "", name or "", name_fr or "", french) or " ".join(
                part for part in (given, family) if part
            )
            members[host_of[activity][0]].append(member)
    return of_actor, members


def program_people(
    programs: list[int], region: list[int], user: AnyUser, french: bool
) -> tuple[dict[int, list[str]], dict[int, list[tuple[str, str]]]]:
    """Per program: who coordinates it, and who of the region takes part, with their role (its
    organizations, and its people as the index places them)."""
    rows = list(
        participations_visible_to(
            Participation.objects.filter(activity__in=programs), user
        ).values_list(
            "activity",
            "role",
            "organization",
            "organization__acronym",
            "organization__name",
            "organization__name_fr",
            "person",
            "person__title",
            "person__given_name",
            "person__family_name",
        )
        if programs
        else []
    )
    people = {row[6] for row in rows if row[6]}
    regional_people = set(
        SearchEntry.objects.filter(kind="person", in_region=True, object_id__in=people).values_list(
            "object_id", flat=True
        )
        if people
        else []
    )
    coordinators: dict[int, list[str]] = defaultdict(list)
    regional: dict[int, list[tuple[str, str]]] = defaultdict(list)
    titles = dict(Participation._meta.get_field("person").related_model.Title.choices)
    for activity, role, org, acronym, name, name_fr, person, title, given, family in rows:
        who = (
            _short(acronym, name, name_fr, french)
            if org
            else " ".join(p for p in (str(titles[title]) if title else "", given, family) if p)
        )
        if role == Role.COORDINATOR:
            coordinators[activity].append(who)
        if org in region or person in regional_people:
            label = str(Role(role).label) if role in Role.values else role
            regional[activity].append((who, label))
    return coordinators, regional


def network_reasons(members: list[str], topics: str) -> list[str]:
    """Why a network: what it works on, and whether the region already belongs to it."""
    reasons = []
    if members:
        reasons.append(
            _("a network the region belongs to: %(members)s is a member, ask it to introduce you")
            % {"members": ", ".join(sorted(set(members)))}
        )
    else:
        reasons.append(_("a network to join: no one of the region is a member yet"))
    if topics:
        reasons.append(_("the network works on %(topics)s") % {"topics": topics})
    return reasons


def member_reasons(networks: list[tuple[int, str]], topics_of: dict[int, str]) -> list[str]:
    """Why a person or an organization, through the networks it is a member of."""
    reasons = []
    for network, name in sorted(set(networks), key=lambda n: n[1]):
        if topics_of.get(network):
            reasons.append(
                _("member of the %(network)s network (%(topics)s)")
                % {"network": name, "topics": topics_of[network]}
            )
        else:
            reasons.append(_("member of the %(network)s network") % {"network": name})
    return reasons


def program_reasons(
    kind_label: str, coordinators: list[str], regional: list[tuple[str, str]]
) -> list[str]:
    """Why a program: who leads it, and how the region takes part (or that it does not)."""
    reasons = []
    if coordinators:
        reasons.append(
            _("a %(kind)s coordinated by %(coordinators)s")
            % {"kind": kind_label, "coordinators": ", ".join(coordinators)}
        )
    if regional:
        partners = ", ".join(f"{who} ({role})" for who, role in regional)
        reasons.append(
            _("the region takes part, lean on it: %(partners)s") % {"partners": partners}
        )
    else:
        reasons.append(_("no one of the region takes part yet: a program to join"))
    return reasons
