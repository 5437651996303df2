"""Back office for places, organizations, people and topics."""

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin, TabularInline
from unfold.views import ChangeList

from passerelle.core.admin import CitationInline, RecordAdmin, SpreadsheetMixin
from passerelle.core.backoffice import RestrictedAdmin, RestrictedHistory, RestrictedInline
from passerelle.core.users import AnyUser
from passerelle.core.widgets import ChoiceWidgetsMixin

from .models import (
    Affiliation,
    Identifier,
    Organization,
    OrganizationName,
    OrganizationRelationship,
    Person,
    Place,
    Topic,
)
from .wording import GRAMMAR_FIELDS


def _grammar_fieldset():
    """How composed French sentences use the name; blank fields follow the name itself."""
    return (
        _("Grammar of the name in French"),
        {
            "fields": [*GRAMMAR_FIELDS, "inferred_grammar"],
            "classes": ["collapse"],
            "description": _(
                "Left blank, each follows what the French name suggests, shown below."
            ),
        },
    )


def _record_fieldset():
    return (_("Record"), {"fields": ["uid", "created", "updated"], "classes": ["collapse"]})


@admin.register(Place)
class PlaceAdmin(ChoiceWidgetsMixin, RecordAdmin):
    list_display = ["place_name", "region", "country", "geonames_id", "visibility"]
    list_filter = ["country", "visibility"]
    search_fields = ["name_en", "name_fr", "region", "region_fr", "country"]
    readonly_fields = [*RecordAdmin.readonly_fields, "inferred_grammar"]
    fieldsets = [
        (None, {"fields": ["name_en", "name_fr", "region", "region_fr", "country", "visibility"]}),
        (_("Location"), {"fields": ["latitude", "longitude", "geonames_id"]}),
        _grammar_fieldset(),
        _record_fieldset(),
    ]

    @admin.display(description=_("place"), ordering="name_en")
    def place_name(self, obj):
        return str(obj)


@admin.register(Topic)
class TopicAdmin(ChoiceWidgetsMixin, RecordAdmin):
    list_display = ["name_en", "name_fr", "kind", "parent", "mesh_id", "visibility"]
    list_select_related = ["parent"]
    list_filter = ["kind", "visibility"]
    search_fields = ["name_en", "name_fr", "slug", "mesh_id", "ncit_id"]
    prepopulated_fields = {"slug": ["name_en"]}
    autocomplete_fields = ["parent"]
    fieldsets = [
        (None, {"fields": ["name_en", "name_fr", "slug", "kind", "parent", "visibility"]}),
        (_("Vocabularies"), {"fields": ["mesh_id", "ncit_id"]}),
        _record_fieldset(),
    ]


class OrganizationNameInline(ChoiceWidgetsMixin, RestrictedInline, TabularInline):
    model = OrganizationName
    extra = 0
    fields = ["value", "kind", "language"]


class IdentifierInline(ChoiceWidgetsMixin, RestrictedInline, TabularInline):
    model = Identifier
    extra = 0
    fields = ["scheme", "value"]


class RelationshipInline(ChoiceWidgetsMixin, RestrictedInline, TabularInline):
    """Relationships the registry states; the ROR id stays when the target is not loaded."""

    model = OrganizationRelationship
    fk_name = "organization"
    extra = 0
    fields = ["kind", "target", "target_ror"]
    autocomplete_fields = ["target"]
    verbose_name_plural = _("relationships in the registry")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("target")


