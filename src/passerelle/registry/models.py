"""Who and where: places, organizations, people, topics and their identifiers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from passerelle.core.fields import CountryField
from passerelle.core.identifiers import (
    ORGANIZATION_SCHEMES,
    PERSON_SCHEMES,
    Scheme,
    identifier_url,
    normalize_identifier,
)
from passerelle.core.models import Interval, Record, localized
from passerelle.core.text import validate_name

from .rules import (
    ActorRowQuerySet,
    AffiliationQuerySet,
    OrganizationRowQuerySet,
    RelationshipQuerySet,
)
from .wording import Grammatical


def _language() -> str:
    return (get_language() or "en")[:2]


def _parent_loops(record: models.Model) -> bool:
    """Whether following ``parent`` from ``record`` comes back to a record already seen."""
    ancestor, seen = record.parent, {record.pk}
    while ancestor is not None:
        if ancestor.pk in seen:
            return True
        seen.add(ancestor.pk)
        ancestor = ancestor.parent
    return False


class Place(Grammatical, Record):
    """A city, a region, or a whole country when neither city nor region is known."""

    name_en = models.CharField(
        _("name (English)"), max_length=200, blank=True, validators=[validate_name]
    )
    name_fr = models.CharField(
        _("name (French)"), max_length=200, blank=True, validators=[validate_name]
    )
    region = models.CharField(_("region"), max_length=200, blank=True, validators=[validate_name])
    region_fr = models.CharField(
        _("region (French)"),
        max_length=200,
        blank=True,
        validators=[validate_name],
        help_text=_("Where French names the region otherwise: Catalogne for Catalonia."),
    )
    country = CountryField(_("country"))
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    geonames_id = models.PositiveIntegerField(_("GeoNames id"), null=True, blank=True, unique=True)
    history = HistoricalRecords()

    class Meta(Record.Meta):
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["country", "name_en", "region"]

    def __str__(self) -> str:
        name = self.shown_name
        return f"{name}, {self.country.name}" if name else str(self.country.name)

    @property
    def name(self) -> str:
        return localized(self, "name", _language())

    @property
    def region_name(self) -> str:
        """The region in the active language: its French name on French pages, where one is
        recorded; ``region`` is the name it is known by otherwise (often English)."""
        return (_language() == "fr" and self.region_fr) or self.region

    @property
    def shown_name(self) -> str:
        """The city in the active language, else the region: what a page calls the place."""
        return self.name or self.region_name

    def french_name(self) -> str:
        return self.name_fr or self.name_en or self.region_fr or self.region

    def kind_for_grammar(self) -> str:
        return "city" if self.name_en or self.name_fr else "region"

    def clean(self) -> None:
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(
                {
                    "longitude": _("Place %(place)s: give both latitude and longitude, or neither.")
                    % {"place": self}
                }
            )
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            raise ValidationError(
                {
                    "latitude": _("Place %(place)s: latitude must lie between -90 and 90.")
                    % {"place": self}
                }
            )
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            raise ValidationError(
                {
                    "longitude": _("Place %(place)s: longitude must lie between -180 and 180.")
                    % {"place": self}
                }
            )


class Topic(Record):
    """A theme of research or a cancer type, in a hierarchy (lymphoma under hematology…)."""

    class Kind(models.TextChoices):
        CANCER_TYPE = "cancer_type", _("cancer type")
        RESEARCH_THEME = "research_theme", _("research theme")

    slug = models.SlugField(_("short name"), max_length=100, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200, validators=[validate_name])
    name_fr = models.CharField(
        _("name (French)"), max_length=200, blank=True, validators=[validate_name]
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.RESEARCH_THEME
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("broader topic"),
    )
    mesh_id = models.CharField(_("MeSH id"), max_length=20, blank=True)
    ncit_id = models.CharField(_("NCIt id"), max_length=20, blank=True)
    history = HistoricalRecords()

    class Meta(Record.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name", _language())

    def clean(self) -> None:
        super().clean()
        if _parent_loops(self):
            raise ValidationError(
                {
                    "parent": _("Topic «%(topic)s»: a topic cannot be broader than itself.")
                    % {"topic": self}
                }
            )


class Organization(Grammatical, Record):
    """A cluster, an institute, a hospital, a funder… anything that can be a party."""

    class Kind(models.TextChoices):
        CLUSTER = "cluster", _("cluster")
        RESEARCH_INSTITUTE = "research_institute", _("research institute")
        CANCER_CENTRE = "cancer_centre", _("cancer centre")
        HOSPITAL = "hospital", _("hospital")
        UNIVERSITY = "university", _("university")
        COMPANY = "company", _("company")
        FUNDER = "funder", _("funder")
        AGENCY = "agency", _("agency")
        GOVERNMENT = "government", _("government or region")
        NETWORK = "network", _("network")
        INTERNATIONAL = "international", _("international organization")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        INACTIVE = "inactive", _("inactive")
        WITHDRAWN = "withdrawn", _("withdrawn")

    name = models.CharField(
        _("name"),
        max_length=300,
        db_index=True,
        validators=[validate_name],
        help_text=_("The name the organization uses for itself."),
    )
    name_en = models.CharField(
        _("name (English)"), max_length=300, blank=True, validators=[validate_name]
    )
    name_fr = models.CharField(
        _("name (French)"), max_length=300, blank=True, validators=[validate_name]
    )
    acronym = models.CharField(_("acronym"), max_length=50, blank=True, db_index=True)
    acronym_fr = models.CharField(
        _("acronym (French)"),
        max_length=50,
        blank=True,
        default="",
        db_default="",
        help_text=_("Where French uses its own: CIRC for IARC, CE for EC."),
    )
    description_en = models.CharField(
        _("short description (English)"),
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text=_(
            "A few words the page may add after the name: “the German reference in "
            "cancer research”."
        ),
    )
    description_fr = models.CharField(
        _("short description (French)"), max_length=200, blank=True, default="", db_default=""
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    place = models.ForeignKey(
        Place,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
        verbose_name=_("place"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        verbose_name=_("parent organization"),
    )
    in_region = models.BooleanField(
        _("in the cluster's region"),
        default=False,
        help_text=_("Belongs to the cluster's own region (as opposed to a partner abroad)."),
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="organizations", verbose_name=_("topics")
    )
    history = HistoricalRecords(m2m_fields=[topics])

    class Meta(Record.Meta):
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        # Total orders that an index serves: a page of a 50k list needs no sort of it all.
        ordering = ["name", "id"]
        indexes = [
            *Record.Meta.indexes,
            models.Index(fields=["name", "id"], name="organization_name_order"),
            # the region's few organizations among tens of thousands (matchmaking's ties)
            models.Index(
                fields=["id"], condition=models.Q(in_region=True), name="organization_in_region"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the active language, e.g. IARC's English or French name."""
        return getattr(self, f"name_{_language()}", "") or self.name

    @property
    def short_name(self) -> str:
        return self.shown_acronym or self.display_name

    @property
    def shown_acronym(self) -> str:
        """The acronym in the active language: CIRC in French, IARC in English."""
        return (self.acronym_fr if _language() == "fr" else "") or self.acronym

    @property
    def description(self) -> str:
        """In the active language only: an English aside has no place in a French sentence."""
        return getattr(self, f"description_{_language()}", "")

    def french_name(self) -> str:
        return self.name_fr or self.name

    def clean(self) -> None:
        super().clean()
        if _parent_loops(self):
            raise ValidationError(
                {
                    "parent": _("Organization «%(org)s»: an organization cannot be its own parent.")
                    % {"org": self}
                }
            )


