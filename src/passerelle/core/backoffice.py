"""Every door of the back office goes through the rule of core.querysets.

``RestrictedAdmin`` is mixed into every ModelAdmin over records and what hangs off
them, ``RestrictedInline`` into every inline. Between them:

- lists, change pages, exports and autocompletes read ``get_queryset``, which is
  ``restrict(user, "view")``;
- the choices of every related field (selects, autocompletes' validation) are the
  records the user reads, and those it may change for the record a row hangs off
  (an identifier's organization, a participation's activity);
- every list filter over a relation lists only what the user reads;
- add, change and delete ask ``may_change`` for the row; inlines ask it for their
  parent; every admin action gets only the selected rows the user may change (or
  delete), and refuses the whole selection otherwise;
- the history list and a history version load the record through ``get_queryset``
  (simple-history loads it without), and the Revert POST needs ``may_change``;
- a page shows no name of a related record the user may not read: such a field is
  shown as withheld, and kept as it is when the form is saved.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.admin import RelatedFieldListFilter
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from . import authoring
from .querysets import is_staff, publishes, reads_every_record, rule_of
from .users import AnyUser

WITHHELD = _("— a record you may not read")


def _restricted(model: type[Model]) -> bool:
    return rule_of(model) is not None


class ReadableRelatedFilter(RelatedFieldListFilter):
    """A list filter over a relation that lists only the records the user reads."""

    def field_choices(self, field, request, model_admin):
        related = field.related_model
        ordering = self.field_admin_ordering(field, request, model_admin)
        rows = related._default_manager.restrict(request.user, "view")
        if ordering:
            rows = rows.order_by(*ordering)
        return [(row.pk, str(row)) for row in rows]


def _related_choices(user: AnyUser, model, db_field, queryset):
    """The rows a related field may point at: readable, or changeable for a holder."""
    related = db_field.related_model
    if not _restricted(related):
        return queryset
    rule = rule_of(model)
    action = "change" if db_field.name in getattr(rule, "holders", ()) else "view"
    base = queryset if queryset is not None else related._default_manager.all()
    if action == "change":
        # the record a row hangs off: one the user may change (no model permission asked
        # of the holder here: the row's own permission is asked by the admin)
        return base.filter(rule_of(related).rule(user, related, "change"))
    return base.restrict(user, "view")


#: The change reasons history keeps for the back office's edits and reverts, beside the
#: imports' ("import", "ROR import") and the merges'. Stored, so not translated.
BACK_OFFICE_REASON = "back office"
REVERT_REASON = "reverted in the back office"


class RestrictedFormfields:
    """A form's choices of related records: those the user reads."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return self._readable_choices(field, db_field, request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return self._readable_choices(field, db_field, request)

    def _readable_choices(self, field, db_field, request):
        if (
            field is not None
            and hasattr(field, "queryset")
            and not reads_every_record(request.user)
        ):
            field.queryset = _related_choices(request.user, self.model, db_field, field.queryset)
        return field


