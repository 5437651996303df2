"""The back office's menu: the officer's work first, the machinery under Administration.

Unfold's default menu lists every installed app, so an officer met Axes' login
records, the task queue's results and the search index beside organizations and
agreements. This menu names the officer's jobs in the cluster's words, and puts
accounts, login protection, tasks and the audit log in one administrators' section,
folded, shown to those who hold the permissions (``settings.UNFOLD["SIDEBAR"]``).
"""

from __future__ import annotations

from django.apps import apps
from django.http import HttpRequest
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _


def _item(title: str, icon: str, url_name: str, permission: str) -> dict:
    return {
        "title": title,
        "icon": icon,
        "link": reverse(url_name),
        "permission": lambda request: request.user.has_perm(permission),
    }


def _model(icon: str, app: str, model: str) -> dict:
    """A model's list, named as its pages name it."""
    title = capfirst(apps.get_model(app, model)._meta.verbose_name_plural)
    return _item(title, icon, f"admin:{app}_{model}_changelist", f"{app}.view_{model}")


def sidebar(request: HttpRequest) -> list[dict]:
    """The menu's groups, in the active language; an item shows to those who may view it."""
    return [
        {
            "title": _("Desk"),
            "desk": True,  # the index shows the desk itself, not this group
            "items": [
                {
                    "title": _("The desk"),
                    "icon": "inbox",
                    "link": reverse("admin:desk"),
                    "permission": lambda request: request.user.is_staff,
                },
            ],
        },
        {
            "title": _("Network"),
            "items": [
                _model("apartment", "registry", "organization"),
                _model("person", "registry", "person"),
                _model("location_on", "registry", "place"),
                _model("sell", "registry", "topic"),
                _model("fingerprint", "registry", "identifier"),
                {
                    "title": _("Insights"),
                    "icon": "hub",
                    "link": reverse("admin:insights"),
                    "permission": lambda request: request.user.is_staff,
                },
            ],
        },
        {
            "title": _("Activities"),
            "items": [
                _model("event_note", "activities", "activity"),
                _model("group", "activities", "participation"),
                _model("handshake", "activities", "commitment"),
                _model("task_alt", "activities", "followup"),
                _item(
                    _("Exchange figures"),
                    "bar_chart",
                    "admin:activities_activity_exchange_figures",
                    "activities.view_activity",
                ),
                {
                    "title": _("Figures"),
                    "icon": "monitoring",
                    "link": reverse("admin:figures"),
                    "permission": lambda request: request.user.is_staff,
                },
                _model("menu_book", "core", "source"),
                _model("format_quote", "core", "citation"),
            ],
        },
        {
            "title": _("Search and matchmaking"),
            "items": [
                {
                    **_item(
                        _("Search"),
                        "search",
                        "admin:search_searchentry_changelist",
                        "search.view_searchentry",
                    ),
                    # its address begins Find partners' own: active on its page only
                    "active": lambda request: (
                        request.path == reverse("admin:search_searchentry_changelist")
                    ),
                },
                _item(
                    _("Find partners"),
                    "diversity_3",
                    "admin:search_match",
                    "search.view_searchentry",
                ),
            ],
        },
        {
            "title": _("Imports and identity"),
            "items": [
                _item(
                    _("Likely duplicates"),
                    "join",
                    "admin:ingest_merge_duplicates",
                    "registry.change_organization",
                ),
                _model("merge", "ingest", "merge"),
                _model("rule", "ingest", "importconflict"),
                _model("cloud_download", "ingest", "externalrecord"),
            ],
        },
        {
            "title": _("Public portal"),
            "items": [
                _model("article", "portal", "introduction"),
                _model("star", "portal", "featuredactivity"),
                _model(
                    "view_agenda",
                    "portal",
                    "sectionsetting",
                ),
            ],
        },
        {
            "title": _("Administration"),
            "separator": True,
            "collapsible": True,
            "items": [
                _model("manage_accounts", "auth", "user"),
                _model("groups", "auth", "group"),
                _model("key", "access", "apitoken"),
                _model("history", "access", "auditevent"),
                _model("outgoing_mail", "access", "remindersent"),
                _model("login", "axes", "accessattempt"),
                _model("gpp_bad", "axes", "accessfailurelog"),
                _model("receipt_long", "axes", "accesslog"),
                _model("task", "django_tasks_database", "dbtaskresult"),
            ],
        },
    ]
