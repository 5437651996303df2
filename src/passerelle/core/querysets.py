"""Who may read and change what, as queryset methods every model inherits.

After NetBox's ``RestrictedQuerySet.restrict(user, action)``: every model's manager
answers ``Model.objects.restrict(user, "view" | "add" | "change" | "delete")`` with
the rows that user may read, or change, as one SQL condition (a join or an
``EXISTS``, never a loop in Python). Each kind of model brings its own rule:

- a record (``RecordQuerySet``): public ones are read by everyone, internal ones by
  active staff, confidential ones by their owner, their named readers and whoever
  reads every record. An editor changes what it reads; a contributor only its own
  drafts; a viewer nothing; an administrator everything;
- what hangs off records (``DependentQuerySet``: identifiers, names, commitments,
  participations…): read when the records it hangs off (its *holders*) and the
  records it names (its *references*) are read, changed when its holders may be
  changed. So what hangs off a published record is changed by editors only;
- what composes the public site (``EditorialQuerySet``): read by staff, changed
  by editors only.

The rule of each app's models lives in that app (the participation rule in
``activities``); this module knows no app above ``core``. ``may_change`` (in
``core.authoring``) answers the same question for one row already in hand.

A user who is not active staff reads what is public and changes nothing, on
every door: the back office, the API, imports and merges.
"""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.contrib.auth import get_permission_codename
from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from .users import AnyUser

#: The permission that lifts the reader lists (the administrator role holds it).
READ_EVERY_RECORD = "core.read_every_record"
#: The permission to publish drafts and to change published records' surroundings.
PUBLISH = "core.publish_record"
ACTIONS = ("view", "add", "change", "delete")
#: A condition no row meets (Django answers it without asking the database).
NOTHING = Q(pk__in=[])


def is_staff(user: AnyUser) -> bool:
    """The one rule for who is staff, for reads and writes alike."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def reads_every_record(user: AnyUser) -> bool:
    return is_staff(user) and user.has_perm(READ_EVERY_RECORD)


def publishes(user: AnyUser) -> bool:
    return is_staff(user) and user.has_perm(PUBLISH)


def holds(user: AnyUser, model: type[Model], action: str) -> bool:
    """Whether an active staff user holds the model permission for ``action``."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}: use one of {', '.join(ACTIONS)}")
    if not is_staff(user):
        return False
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")


def rule_of(model: type[Model]):
    """The queryset class that holds a model's rule, or None for an unrestricted model."""
    queryset_class = getattr(model._default_manager, "_queryset_class", None)
    return queryset_class if issubclass(queryset_class, RestrictedQuerySet) else None


def named_reader(user: AnyUser, model: type[Model], pk_path: str) -> Exists:
    """EXISTS: the user, or one of their groups, is a reader of the record at ``pk_path``."""
    from django.contrib.contenttypes.models import ContentType

    reader = apps.get_model("core", "Reader")
    return Exists(
        reader.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=OuterRef(pk_path),
        ).filter(Q(user=user) | Q(group__in=user.groups.all()))
    )


class RestrictedQuerySet(QuerySet):
    """A queryset that knows who may read and change its rows (see the module docstring)."""

    def restrict(self, user: AnyUser, action: str = "view") -> QuerySet:
        """The rows ``user`` may read (``view``) or change, or delete (with the model
        permission, which only active staff hold)."""
        if action != "view" and not holds(user, self.model, action):
            return self.none()
        return self.filter(self.rule(user, self.model, "view" if action == "view" else "change"))

    def readable_by(self, user: AnyUser) -> QuerySet:
        return self.restrict(user, "view")

    @classmethod
    def rule(cls, user: AnyUser, model: type[Model], action: str, prefix: str = "") -> Q:
        """The condition on the rows at ``prefix`` that ``user`` may read or change
        (``action`` is ``view`` or ``change``; model permissions are checked apart)."""
        raise NotImplementedError

    @classmethod
    def allows(cls, user: AnyUser, obj: Model, action: str) -> bool:
        """The rule for one row already in hand (saved or not). The default asks the
        database; rules that can answer from the row itself do."""
        if obj.pk is None:
            return False
        model = type(obj)
        return (
            model._default_manager.filter(pk=obj.pk).filter(cls.rule(user, model, action)).exists()
        )