class OrganizationName(models.Model):
    """Another name an organization goes by: a label in some language, an alias, an acronym."""

    class Kind(models.TextChoices):
        LABEL = "label", _("label in another language")
        ALIAS = "alias", _("alias")
        ACRONYM = "acronym", _("acronym")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="names", verbose_name=_("organization")
    )
    value = models.CharField(_("name"), max_length=300, validators=[validate_name])
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ALIAS)
    language = models.CharField(
        _("language"), max_length=10, blank=True, help_text=_("ISO 639-1 code, e.g. fr, de, zh.")
    )
    history = HistoricalRecords()

    objects = OrganizationRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("other name")
        verbose_name_plural = _("other names")
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "value", "kind"], name="organization_name_once"
            )
        ]

    def __str__(self) -> str:
        return self.value


class OrganizationRelationship(models.Model):
    """A relationship a registry states between two organizations (parent, successor…).

    The target is kept by its ROR id as well, so that a relationship to an
    organization not loaded yet is not lost: it is resolved when that record
    arrives.
    """

    class Kind(models.TextChoices):
        PARENT = "parent", _("parent")
        CHILD = "child", _("child")
        RELATED = "related", _("related")
        SUCCESSOR = "successor", _("successor")
        PREDECESSOR = "predecessor", _("predecessor")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="relationships",
        verbose_name=_("organization"),
    )
    kind = models.CharField(_("relationship"), max_length=12, choices=Kind.choices)
    target = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("related organization"),
    )
    target_ror = models.CharField(_("ROR id of the related organization"), max_length=9, blank=True)

    objects = RelationshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        ordering = ["kind", "pk"]
        indexes = [models.Index(fields=["target_ror"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.target or self.target_ror}"


class Person(Record):
    """A researcher, physician, student or officer."""

    class Title(models.TextChoices):
        NONE = "", _("(none)")
        PROFESSOR = "pr", _("Pr.")
        DOCTOR = "dr", _("Dr.")

    given_name = models.CharField(
        _("given name"),
        max_length=100,
        blank=True,
        validators=[validate_name],
        help_text=_("As known: an initial such as “C.” is fine."),
    )
    family_name = models.CharField(
        _("family name"), max_length=100, db_index=True, validators=[validate_name]
    )
    title = models.CharField(_("title"), max_length=2, choices=Title.choices, blank=True)
    place = models.ForeignKey(
        Place,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("based in"),
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="people", verbose_name=_("expertise")
    )
    history = HistoricalRecords(m2m_fields=[topics])

    class Meta(Record.Meta):
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["family_name", "given_name", "id"]
        indexes = [
            *Record.Meta.indexes,
            models.Index(fields=["family_name", "given_name", "id"], name="person_name_order"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.family_name) if part)

    @property
    def display_name(self) -> str:
        """“Pr. C. Brambilla”: how the cluster's pages name people."""
        title = self.get_title_display() if self.title else ""
        return " ".join(part for part in (str(title), self.full_name) if part)


class Affiliation(Interval):
    """A person works at an organization, in some position, over some period."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="affiliations", verbose_name=_("person")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="affiliations",
        verbose_name=_("organization"),
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = AffiliationQuerySet.as_manager()

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ["-start", "pk"]

    def __str__(self) -> str:
        return f"{self.person.full_name} @ {self.organization.short_name}"


class ActorReference(models.Model):
    """Abstract: a row that belongs to exactly one actor, an organization or a person.

    Participations and identifiers both point at "an organization or a person";
    two nullable keys and one check constraint say so, rather than a generic
    relation that the database could not check or join.
    """

    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="%(class)ss",
        verbose_name=_("organization"),
    )
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="%(class)ss",
        verbose_name=_("person"),
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=False, person__isnull=True)
                | Q(organization__isnull=True, person__isnull=False),
                name="%(app_label)s_%(class)s_one_actor",
                violation_error_message=_("It names one organization or one person."),
            ),
        ]

    @property
    def actor(self) -> Organization | Person | None:
        return self.organization if self.organization_id else self.person


class Identifier(ActorReference):
    """A persistent identifier of an organization or a person (ROR, ORCID, Wikidata…).

    One table for every scheme, so that "no two records share an identifier"
    is one database constraint.
    """

    scheme = models.CharField(_("scheme"), max_length=10, choices=Scheme.choices)
    value = models.CharField(_("value"), max_length=500)
    history = HistoricalRecords()

    objects = ActorRowQuerySet.as_manager()

    class Meta(ActorReference.Meta):
        verbose_name = _("identifier")
        verbose_name_plural = _("identifiers")
        ordering = ["scheme", "value"]
        constraints = [
            *ActorReference.Meta.constraints,
            models.UniqueConstraint(fields=["scheme", "value"], name="identifier_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_scheme_display()} {self.value}"

    @property
    def url(self) -> str:
        return identifier_url(self.scheme, self.value)

    def clean(self) -> None:
        super().clean()
        holder = self.actor
        if holder is None:
            raise ValidationError(_("An identifier belongs to an organization or a person."))
        if self.organization_id and self.person_id:
            raise ValidationError(_("An identifier belongs to one record, not two."))
        allowed = ORGANIZATION_SCHEMES if self.organization_id else PERSON_SCHEMES
        if self.scheme not in allowed:
            raise ValidationError(
                {
                    "scheme": _(
                        "%(holder)s: a %(scheme)s identifier does not fit this kind of record."
                    )
                    % {"holder": holder, "scheme": self.get_scheme_display()}
                }
            )
        try:
            self.value = normalize_identifier(self.scheme, self.value)
        except ValueError as error:
            raise ValidationError({"value": f"{holder}: {error}"}) from None
        clash = (
            Identifier.objects.filter(scheme=self.scheme, value=self.value)
            .exclude(pk=self.pk)
            .select_related("organization", "person")
            .first()
        )
        if clash is not None:
            raise ValidationError(
                {
                    "value": ValidationError(
                        _(
                            "%(holder)s: %(scheme)s %(value)s is already the identifier of "
                            "%(other)s."
                        )
                        % {
                            "holder": holder,
                            "scheme": self.get_scheme_display(),
                            "value": self.value,
                            "other": clash.actor,
                        },
                        code="duplicate_identifier",  # a code set beside a dict is dropped
                    )
                }
            )

    def validate_constraints(self, exclude=None):
        # clean() already says, in the domain's words, which record holds the identifier.
        exclude = set(exclude or ()) | {"scheme", "value"}
        super().validate_constraints(exclude=exclude)