class AffiliationInline(ChoiceWidgetsMixin, RestrictedInline, TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["organization", "person"]
    fields = ["person", "organization", "position", "start", "end"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "organization")


class PageColumnsChangeList(ChangeList):
    """A changelist that computes costly columns for the rows of the page only.

    As annotations (correlated subqueries) they would be computed for every
    record the database sorts before it keeps a page: 51k counts for 50 rows.
    """

    def get_results(self, request):
        super().get_results(request)
        self.model_admin.add_page_columns(self.result_list, request.user)


def _identifiers_of(holder: str, scheme: str, pks: list[int]) -> dict[int, str]:
    return dict(
        Identifier.objects.filter(**{f"{holder}_id__in": pks, "scheme": scheme}).values_list(
            f"{holder}_id", "value"
        )
    )


def _participation_counts(model, pks: list[int], user: AnyUser) -> dict[int, int]:
    """The participations of these actors that ``user`` reads (a count of those it may not
    read would tell of confidential work). Asked through the ``participations`` relation
    that activities, the layer above, declares on the actors, and that layer's own rule:
    registry names none of its models."""
    relation = model._meta.get_field("participations")
    actor = relation.field.name
    readable = relation.related_model.objects.restrict(user, "view")
    return dict(
        readable.filter(**{f"{actor}__in": pks})
        .order_by()
        .values_list(actor)
        .annotate(total=Count("pk"))
    )


class ParticipationCounts:
    """An actor's change page counts the participations its user reads."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            counts = _participation_counts(type(obj), [obj.pk], request.user)
            obj.participation_count = counts.get(obj.pk, 0)
        return obj

    @admin.display(description=_("participations"))
    def participations(self, obj):
        if not obj.pk or not hasattr(obj, "participation_count"):
            return "—"
        return _participations_link(obj, obj.participation_count)


def _participations_link(obj, count: int):
    field = obj._meta.model_name
    url = reverse("admin:activities_participation_changelist") + f"?{field}__id__exact={obj.pk}"
    return format_html('<a href="{}">{}</a>', url, count)


@admin.register(Organization)
class OrganizationAdmin(ParticipationCounts, ChoiceWidgetsMixin, SpreadsheetMixin, RecordAdmin):
    list_display = [
        "organization_name",
        "acronym",
        "kind",
        "place",
        "in_region",
        "ror",
        "activity_count",
        "visibility",
    ]
    list_filter = ["kind", "status", "in_region", "visibility", "place__country"]
    search_fields = ["name", "name_en", "name_fr", "acronym", "names__value", "identifiers__value"]
    autocomplete_fields = ["place", "parent", "topics"]
    inlines = [OrganizationNameInline, IdentifierInline, RelationshipInline, CitationInline]
    readonly_fields = [*RecordAdmin.readonly_fields, "participations", "inferred_grammar"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "name_en",
                    "name_fr",
                    "acronym",
                    "acronym_fr",
                    "description_en",
                    "description_fr",
                    "kind",
                    "status",
                    "visibility",
                ]
            },
        ),
        (_("Place and relations"), {"fields": ["place", "in_region", "parent", "topics"]}),
        (_("Activities"), {"fields": ["participations"]}),
        _grammar_fieldset(),
        _record_fieldset(),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("place")

    def get_changelist(self, request, **kwargs):
        return PageColumnsChangeList

    @admin.display(description=_("name"), ordering="name")
    def organization_name(self, obj):
        """The name in the back office's language (IARC reads "CIRC" in French)."""
        return obj.display_name

    def add_page_columns(self, organizations, user: AnyUser) -> None:
        pks = [o.pk for o in organizations]
        rors = _identifiers_of("organization", "ror", pks)
        counts = _participation_counts(Organization, pks, user)
        for org in organizations:
            org.ror_value, org.participation_count = rors.get(org.pk), counts.get(org.pk, 0)

    @admin.display(description="ROR")
    def ror(self, obj):
        value = getattr(obj, "ror_value", None)
        return format_html('<a href="https://ror.org/{0}">{0}</a>', value) if value else "—"

    @admin.display(description=_("participations"))
    def activity_count(self, obj):
        return _participations_link(obj, getattr(obj, "participation_count", 0))


@admin.register(Person)
class PersonAdmin(ParticipationCounts, ChoiceWidgetsMixin, SpreadsheetMixin, RecordAdmin):
    list_display = ["family_name", "given_name", "title", "place", "orcid", "visibility"]
    list_filter = ["title", "visibility", "place__country"]
    search_fields = ["family_name", "given_name", "identifiers__value"]
    autocomplete_fields = ["place", "topics"]
    inlines = [AffiliationInline, IdentifierInline, CitationInline]
    readonly_fields = [*RecordAdmin.readonly_fields, "participations"]
    fieldsets = [
        (None, {"fields": ["title", "given_name", "family_name", "place", "topics", "visibility"]}),
        (_("Activities"), {"fields": ["participations"]}),
        _record_fieldset(),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("place")

    def get_changelist(self, request, **kwargs):
        return PageColumnsChangeList

    def add_page_columns(self, people, user: AnyUser) -> None:
        orcids = _identifiers_of("person", "orcid", [p.pk for p in people])
        for person in people:
            person.orcid_value = orcids.get(person.pk)

    @admin.display(description="ORCID")
    def orcid(self, obj):
        return getattr(obj, "orcid_value", None) or "—"


@admin.register(Identifier)
class IdentifierAdmin(
    ChoiceWidgetsMixin, RestrictedAdmin, RestrictedHistory, SimpleHistoryAdmin, ModelAdmin
):
    list_display = ["scheme", "value", "organization", "person"]
    list_select_related = ["organization", "person"]
    list_filter = ["scheme"]
    search_fields = ["value", "organization__name", "person__family_name"]
    autocomplete_fields = ["organization", "person"]
