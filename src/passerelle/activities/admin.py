"""Back office for activities, their participations, commitments and links."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin, TabularInline

from passerelle.core.admin import CitationInline, RecordAdmin, SpreadsheetMixin
from passerelle.core.backoffice import RestrictedAdmin, RestrictedHistory, RestrictedInline
from passerelle.core.widgets import ChoiceWidgetsMixin

from .admin_work import AgendaItemInline, FollowUpInline, WorkAdminMixin
from .agreement_admin import AgreementDoors
from .models import (
    KIND_FIELDS,
    Activity,
    ActivityLink,
    Commitment,
    Participation,
    check_parties,
    role_problem,
)
from .series import edition_problems
from .vocabulary import CATEGORIES_BY_KIND, Category, Kind, LinkRelation


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


class ParticipationInline(ChoiceWidgetsMixin, RestrictedInline, TabularInline):
    model = Participation
    formset = ParticipationFormSet
    extra = 0
    autocomplete_fields = ["organization", "person", "place"]
    fields = ["role", "organization", "person", "place", "start", "end"]

    def get_fields(self, request, obj=None):
        if obj is not None and obj.kind == Kind.AGREEMENT:  # a party's signature
            return [*self.fields, "signed_by", "signed_on"]
        return self.fields

    def get_autocomplete_fields(self, request):
        return [*self.autocomplete_fields, "signed_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization", "person", "place")


class CommitmentInline(ChoiceWidgetsMixin, RestrictedInline, TabularInline):
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
        "count",
        "period",
        "measure",
        "direction",
    ]


class ActivityLinkFormSet(BaseInlineFormSet):
    """Checks the series an activity joins with the edition number and places being saved
    (the links' own ``clean()`` sees the activity as it was, or not at all when new)."""

    def clean(self) -> None:
        super().clean()
        activity = self.instance
        places = getattr(activity, "places_being_saved", None)
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or data.get("relation") != LinkRelation.PART_OF:
                continue
            if not data.get("object"):
                continue
            problems = edition_problems(activity, data["object"], places=places)
            if activity.pk and form.instance.pk and not form.has_changed():
                problems.pop("edition", None)  # the activity's own clean() said it
            for problem in problems.values():
                if problem not in form.errors.get("object", []):  # the link's clean() said it
                    form.add_error("object", problem)


class ActivityLinkInline(ChoiceWidgetsMixin, RestrictedInline, TabularInline):
    model = ActivityLink
    formset = ActivityLinkFormSet
    fk_name = "subject"
    extra = 0

    def get_extra(self, request, obj=None, **kwargs):
        """One row ready when the add form comes prefilled with a link (the next edition of
        a series, an exchange under an agreement)."""
        wanted = obj is None and any(request.GET.get(r) for r in LinkRelation.values)
        return 1 if wanted and request.method == "GET" else self.extra

    autocomplete_fields = ["object"]
    fields = ["relation", "object", "commitment"]
    verbose_name = _("link to another activity")
    verbose_name_plural = _("links to other activities")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("object", "commitment")


#: The sections of an activity's form, each shown for the kinds whose fields it holds
#: (models.KIND_FIELDS): a delegation's form has no agreement status, no event edition.
KIND_SECTIONS = [
    (_("Objectives"), ["objectives_en", "objectives_fr"]),
    (_("Funding"), ["funding_amount", "funding_currency"]),
    (
        _("Agreement"),
        ["status", "signed_on", "open_ended", "notice_months", "renews_automatically"],
    ),
    (_("Event"), ["edition", "venue", "alternating", "cadence", "rotation_countries"]),
    (
        _("Delegation"),
        [
            "direction",
            "delegation_country",
            "purpose_en",
            "purpose_fr",
            "outcomes_en",
            "outcomes_fr",
        ],
    ),
    (
        _("Exchange"),
        ["exchange_status", "direction", "exchange_category", "headcount", "duration_months"],
    ),
]

#: What each kind of activity is, on the page that asks for it before the form.
KIND_HELP = {
    Kind.PROGRAM: _("A cooperation or flagship program, an international network, an observatory."),
    Kind.PROJECT: _("A collaborative or joint research project."),
    Kind.AGREEMENT: _("A partnership agreement or memorandum: its parties and its commitments."),
    Kind.EVENT: _(
        "A seminar, symposium, conference, scientific days; a series or one of its editions."
    ),
    Kind.DELEGATION: _("An incoming or outgoing visit: who, from or to where, why, what follows."),
    Kind.EXCHANGE: _("A mobility of researchers, physicians or students."),
    Kind.MEMBERSHIP: _("The cluster or one of its members in an international network."),
}


def activity_fieldsets(kind: str | None) -> list:
    """The form's sections for an activity of ``kind`` (every section when it is unknown)."""
    sections = [
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
    ]
    seen: set[str] = set()
    for title, fields in KIND_SECTIONS:
        shown = [f for f in fields if (kind is None or kind in KIND_FIELDS[f]) and f not in seen]
        seen.update(shown)
        if shown:
            sections.append((title, {"fields": shown}))
    sections.append(
        (_("Record"), {"fields": ["uid", "created", "updated"], "classes": ["collapse"]})
    )
    return sections


#: The inlines an activity's page adds for its kind, after its participations and before
#: its links and sources (every kind has those): a delegation's page has no commitments.
#: A table other parts of the back office append to, e.g.
#: ``KIND_INLINES[Kind.AGREEMENT].append(AgreementDocumentInline)``; a kind absent from it
#: adds nothing, and a page whose kind is not known yet shows every kind's.
KIND_INLINES: dict[str, list[type]] = {
    Kind.PROGRAM: [],
    Kind.PROJECT: [],
    Kind.AGREEMENT: [CommitmentInline],
    Kind.EVENT: [],
    Kind.DELEGATION: [AgendaItemInline, FollowUpInline],
    Kind.EXCHANGE: [],
    Kind.MEMBERSHIP: [],
}


def kind_inlines(kind: str | None) -> list[type]:
    """The inlines of ``kind`` (KIND_INLINES), or of every kind when it is unknown."""
    if kind is not None:
        return list(KIND_INLINES.get(kind, ()))
    every: list[type] = []
    for inlines in KIND_INLINES.values():
        every += [inline for inline in inlines if inline not in every]
    return every


#: Above this many participations an activity's page links to their list instead of
#: editing them inline: each inline row costs queries and page weight.
INLINE_PARTICIPATIONS_LIMIT = 50


@admin.register(Activity)
class ActivityAdmin(
    AgreementDoors, WorkAdminMixin, ChoiceWidgetsMixin, SpreadsheetMixin, RecordAdmin
):
    list_display = ["activity_title", "kind", "category", "interval", "status", "visibility"]
    list_filter = ["kind", "category", "status", "visibility", "topics", "places__country"]
    search_fields = ["title_en", "title_fr", "acronym", "summary_en", "summary_fr"]
    autocomplete_fields = ["places", "topics"]
    #: every kind's; KIND_INLINES adds each kind's own after the participations
    inlines = [ParticipationInline, ActivityLinkInline, CitationInline]
    readonly_fields = [
        *RecordAdmin.readonly_fields,
        "participation_list",
        *WorkAdminMixin.work_readonly,
    ]
    fieldsets = activity_fieldsets(None)
    choose_kind_template = "admin/activities/activity/choose_kind.html"
    change_form_template = "admin/activities/activity/change_form.html"

    def activity_kind(self, request, obj=None) -> str | None:
        """The kind of the activity on the page: its own, or, when adding, the one asked
        for (``?kind=`` in the address, or the form sent)."""
        if obj is not None and obj.pk:
            return obj.kind
        kind = request.POST.get("kind") or request.GET.get("kind")
        return kind if kind in Kind.values else None

    def get_fieldsets(self, request, obj=None):
        ours = {name for _title, options in self.fieldsets for name in options["fields"]}
        added = [  # what the base admin adds to ours (publication)
            fieldset
            for fieldset in super().get_fieldsets(request, obj)
            if not ours & set(fieldset[1]["fields"])
        ]
        kind = self.activity_kind(request, obj)
        fieldsets = [*activity_fieldsets(kind), *self.work_fieldsets(request, obj, kind), *added]
        return self.withhold(request, obj, fieldsets)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        # a kind decides the form: changing it would strand the fields of the old one
        return [*readonly, "kind"] if obj is not None and obj.pk else readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        kind = self.activity_kind(request, obj)
        if kind is None:
            return form
        if "kind" in form.base_fields:  # adding: the kind chosen first, and only it
            form.base_fields["kind"].choices = [(kind, Kind(kind).label)]
        if "category" in form.base_fields:
            form.base_fields["category"].choices = [
                ("", _("Choose…")),
                *((c, Category(c).label) for c in CATEGORIES_BY_KIND.get(kind, ())),
            ]
        return form

    def get_inlines(self, request, obj):
        inlines = list(super().get_inlines(request, obj))
        ours = [i for i in kind_inlines(self.activity_kind(request, obj)) if i not in inlines]
        at = inlines.index(ParticipationInline) + 1 if ParticipationInline in inlines else 0
        return [*inlines[:at], *ours, *inlines[at:]]

    def get_urls(self):
        return [*self.figures_urls(), *super().get_urls()]

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, ActivityLinkInline) and request.method == "GET" and not obj.pk:
            initial = self.link_initial(request)
            if initial:
                kwargs["initial"] = initial
        return kwargs

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.warn_series(request, form.instance)

    def save_form(self, request, form, change):
        activity = super().save_form(request, form, change)
        # the places chosen, for the link rows to check against a series' places
        activity.places_being_saved = list(form.cleaned_data.get("places") or [])
        return activity

    def add_view(self, request, form_url="", extra_context=None):
        if request.method == "GET" and self.activity_kind(request) is None:
            return self.choose_kind_view(request)
        return super().add_view(request, form_url, extra_context)

    def choose_kind_view(self, request):
        """The first step of adding an activity: its kind, which decides its form."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        query = request.GET.copy()
        kinds = []
        for kind in Kind:
            query["kind"] = kind.value
            kinds.append(
                {"label": kind.label, "help": KIND_HELP[kind], "url": f"?{query.urlencode()}"}
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Add an activity: which kind?"),
            "opts": self.model._meta,
            "kinds": kinds,
        }
        return TemplateResponse(request, self.choose_kind_template, context)

    @admin.display(description=_("title"), ordering="title_en")
    def activity_title(self, obj):
        """The title in the back office's language, the other one when it has none."""
        return obj.title

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
    ChoiceWidgetsMixin,
    RestrictedAdmin,
    SpreadsheetMixin,
    RestrictedHistory,
    SimpleHistoryAdmin,
    ModelAdmin,
):
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
class CommitmentAdmin(
    ChoiceWidgetsMixin, RestrictedAdmin, RestrictedHistory, SimpleHistoryAdmin, ModelAdmin
):
    list_display = ["text_en", "agreement", "area", "cadence"]
    list_select_related = ["agreement"]
    list_filter = ["area"]
    search_fields = ["text_en", "text_fr", "agreement__title_en"]
    autocomplete_fields = ["agreement"]
