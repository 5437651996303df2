"""Back office for activities, their participations, commitments and links."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin, TabularInline

from passerelle.core.admin import CitationInline, RecordAdmin, SpreadsheetMixin
from passerelle.core.backoffice import RestrictedAdmin, RestrictedHistory, RestrictedInline
from passerelle.ingest.sheets import ActivityResource, ParticipationResource

from .models import Activity, ActivityLink, Commitment, Participation, check_parties, role_problem


class ParticipationFormSet(BaseInlineFormSet):
    """Checks the participations of an activity as a whole: roles fit, agreements have parties."""

    def clean(self) -> None:
        super().clean()
        activity, roles = self.instance, []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("role"):
                continue
            roles.append(data["role"])
            problem = role_problem(
                activity,
                data["role"],
                person=data.get("person"),
                organization=data.get("organization"),
            )
            if problem:
                form.add_error("role", problem)
        problem = check_parties(activity, roles)
        if problem:
            raise ValidationError(problem)


class ParticipationInline(RestrictedInline, TabularInline):
    model = Participation
    formset = ParticipationFormSet
    extra = 0
    autocomplete_fields = ["organization", "person", "place"]
    fields = ["role", "organization", "person", "place", "start", "end"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization", "person", "place")


class CommitmentInline(RestrictedInline, TabularInline):
    model = Commitment
    extra = 0
    fields = [
        "position",
        "area",
        "text_en",
        "text_fr",
        "cadence",
        "alternate_countries",
        "exchange_categories",
    ]


class ActivityLinkInline(RestrictedInline, TabularInline):
    model = ActivityLink
    fk_name = "subject"
    extra = 0
    autocomplete_fields = ["object"]
    fields = ["relation", "object", "commitment"]
    verbose_name = _("link to another activity")
    verbose_name_plural = _("links to other activities")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("object", "commitment")


#: Above this many participations an activity's page links to their list instead of
#: editing them inline: each inline row costs queries and page weight.
INLINE_PARTICIPATIONS_LIMIT = 50


@admin.register(Activity)
class ActivityAdmin(SpreadsheetMixin, RecordAdmin):
    resource_classes = [ActivityResource]
    list_display = ["title_en", "kind", "category", "interval", "status", "visibility"]
    list_filter = ["kind", "category", "status", "visibility", "topics", "places__country"]
    search_fields = ["title_en", "title_fr", "acronym", "summary_en", "summary_fr"]
    autocomplete_fields = ["places", "topics"]
    inlines = [ParticipationInline, CommitmentInline, ActivityLinkInline, CitationInline]
    readonly_fields = [*RecordAdmin.readonly_fields, "participation_list"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "kind",
                    "category",
                    "title_en",
                    "title_fr",
                    "acronym",
                    "start",
                    "end",
                    "places",
                    "topics",
                    "visibility",
                ]
            },
        ),
        (_("Summary"), {"fields": ["summary_en", "summary_fr"]}),
        (_("Participations"), {"fields": ["participation_list"]}),
        (
            _("Program or project"),
            {
                "fields": ["objectives_en", "objectives_fr", "funding_amount", "funding_currency"],
                "classes": ["collapse"],
            },
        ),
        (_("Agreement"), {"fields": ["status", "signed_on"], "classes": ["collapse"]}),
        (_("Event"), {"fields": ["edition", "venue", "alternating"], "classes": ["collapse"]}),
        (
            _("Delegation"),
            {
                "fields": [
                    "direction",
                    "delegation_country",
                    "purpose_en",
                    "purpose_fr",
                    "follow_up",
                ],
                "classes": ["collapse"],
            },
        ),
        (_("Exchange"), {"fields": ["exchange_category", "headcount"], "classes": ["collapse"]}),
        (_("Record"), {"fields": ["uid", "created", "updated"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("dates"), ordering="start")
    def interval(self, obj):
        return obj.interval_display or "—"

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if obj is not None and self._many_participations(obj):
            inlines = [i for i in inlines if not isinstance(i, ParticipationInline)]
        return inlines

    def _many_participations(self, obj) -> bool:
        if not hasattr(obj, "_participation_count"):
            obj._participation_count = obj.participations.count()
        return obj._participation_count > INLINE_PARTICIPATIONS_LIMIT

    @admin.display(description=_("all participations"))
    def participation_list(self, obj):
        if obj.pk is None:
            return "—"
        url = (
            reverse("admin:activities_participation_changelist") + f"?activity__id__exact={obj.pk}"
        )
        count = getattr(obj, "_participation_count", None) or obj.participations.count()
        return format_html(
            '<a href="{}">{}</a>',
            url,
            ngettext("%(count)d participation", "%(count)d participations", count)
            % {"count": count},
        )


@admin.register(Participation)
class ParticipationAdmin(
    RestrictedAdmin, SpreadsheetMixin, RestrictedHistory, SimpleHistoryAdmin, ModelAdmin
):
    resource_classes = [ParticipationResource]
    list_display = ["activity", "actor_name", "role", "interval", "visibility"]
    list_select_related = ["activity", "organization", "person"]
    ordering = ["-pk"]  # latest first: the primary key serves a page of a million rows
    list_filter = ["role", "activity__kind", "visibility"]
    search_fields = [
        "activity__title_en",
        "organization__name",
        "organization__acronym",
        "person__family_name",
    ]
    autocomplete_fields = ["activity", "organization", "person", "place"]
    inlines = [CitationInline]
    list_per_page = 50
    show_full_result_count = False

    @admin.display(description=_("participant"))
    def actor_name(self, obj):
        return obj.actor

    @admin.display(description=_("dates"), ordering="start")
    def interval(self, obj):
        return obj.interval_display or "—"


@admin.register(Commitment)
class CommitmentAdmin(RestrictedAdmin, RestrictedHistory, SimpleHistoryAdmin, ModelAdmin):
    list_display = ["text_en", "agreement", "area", "cadence"]
    list_select_related = ["agreement"]
    list_filter = ["area"]
    search_fields = ["text_en", "text_fr", "agreement__title_en"]
    autocomplete_fields = ["agreement"]
