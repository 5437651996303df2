"""The controlled vocabularies of activities: kinds, categories, roles.

A role is vocabulary, not a free string: a seminar has organizers and speakers,
an agreement has parties and signatories, and no seminar has a signatory. The
table below is the single place that says which role fits which kind.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    PROGRAM = "program", _("program")
    PROJECT = "project", _("project")
    AGREEMENT = "agreement", _("agreement")
    EVENT = "event", _("event")
    DELEGATION = "delegation", _("delegation")
    EXCHANGE = "exchange", _("exchange")
    MEMBERSHIP = "membership", _("membership")


class Category(models.TextChoices):
    # programs and projects
    COLLABORATIVE_PROJECT = "collaborative_project", _("collaborative project")
    JOINT_RESEARCH_PROJECT = "joint_research_project", _("joint research project")
    INTERNATIONAL_NETWORK = "international_network", _("international network")
    FLAGSHIP_PROGRAM = "flagship_program", _("flagship program")
    OBSERVATORY = "observatory", _("observatory")
    COOPERATION_PROGRAM = "cooperation_program", _("cooperation program")
    # agreements
    PARTNERSHIP_AGREEMENT = "partnership_agreement", _("partnership agreement")
    MEMORANDUM = "memorandum", _("memorandum of understanding")
    # events
    SEMINAR = "seminar", _("seminar")
    SYMPOSIUM = "symposium", _("symposium")
    CONFERENCE = "conference", _("conference")
    SCIENTIFIC_DAYS = "scientific_days", _("scientific days")
    SIGNING_CEREMONY = "signing_ceremony", _("signing ceremony")
    MEETING = "meeting", _("meeting")
    EVENT_SERIES = "event_series", _("series of events")
    # delegations
    STUDY_VISIT = "study_visit", _("study visit")
    OFFICIAL_VISIT = "official_visit", _("official visit")
    # exchanges
    MOBILITY = "mobility", _("mobility")
    # memberships
    NETWORK_MEMBERSHIP = "network_membership", _("network membership")


CATEGORIES_BY_KIND: dict[str, tuple[str, ...]] = {
    Kind.PROGRAM: (
        Category.COLLABORATIVE_PROJECT,
        Category.FLAGSHIP_PROGRAM,
        Category.INTERNATIONAL_NETWORK,
        Category.OBSERVATORY,
        Category.COOPERATION_PROGRAM,
    ),
    Kind.PROJECT: (
        Category.COLLABORATIVE_PROJECT,
        Category.JOINT_RESEARCH_PROJECT,
        Category.INTERNATIONAL_NETWORK,
        Category.OBSERVATORY,
    ),
    Kind.AGREEMENT: (Category.PARTNERSHIP_AGREEMENT, Category.MEMORANDUM),
    Kind.EVENT: (
        Category.SEMINAR,
        Category.SYMPOSIUM,
        Category.CONFERENCE,
        Category.SCIENTIFIC_DAYS,
        Category.SIGNING_CEREMONY,
        Category.MEETING,
        Category.EVENT_SERIES,
    ),
    Kind.DELEGATION: (Category.STUDY_VISIT, Category.OFFICIAL_VISIT),
    Kind.EXCHANGE: (Category.MOBILITY,),
    Kind.MEMBERSHIP: (Category.NETWORK_MEMBERSHIP,),
}


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("coordinator")
    PARTNER = "partner", _("partner")
    MEMBER = "member", _("member")
    FUNDER = "funder", _("funder")
    SUPPORTER = "supporter", _("supporter")
    PARTY = "party", _("party")
    SIGNATORY = "signatory", _("signatory")
    ORGANIZER = "organizer", _("organizer")
    CO_ORGANIZER = "co_organizer", _("co-organizer")
    HOST = "host", _("host")
    VISITOR = "visitor", _("visitor")
    PARTICIPANT = "participant", _("participant")
    SPEAKER = "speaker", _("speaker")
    SENDING = "sending", _("sending")
    RECEIVING = "receiving", _("receiving")


_PROGRAM_ROLES = (
    Role.COORDINATOR,
    Role.PARTNER,
    Role.MEMBER,
    Role.FUNDER,
    Role.SUPPORTER,
    Role.PARTICIPANT,
)

ROLES_BY_KIND: dict[str, tuple[str, ...]] = {
    Kind.PROGRAM: _PROGRAM_ROLES,
    Kind.PROJECT: _PROGRAM_ROLES,
    Kind.AGREEMENT: (Role.PARTY, Role.SIGNATORY, Role.COORDINATOR, Role.FUNDER, Role.SUPPORTER),
    Kind.EVENT: (
        Role.ORGANIZER,
        Role.CO_ORGANIZER,
        Role.HOST,
        Role.PARTNER,
        Role.PARTICIPANT,
        Role.SPEAKER,
        Role.FUNDER,
        Role.SUPPORTER,
    ),
    Kind.DELEGATION: (Role.VISITOR, Role.HOST, Role.PARTICIPANT),
    Kind.EXCHANGE: (Role.PARTICIPANT, Role.SENDING, Role.RECEIVING, Role.FUNDER),
    Kind.MEMBERSHIP: (Role.MEMBER, Role.COORDINATOR, Role.HOST),
}

#: Roles that only people can hold, and roles that only organizations can hold.
PERSON_ONLY_ROLES = {Role.SPEAKER}
ORGANIZATION_ONLY_ROLES = {Role.PARTY, Role.FUNDER, Role.SENDING, Role.RECEIVING, Role.HOST}


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("agreement status", "draft")  # not a record's draft
    UNDER_REVIEW = "under_review", _("in negotiation")  # the value kept from before
    SIGNED = "signed", _("signed")
    ACTIVE = "active", _("in force")
    EXPIRED = "expired", _("expired")
    TERMINATED = "terminated", _("terminated")
    RENEWED = "renewed", _("renewed")


class Direction(models.TextChoices):
    INCOMING = "incoming", _("incoming")
    OUTGOING = "outgoing", _("outgoing")


class ExchangeCategory(models.TextChoices):
    RESEARCHER = "researcher", _("researcher")
    PHYSICIAN = "physician", _("physician")
    MASTER_STUDENT = "master_student", _("Master's student")
    PHD_STUDENT = "phd_student", _("PhD student")
    RESIDENT = "resident", _("resident")


class LinkRelation(models.TextChoices):
    PART_OF = "part_of", _("is part of")
    RENEWS = "renews", _("renews")
    FULFILS = "fulfils", _("fulfils")
    #: Staff decided that an activity the checker suggested does not fulfil the agreement.
    NOT_FULFILS = "not_fulfils", _("does not fulfil")


class CommitmentArea(models.TextChoices):
    """Key areas of agreements, each checkable against recorded activities."""

    JOINT_PROJECTS = "joint_projects", _("joint scientific projects")
    JOINT_EVENTS = "joint_events", _("joint scientific conferences")
    EXCHANGES = "exchanges", _("exchanges")
    OTHER = "other", _("other key area")


class Cadence(models.TextChoices):
    NONE = "", _("no set cadence")
    YEARLY = "yearly", _("every year")
    BIENNIAL = "biennial", _("every two years")


class CommitmentPeriod(models.TextChoices):
    """Over what a commitment's number is counted."""

    NONE = "", _("no period")
    YEAR = "year", _("per year")
    TERM = "term", _("over the agreement's term")


class CommitmentMeasure(models.TextChoices):
    """What an exchange commitment counts."""

    PEOPLE = "people", _("people")
    PERSON_MONTHS = "person_months", _("person-months")


class DocumentKind(models.TextChoices):
    SIGNED = "signed", _("signed agreement")
    ANNEX = "annex", _("annex")


class ExchangeStatus(models.TextChoices):
    """Where an exchange stands (after EWP's nomination → live → recognized, or cancelled)."""

    PLANNED = "planned", _("planned")
    ONGOING = "ongoing", _("ongoing")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("follow-up status", "open")
    DONE = "done", pgettext_lazy("follow-up status", "done")
    DROPPED = "dropped", pgettext_lazy("follow-up status", "dropped")
