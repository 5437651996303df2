"""What the cluster does: activities, and who takes part in them in which role.

One participation table rather than one link table per pair of entities, as in
CERIF (Contribution, Involvement) and VIVO (reified roles with intervals): an
organization coordinates a program, a person speaks at a seminar, a region is a
party to an agreement — all are participations with a role and an interval.
Kind-specific fields (an agreement's status, an event's edition) live on the
activity itself and are validated against its kind, which keeps every list a
single-table query.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from passerelle.core.fields import CountryField, PartialDateField
from passerelle.core.models import Interval, Record, Visibility, localized
from passerelle.core.text import validate_name
from passerelle.registry.models import ActorReference, Organization, Person, Place, Topic

from .commitment_rules import rule_problems
from .rules import ActivityLinkQuerySet, CommitmentQuerySet, ParticipationQuerySet
from .series import edition_problems, series_problems
from .vocabulary import (
    CATEGORIES_BY_KIND,
    ORGANIZATION_ONLY_ROLES,
    PERSON_ONLY_ROLES,
    ROLES_BY_KIND,
    AgreementStatus,
    Cadence,
    Category,
    CommitmentArea,
    CommitmentMeasure,
    CommitmentPeriod,
    Direction,
    ExchangeCategory,
    Kind,
    LinkRelation,
    Role,
)
from .work_fields import WorkFields

#: Fields that only some kinds of activity may fill, and which kinds.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "objectives_en": (Kind.PROGRAM, Kind.PROJECT),
    "objectives_fr": (Kind.PROGRAM, Kind.PROJECT),
    "funding_amount": (Kind.PROGRAM, Kind.PROJECT, Kind.EXCHANGE),
    "funding_currency": (Kind.PROGRAM, Kind.PROJECT, Kind.EXCHANGE),
    "status": (Kind.AGREEMENT,),
    "signed_on": (Kind.AGREEMENT,),
    "open_ended": (Kind.AGREEMENT,),
    "notice_months": (Kind.AGREEMENT,),
    "renews_automatically": (Kind.AGREEMENT,),
    "edition": (Kind.EVENT,),
    "venue": (Kind.EVENT,),
    "alternating": (Kind.EVENT,),
    "direction": (Kind.DELEGATION, Kind.EXCHANGE),
    "delegation_country": (Kind.DELEGATION,),
    "purpose_en": (Kind.DELEGATION,),
    "purpose_fr": (Kind.DELEGATION,),
    "outcomes_en": (Kind.DELEGATION,),
    "outcomes_fr": (Kind.DELEGATION,),
    "exchange_category": (Kind.EXCHANGE,),
    "headcount": (Kind.EXCHANGE,),
    "exchange_status": (Kind.EXCHANGE,),
    "duration_months": (Kind.EXCHANGE,),
    "cadence": (Kind.EVENT,),
    "rotation_countries": (Kind.EVENT,),
}


class Activity(WorkFields, Interval, Record):
    """A program, project, agreement, event, delegation, exchange or membership."""

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, db_index=True)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, validators=[validate_name])
    title_fr = models.CharField(
        _("title (French)"), max_length=300, blank=True, validators=[validate_name]
    )
    acronym = models.CharField(_("acronym"), max_length=50, blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    places = models.ManyToManyField(
        Place, blank=True, related_name="activities", verbose_name=_("places")
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="activities", verbose_name=_("topics")
    )
    # programs and projects
    objectives_en = models.TextField(_("objectives (English)"), blank=True)
    objectives_fr = models.TextField(_("objectives (French)"), blank=True)
    funding_amount = models.DecimalField(
        _("funding amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    funding_currency = models.CharField(
        _("funding currency"),
        max_length=3,
        blank=True,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("An ISO 4217 code such as EUR."))],
    )
    # agreements
    status = models.CharField(
        _("agreement status"), max_length=12, choices=AgreementStatus.choices, blank=True
    )
    signed_on = PartialDateField(_("signed on"))
    open_ended = models.BooleanField(
        _("open-ended"), default=False, help_text=_("In force until terminated: no end date.")
    )
    notice_months = models.PositiveSmallIntegerField(
        _("notice period (months)"),
        null=True,
        blank=True,
        help_text=_("How long before its end a party says it will not renew or terminates."),
    )
    renews_automatically = models.BooleanField(_("renews automatically"), default=False)
    # events
    edition = models.PositiveSmallIntegerField(_("edition"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    alternating = models.BooleanField(
        _("held alternately"),
        default=False,
        help_text=_("A series whose editions are held in turn in each of its places."),
    )
    # delegations
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, blank=True
    )
    delegation_country = CountryField(
        _("delegation's country"),
        blank=True,
        help_text=_("Where an incoming delegation comes from, or where an outgoing one goes."),
    )
    purpose_en = models.TextField(_("purpose (English)"), blank=True)
    purpose_fr = models.TextField(_("purpose (French)"), blank=True)
    # exchanges
    exchange_category = models.CharField(
        _("exchange category"), max_length=16, choices=ExchangeCategory.choices, blank=True
    )
    headcount = models.PositiveIntegerField(
        _("number of people"),
        null=True,
        blank=True,
        help_text=_("Where the people exchanged are counted rather than named."),
    )
    history = HistoricalRecords(m2m_fields=[places, topics])

    class Meta(Record.Meta):
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-start", "-id"]  # newest first; total, so an index serves a page
        indexes = [
            *Record.Meta.indexes,
            models.Index(fields=["kind", "start"]),
            models.Index(fields=["-start", "-id"], name="activity_recent_first"),
            # the agreements ending soon (the desk), without reading every agreement
            models.Index(fields=["kind", "end"], name="activity_kind_end"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title", (get_language() or "en")[:2])

    @property
    def summary(self) -> str:
        return localized(self, "summary", (get_language() or "en")[:2])

    @property
    def purpose(self) -> str:
        return localized(self, "purpose", (get_language() or "en")[:2])

    @property
    def outcomes(self) -> str:
        return localized(self, "outcomes", (get_language() or "en")[:2])

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        try:
            super().clean()
        except ValidationError as error:
            errors.update(error.message_dict)
        kind_label = Kind(self.kind).label if self.kind in Kind.values else self.kind
        if self.category and self.category not in CATEGORIES_BY_KIND.get(self.kind, ()):
            allowed = ", ".join(
                str(Category(c).label) for c in CATEGORIES_BY_KIND.get(self.kind, ())
            )
            errors.setdefault("category", []).append(
                _(
                    "«%(activity)s»: “%(category)s” is not a category of activities of kind "
                    "“%(kind)s”; choose one of: %(allowed)s."
                )
                % {
                    "activity": self,
                    "category": self.category,
                    "kind": kind_label,
                    "allowed": allowed,
                }
            )
        for field, kinds in KIND_FIELDS.items():
            value = getattr(self, field)
            if value not in ("", None, False, []) and self.kind not in kinds:
                verbose = self._meta.get_field(field).verbose_name
                errors.setdefault(field, []).append(
                    _("«%(activity)s»: activities of kind “%(kind)s” have no %(field)s.")
                    % {"activity": self, "kind": kind_label, "field": verbose}
                )
        if self.funding_amount is not None and not self.funding_currency:
            errors.setdefault("funding_currency", []).append(
                _("%(activity)s: say in which currency the funding is.") % {"activity": self}
            )
        if self.kind == Kind.AGREEMENT and not self.status:
            errors.setdefault("status", []).append(
                _("%(activity)s: an agreement has a status.") % {"activity": self}
            )
        if self.open_ended and self.end:
            errors.setdefault("end", []).append(
                _("«%(activity)s» is open-ended: it has no end date.") % {"activity": self}
            )
        if len(self.rotation_countries) == 1:
            errors.setdefault("rotation_countries", []).append(
                _("«%(activity)s»: a rotation is between at least two countries; name another.")
                % {"activity": self}
            )
        for field, problems in series_problems(self).items():  # an edition number once
            errors.setdefault(field, []).extend(problems)
        if errors:
            raise ValidationError(errors)


def check_parties(activity: Activity, roles: Iterable[str]) -> str | None:
    """Say why an agreement with participants in these roles lacks parties, or None.

    It judges a whole set of participations, so it is called where such a set is
    edited at once (the admin's inline rows, an import), not from ``clean()``,
    which would see the rows saved before the edit.
    """
    if activity.kind != Kind.AGREEMENT:
        return None
    parties = sum(1 for role in roles if role == Role.PARTY)
    if parties < 2:
        return str(
            _("Agreement «%(activity)s» needs at least two parties; it has %(count)d.")
            % {"activity": activity, "count": parties}
        )
    return None


class Participation(Interval, ActorReference):
    """An organization or a person takes part in an activity, in a role, over an interval."""

    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("activity"),
    )
    # an actor who takes part in activities is not deleted with what it took part in: the
    # delete is refused (a 409 in the API, the protected list in the back office) until its
    # participations are removed or moved by a merge
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("organization"),
    )
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    place = models.ForeignKey(
        Place,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("from"),
        help_text=_("Where the participant takes part from, if stated."),
    )
    note = models.TextField(_("note"), blank=True)
    # a party's signature of an agreement
    signed_by = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signatures",
        verbose_name=_("signed by"),
        help_text=_("For a party to an agreement: the person who signed for it."),
    )
    signed_on = PartialDateField(_("signed on"))
    visibility = models.CharField(
        _("visibility"), max_length=12, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    citations = GenericRelation("core.Citation")
    history = HistoricalRecords()

    objects = ParticipationQuerySet.as_manager()

    class Meta(ActorReference.Meta):
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["activity", "role", "pk"]
        indexes = [models.Index(fields=["role", "activity"])]

    def __str__(self) -> str:
        actor = self.actor
        role = Role(self.role).label if self.role in Role.values else self.role
        activity = self.activity if self.activity_id else "?"
        return f"{actor or '?'} — {role} — {activity}"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        try:
            super().clean()
        except ValidationError as error:
            errors.update(error.message_dict)
        if bool(self.organization_id) == bool(self.person_id):
            errors.setdefault("organization", []).append(
                _("%(activity)s: a participation names one organization or one person.")
                % {"activity": self.activity if self.activity_id else "?"}
            )
        problem = (
            role_problem(
                self.activity, self.role, person=self.person, organization=self.organization
            )
            if self.activity_id and self.role
            else None
        )
        if problem:
            errors.setdefault("role", []).append(problem)
        if (self.signed_by_id or self.signed_on) and self.role != Role.PARTY:
            errors.setdefault("signed_by", []).append(
                _("%(participation)s: only a party to an agreement signs it.")
                % {"participation": self}
            )
        if errors:
            raise ValidationError(errors)


def role_problem(
    activity: Activity,
    role: str,
    *,
    person: Person | None = None,
    organization: Organization | None = None,
) -> str | None:
    """Why ``role`` does not fit the activity's kind or the actor, or None when it does."""
    allowed = ROLES_BY_KIND.get(activity.kind, ())
    if role not in allowed:
        return str(
            _(
                "«%(activity)s»: “%(role)s” is not a role in activities of kind “%(kind)s”; "
                "roles there are: %(allowed)s."
            )
            % {
                "role": role,
                "kind": Kind(activity.kind).label,
                "activity": activity,
                "allowed": ", ".join(str(Role(r).label) for r in allowed),
            }
        )
    if person is not None and role in ORGANIZATION_ONLY_ROLES:
        return str(
            _("%(actor)s: only an organization can be %(role)s of «%(activity)s».")
            % {"actor": person, "role": Role(role).label, "activity": activity}
        )
    if organization is not None and role in PERSON_ONLY_ROLES:
        return str(
            _("%(actor)s: only a person can be %(role)s of «%(activity)s».")
            % {"actor": organization, "role": Role(role).label, "activity": activity}
        )
    return None


class Commitment(models.Model):
    """A key area of an agreement, with a rule that recorded activities can be checked against.

    "Joint scientific conferences, held alternately in France and in Israel" is
    area ``joint_events`` with alternate countries FR and IL.
    """

    uid = models.UUIDField(_("stable id"), default=uuid.uuid4, unique=True, editable=False)
    agreement = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="commitments",
        verbose_name=_("agreement"),
    )
    area = models.CharField(_("key area"), max_length=16, choices=CommitmentArea.choices)
    text_en = models.CharField(_("wording (English)"), max_length=300)
    text_fr = models.CharField(_("wording (French)"), max_length=300, blank=True)
    cadence = models.CharField(_("cadence"), max_length=10, choices=Cadence.choices, blank=True)
    alternate_countries = CountryField(
        _("held alternately in"),
        multiple=True,
        blank=True,
        help_text=_("Countries that must take turns hosting, in any order."),
    )
    exchange_categories = models.CharField(
        _("exchange categories"),
        max_length=200,
        blank=True,
        help_text=_(
            "Comma-separated: researcher, physician, master_student, phd_student, resident."
        ),
    )
    count = models.PositiveSmallIntegerField(
        _("how many"),
        null=True,
        blank=True,
        help_text=_(
            "Events, exchanges (people or person-months) or active joint projects promised."
        ),
    )
    period = models.CharField(
        _("counted"), max_length=8, choices=CommitmentPeriod.choices, blank=True
    )
    measure = models.CharField(
        _("exchanges counted in"),
        max_length=16,
        choices=CommitmentMeasure.choices,
        blank=True,
    )
    direction = models.CharField(
        _("direction of the exchanges"),
        max_length=8,
        choices=Direction.choices,
        blank=True,
        help_text=_("Incoming: received in the region; outgoing: sent from it; empty: both."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["agreement", "position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return localized(self, "text", (get_language() or "en")[:2])

    @property
    def categories(self) -> list[str]:
        return [c.strip() for c in self.exchange_categories.split(",") if c.strip()]

    @property
    def alternate_codes(self) -> list[str]:
        """The alternation's country codes as stored. The field's own descriptor makes a
        ``Country`` object of each code on every read, which was a sixth of checking every
        agreement's commitments; the checker needs only the codes."""
        if "alternate_countries" not in self.__dict__:  # deferred
            self.refresh_from_db(fields=["alternate_countries"])
        return list(self.__dict__["alternate_countries"] or ())

    def clean(self) -> None:
        super().clean()
        if self.agreement_id and self.agreement.kind != Kind.AGREEMENT:
            raise ValidationError(
                {
                    "agreement": _(
                        "«%(activity)s» is not an agreement: only agreements have commitments."
                    )
                    % {"activity": self.agreement}
                }
            )
        unknown = [c for c in self.categories if c not in ExchangeCategory.values]
        if unknown:
            raise ValidationError(
                {
                    "exchange_categories": _(
                        "%(agreement)s: unknown exchange categories %(unknown)s; known: %(known)s."
                    )
                    % {
                        "agreement": self.agreement,
                        "unknown": ", ".join(unknown),
                        "known": ", ".join(ExchangeCategory.values),
                    }
                }
            )
        if self.exchange_categories and self.area != CommitmentArea.EXCHANGES:
            raise ValidationError(
                {"exchange_categories": _("Only an exchange commitment lists exchange categories.")}
            )
        if len(self.alternate_countries) == 1:
            raise ValidationError(
                {"alternate_countries": _("Alternation needs at least two countries.")}
            )
        problems = rule_problems(self)
        if problems:
            raise ValidationError(problems)


class ActivityLink(models.Model):
    """One activity is part of, renews or fulfils another."""

    subject = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="links_out", verbose_name=_("activity")
    )
    relation = models.CharField(_("relation"), max_length=12, choices=LinkRelation.choices)
    object = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="links_in",
        verbose_name=_("related activity"),
    )
    commitment = models.ForeignKey(
        Commitment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fulfilments",
        verbose_name=_("commitment"),
        help_text=_("For “fulfils”: which key area."),
    )
    history = HistoricalRecords()

    objects = ActivityLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("link between activities")
        verbose_name_plural = _("links between activities")
        ordering = ["subject", "relation", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "relation", "object"], name="activity_link_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.get_relation_display()} {self.object}"

    def clean(self) -> None:
        super().clean()
        if not (self.subject_id and self.object_id):
            return
        if self.subject_id == self.object_id:
            raise ValidationError(
                {
                    "object": _("«%(activity)s» cannot be linked to itself.")
                    % {"activity": self.subject}
                }
            )
        if (
            self.relation in (LinkRelation.RENEWS, LinkRelation.FULFILS, LinkRelation.NOT_FULFILS)
            and self.object.kind != Kind.AGREEMENT
        ):
            raise ValidationError(
                {
                    "object": _(
                        "«%(activity)s» %(relation)s «%(other)s», which is not an agreement."
                    )
                    % {
                        "activity": self.subject,
                        "other": self.object,
                        "relation": self.get_relation_display(),
                    }
                }
            )
        if self.relation == LinkRelation.RENEWS and self.subject.kind != Kind.AGREEMENT:
            raise ValidationError({"relation": _("Only an agreement renews an agreement.")})
        if self.commitment_id and (
            self.relation not in (LinkRelation.FULFILS, LinkRelation.NOT_FULFILS)
            or self.commitment.agreement_id != self.object_id
        ):
            raise ValidationError(
                {
                    "commitment": _(
                        "The commitment must be one of the agreement this activity fulfils."
                    )
                }
            )
        if self.relation == LinkRelation.PART_OF:  # an edition number once a series, its places
            problems = edition_problems(self.subject, self.object)
            if problems:
                raise ValidationError({"object": list(problems.values())})
        if self.relation == LinkRelation.PART_OF and self._part_of_cycle():
            raise ValidationError(
                {
                    "object": _("«%(activity)s» would end up part of itself.")
                    % {"activity": self.subject}
                }
            )

    def _part_of_cycle(self) -> bool:
        frontier, seen = {self.object_id}, set()
        while frontier:
            if self.subject_id in frontier:
                return True
            seen |= frontier
            frontier = (
                set(
                    ActivityLink.objects.filter(
                        subject_id__in=frontier,
                        relation=LinkRelation.PART_OF,
                    ).values_list("object_id", flat=True)
                )
                - seen
            )
        return False


from .agreement_models import AgreementDocument  # noqa: E402  (registered with the app)
from .delegation_models import AgendaItem, FollowUp  # noqa: E402  (they name Activity)
from .tally_models import OrganizationTally, PlaceTally, TallyMember, TieTally  # noqa: E402

__all__ = [
    "Activity",
    "ActivityLink",
    "AgendaItem",
    "AgreementDocument",
    "Commitment",
    "FollowUp",
    "OrganizationTally",
    "Participation",
    "PlaceTally",
    "TallyMember",
    "TieTally",
    "check_parties",
    "role_problem",
]