class RecordQuerySet(RestrictedQuerySet):
    """Records: visibility, owners, readers and drafts."""

    @classmethod
    def rule(cls, user: AnyUser, model, action, prefix=""):
        if action == "view":
            if not is_staff(user):
                return Q(**{f"{prefix}visibility": "public"})
            if reads_every_record(user):
                return Q()
            return (
                Q(**{f"{prefix}visibility__in": ("public", "internal")})
                | Q(**{f"{prefix}owner": user})
                | Q(named_reader(user, model, f"{prefix}pk"))
            )
        if not is_staff(user):
            return NOTHING
        if publishes(user):
            return cls.rule(user, model, "view", prefix)
        return Q(**{f"{prefix}draft": True, f"{prefix}owner": user})

    @classmethod
    def allows(cls, user: AnyUser, obj, action):
        if action == "view" or publishes(user):
            return cls.readable(user, obj)
        return is_staff(user) and bool(
            obj.draft and obj.owner_id is not None and obj.owner_id == user.pk
        )

    @classmethod
    def readable(cls, user: AnyUser, obj) -> bool:
        """Whether one record in hand may be read (asks the database once at most)."""
        if obj is None:
            return False
        if obj.visibility == "public":
            return True
        if not is_staff(user):
            return False
        if obj.visibility == "internal" or reads_every_record(user):
            return True
        if obj.owner_id is not None and obj.owner_id == user.pk:
            return True
        if obj.pk is None:
            return False
        return super().allows(user, obj, "view")


class DependentQuerySet(RestrictedQuerySet):
    """Rows that hang off records (``holders``) and name others (``references``): read when
    all of them are read, changed when their holders may be changed."""

    #: Foreign keys to the records the row hangs off (a null one is skipped).
    holders: tuple[str, ...] = ()
    #: Foreign keys to the records the row names, which must be readable (null skipped).
    references: tuple[str, ...] = ()

    @classmethod
    def _related(cls, user: AnyUser, model, name, action, prefix) -> Q:
        field = model._meta.get_field(name)
        related = field.related_model
        rule = rule_of(related)
        if rule is None:
            return Q()
        condition = rule.rule(user, related, action, f"{prefix}{name}__")
        if field.null:
            condition = Q(**{f"{prefix}{name}__isnull": True}) | condition
        return condition

    @classmethod
    def rule(cls, user: AnyUser, model, action, prefix=""):
        if reads_every_record(user) and (action == "view" or publishes(user)):
            return Q()
        condition = Q()
        for name in cls.holders:
            condition &= cls._related(user, model, name, action, prefix)
        for name in cls.references:
            condition &= cls._related(user, model, name, "view", prefix)
        return condition

    @classmethod
    def allows(cls, user: AnyUser, obj, action):
        for names, wanted in ((cls.holders, action), (cls.references, "view")):
            for name in names:
                related = getattr(obj, name)
                if related is None:
                    continue
                rule = rule_of(type(related))
                if rule is not None and not rule.allows(user, related, wanted):
                    return False
        return action == "view" or is_staff(user)


class EditorialQuerySet(DependentQuerySet):
    """What composes the public site: read by everyone it is shown to, changed by editors
    only (a contributor's change would show publicly at once, with no editor between)."""

    @classmethod
    def rule(cls, user: AnyUser, model, action, prefix=""):
        if action != "view" and not publishes(user):
            return NOTHING
        return super().rule(user, model, "view", prefix)

    @classmethod
    def allows(cls, user: AnyUser, obj, action):
        if action != "view" and not publishes(user):
            return False
        return super().allows(user, obj, "view")


@cache
def citable_models() -> tuple[type[Model], ...]:
    """The models whose rows cite sources (a generic relation to citations)."""
    from django.contrib.contenttypes.fields import GenericRelation

    citation = apps.get_model("core", "Citation")
    return tuple(
        model
        for model in apps.get_models()
        if any(
            isinstance(f, GenericRelation) and f.related_model is citation
            for f in model._meta.private_fields
        )
    )


class CitationQuerySet(RestrictedQuerySet):
    """A citation is read when its source and the row it is cited by are read, and changed
    when the citing row may be changed (its source still readable)."""

    @classmethod
    def rule(cls, user: AnyUser, model, action, prefix=""):
        from django.contrib.contenttypes.models import ContentType

        if reads_every_record(user) and (action == "view" or publishes(user)):
            return Q()
        source = model._meta.get_field("source").related_model
        condition = rule_of(source).rule(user, source, "view", f"{prefix}source__")
        cited = NOTHING
        for citing in citable_models():
            rule = rule_of(citing)
            if rule is None:
                continue
            rows = citing._default_manager.filter(pk=OuterRef(f"{prefix}object_id")).filter(
                rule.rule(user, citing, action)
            )
            content_type = ContentType.objects.get_for_model(citing)
            cited |= Q(**{f"{prefix}content_type": content_type}) & Q(Exists(rows))
        return condition & cited

    @classmethod
    def allows(cls, user: AnyUser, obj, action):
        cited = obj.cited
        source_rule = rule_of(type(obj.source))
        if cited is None or not source_rule.allows(user, obj.source, "view"):
            return False
        rule = rule_of(type(cited))
        return rule is not None and rule.allows(user, cited, action)