class RestrictedAdmin(RestrictedFormfields):
    """Mixed in before ModelAdmin (see the module docstring)."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.restrict(request.user, "view") if _restricted(self.model) else queryset

    # -- the right to add, change and delete

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request, *args) and authoring.may_add(
            request.user, self.model
        )

    def has_change_permission(self, request, obj=None):
        if not (is_staff(request.user) and super().has_change_permission(request, obj)):
            return False
        if obj is None:
            return publishes(request.user) or not self._editorial()
        current = getattr(request, "_history_current", None)
        if current is not None and current.pk == obj.pk:
            obj = current  # a version of the record: the right is the record's as it is now
        return authoring.may_change(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if not (is_staff(request.user) and super().has_delete_permission(request, obj)):
            return False
        if obj is None:
            return publishes(request.user) or not self._editorial()
        return authoring.may_change(request.user, obj, "delete")

    def _editorial(self) -> bool:
        from .querysets import EditorialQuerySet

        rule = rule_of(self.model)
        return rule is not None and issubclass(rule, EditorialQuerySet)

    def save_model(self, request, obj, form, change):
        current = getattr(request, "_history_current", None)
        if current is not None and hasattr(current, "owner_id"):
            obj.owner_id = current.owner_id  # a revert keeps the owner, and the draft state
            if not publishes(request.user):  # for those who do not publish
                obj.draft = current.draft
        if _restricted(self.model) and not authoring.may_change(request.user, obj):
            raise PermissionDenied
        if not getattr(obj, "_change_reason", None):  # the history says where a change came from
            obj._change_reason = REVERT_REASON if current is not None else BACK_OFFICE_REASON
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for row in formset.forms:
            if not getattr(row.instance, "_change_reason", None):
                row.instance._change_reason = BACK_OFFICE_REASON
        super().save_formset(request, form, formset, change)

    def delete_queryset(self, request, queryset):
        if _restricted(self.model):
            allowed = queryset.restrict(request.user, "delete")
            if allowed.count() != queryset.count():
                raise PermissionDenied
        super().delete_queryset(request, queryset)

    def delete_model(self, request, obj):
        if _restricted(self.model) and not authoring.may_change(request.user, obj, "delete"):
            raise PermissionDenied
        super().delete_model(request, obj)

    def get_deleted_objects(self, objs, request):
        """The confirmation names the records deleted, not what cascades with them: that
        may hang off records the user does not read. The counts stay."""
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if not reads_every_record(request.user):
            to_delete = [item for item in to_delete if not isinstance(item, list)]
            protected = [_("%(count)d records") % {"count": len(protected)}] if protected else []
        return to_delete, model_count, perms_needed, protected

    # -- actions: the selected rows the user may change, or nothing

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not _restricted(self.model):
            return actions
        return {
            name: (_guarded(func, name), name, description)
            for name, (func, name, description) in actions.items()
        }

    # -- list columns and filters over relations show what the user reads

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        if reads_every_record(request.user):
            return columns
        return [_readable_column(self.model, c, request.user) for c in columns]

    def get_list_filter(self, request):
        filters = []
        for entry in super().get_list_filter(request):
            if isinstance(entry, str) and "__" not in entry:
                field = self.model._meta.get_field(entry)
                if field.is_relation and _restricted(field.related_model):
                    entry = (entry, ReadableRelatedFilter)
            filters.append(entry)
        return filters

    # -- related records the user may not read are withheld from the page

    def get_fieldsets(self, request, obj=None):
        return self.withhold(request, obj, super().get_fieldsets(request, obj))

    def withhold(self, request, obj, fieldsets: list) -> list:
        """``fieldsets`` with the related records the user may not read swapped for their
        withheld label (an admin that composes its own fieldsets passes them through)."""
        withheld = self._withheld(request, obj)
        if not withheld:
            return fieldsets
        return [
            (name, {**options, "fields": [_swap(f, withheld) for f in options["fields"]]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, *(f"{name}_withheld" for name in self._withheld(request, obj))]

    def _withheld(self, request, obj) -> dict[str, str]:
        """Relation fields of ``obj`` that point at records the user may not read."""
        user = request.user
        if obj is None or reads_every_record(user):
            return {}
        cache = request.__dict__.setdefault("_withheld", {})
        key = (self.model, obj.pk, id(obj))
        if key in cache:
            return cache[key]
        cache[key] = found = {}
        labels = obj.__dict__.setdefault("_withheld_labels", {})
        for field in self.model._meta.get_fields():
            if not field.concrete or not field.is_relation or field.name == "owner":
                continue
            related = field.related_model
            if not _restricted(related):
                continue
            readable = related._default_manager.restrict(user, "view")
            if field.many_to_many:
                if obj.pk is None:
                    continue
                current = getattr(obj, field.name).all()
                if current.exclude(pk__in=readable.values("pk")).exists():
                    shown = [str(r) for r in current.filter(pk__in=readable.values("pk"))]
                    labels[field.name] = ", ".join([*shown, str(WITHHELD)])
                    found[field.name] = "m2m"
            else:
                pk = getattr(obj, field.attname)
                if pk is not None and not readable.filter(pk=pk).exists():
                    labels[field.name] = str(WITHHELD)
                    found[field.name] = "fk"
        for name in found:
            self._withheld_display(name)
        return found

    def _withheld_display(self, name: str) -> None:
        attribute = f"{name}_withheld"
        if attribute in type(self).__dict__ or attribute in self.__dict__:
            return

        def display(obj, name=name):
            return obj.__dict__.get("_withheld_labels", {}).get(name, "—")

        display.short_description = self.model._meta.get_field(name).verbose_name
        setattr(self, attribute, display)


def _readable_column(model, column, user: AnyUser):
    """A list column over a foreign key to records: the related record's name when the user
    reads it (decided from the row in hand for public and internal ones), else withheld."""
    if not isinstance(column, str):
        return column
    try:
        field = model._meta.get_field(column)
    except Exception:  # a method or an attribute of the admin: it decides itself
        return column
    rule = rule_of(field.related_model) if field.is_relation and field.many_to_one else None
    if rule is None:
        return column

    def shown(obj):
        related = getattr(obj, column)
        if related is None:
            return "—"
        return str(related) if rule.allows(user, related, "view") else WITHHELD

    shown.short_description = field.verbose_name
    shown.admin_order_field = column
    shown.__name__ = column
    return shown


def _swap(field, withheld: dict) -> object:
    if isinstance(field, list | tuple):
        return type(field)(_swap(f, withheld) for f in field)
    return f"{field}_withheld" if field in withheld else field


def _guarded(func, name: str):
    def guarded(modeladmin, request, queryset):
        action = "delete" if name == "delete_selected" else "change"
        allowed = queryset.restrict(request.user, action)
        if allowed.count() != queryset.count():
            modeladmin.message_user(
                request,
                _("You may not change some of the selected rows: nothing was done."),
                messages.ERROR,
            )
            return None
        return func(modeladmin, request, allowed)

    guarded.__name__ = getattr(func, "__name__", name)
    for attribute in ("allowed_permissions", "short_description"):
        if hasattr(func, attribute):
            setattr(guarded, attribute, getattr(func, attribute))
    return guarded


class RestrictedHistory:
    """simple-history's pages, through the restricted queryset (mixed in before
    SimpleHistoryAdmin)."""

    def history_view(self, request, object_id, extra_context=None):
        if self.get_object(request, unquote(object_id)) is None and not reads_every_record(
            request.user
        ):
            raise Http404  # unreadable, or deleted: a deleted record's history is for admins
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        current = self.get_object(request, unquote(object_id))
        if current is None:
            raise Http404
        request._history_current = current
        if request.method == "POST" and not self.has_change_permission(request, current):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        # a related record's name, in a change long past, may be one the user may not read
        return super().set_history_delta_changes(
            request, historical_records, foreign_keys_are_objs=reads_every_record(request.user)
        )


class RestrictedInline(RestrictedFormfields):
    """Inline rows: those the user reads; editable when the user may change the parent."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.restrict(request.user, "view") if _restricted(self.model) else queryset

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and _parent_allows(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _parent_allows(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and _parent_allows(request, obj)


def _parent_allows(request, parent) -> bool:
    if not is_staff(request.user):
        return False
    if parent is None or parent.pk is None:
        return True
    current = getattr(request, "_history_current", None)
    if current is not None and current.pk == parent.pk and type(current) is type(parent):
        parent = current
    return authoring.may_change(request.user, parent)


_site_urls: dict[str, Callable[[], list]] = {}


def add_site_urls(name: str, urls: Callable[[], list]) -> None:
    """Give the back office an app's own pages (the desk, figures, insights, the annual
    report). Unfold's hook for a site's own addresses (``admin.site.extra_urls``) takes one
    function; core sets it to :func:`site_urls` and each app registers its pages here, under
    a name (an app's ``ready()`` may run twice in tests)."""
    _site_urls[name] = urls


def site_urls() -> list:
    """Every registered app's back-office pages (``admin.site.extra_urls``)."""
    return [pattern for urls in _site_urls.values() for pattern in urls()]
