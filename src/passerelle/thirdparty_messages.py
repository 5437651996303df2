"""Texts of the back office's third-party parts that ship no French of their own.

Unfold (the back office's theme) has no French catalogue, and django-tasks-db names its
task results in English only; the project's catalogue translates what the officers see
of them. ``make messages`` keeps a message only while the code marks it, so they are
marked here; nothing imports this module.
"""

from django.utils.translation import gettext_noop

THIRD_PARTY_MESSAGES = (
    gettext_noop("Add row"),
    gettext_noop("All applications"),
    gettext_noop("Apply Filters"),
    gettext_noop("Choose file to upload"),
    gettext_noop("Clear all filters"),
    gettext_noop("Clear selection"),
    gettext_noop("Click here to select the objects across all pages"),
    gettext_noop("Dark"),
    gettext_noop("Dataset not found. No action performed."),
    gettext_noop("Date from"),
    gettext_noop("Date to"),
    gettext_noop("Expand row"),
    gettext_noop("Filter navigation items"),
    gettext_noop("Fit"),
    gettext_noop("Go back"),
    gettext_noop("Hide counts"),
    gettext_noop("Light"),
    gettext_noop("Loading more results..."),
    gettext_noop("More actions"),
    gettext_noop("No data"),
    gettext_noop("No recent searches"),
    gettext_noop("No results found"),
    gettext_noop("No results matching your query"),
    gettext_noop("Recent searches"),
    gettext_noop("Remove from sorting"),
    gettext_noop("Reset filters"),
    gettext_noop("Return to site"),
    gettext_noop("Run"),
    gettext_noop("Run the selected action"),
    gettext_noop("Save and view"),
    gettext_noop("Search apps and models..."),
    gettext_noop("Select action"),
    gettext_noop("Select action to run"),
    gettext_noop("Select all rows"),
    gettext_noop("Select currency"),
    gettext_noop("Select format"),
    gettext_noop("Select record"),
    gettext_noop("Select value"),
    gettext_noop("Show counts"),
    gettext_noop("System"),
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("This item will be deleted."),
    gettext_noop("Toggle password visibility"),
    gettext_noop("Toggle sorting"),
    gettext_noop("Type to search"),
    gettext_noop("Unknown content"),
)
