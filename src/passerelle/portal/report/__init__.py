"""The annual report: what the cluster did abroad in a year, written from the records.

A report is built as plain data (:func:`build`), then rendered as printable HTML, as
PDF (WeasyPrint, from the same HTML) or as XLSX (one sheet per table); see
``render``. It tells the public records only, in the portal's own voice (the
International relations page's sentences, by section): a report leaves the house, so
it says what the portal says. Its figures are the desk of figures' (insights.figures)
for the year and the year before; each agreement's commitments come with the
checker's verdict and the sources of what fulfils them; an appendix lists every
activity of the year with its participants and sources.

A report is a snapshot: it says which version of the records it was made from
(core.changes) and when, and a made report is kept as a :class:`~..models.Report`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from passerelle.activities.commitments import check, verdict_label
from passerelle.activities.models import Activity, Participation
from passerelle.activities.vocabulary import Kind
from passerelle.core.changes import content_version
from passerelle.core.visibility import public, public_participations
from passerelle.insights.charts import Chart, draw
from passerelle.insights.figure_tables import Filters, Table, running
from passerelle.insights.figures import FIGURES

from ..composition import compose, section_of, with_section_fields
from ..models import SECTIONS

#: The figures set against the year before, in the report's order.
COMPARED = ("activities", "events", "delegations", "partners", "collaboration", "sources")


@dataclass
class Report:
    year: int
    language: str
    version: str
    made_at: datetime.datetime
    headline: list[str] = field(default_factory=list)  # the year against the one before
    comparison: list[tuple[str, object, object]] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)
    figures: list[tuple[Table, Chart | None]] = field(default_factory=list)
    before: dict[str, Table] = field(default_factory=dict)
    commitments: list[dict] = field(default_factory=list)
    new_partners: list[str] = field(default_factory=list)
    appendix: list[dict] = field(default_factory=list)


def _of_year(year: int):
    return public(Activity.objects.all()).filter(start__startswith=str(year))


def build(year: int, language: str = "en", today: datetime.date | None = None) -> Report:
    """The report of ``year`` in ``language`` (public records only)."""
    with translation.override(language):
        return _build(year, language, today or datetime.date(year, 12, 31))


def _build(year: int, language: str, today: datetime.date) -> Report:
    report = Report(year, language, content_version(), timezone.now())
    this, last = (
        Filters(first_year=year, last_year=year),
        Filters(first_year=year - 1, last_year=year - 1),
    )
    dated = {"agreements", "commitments"}  # judged as at the year's end, not today
    for key, compute in FIGURES.items():
        table = compute(None, this, today) if key in dated else compute(None, this)
        report.figures.append((table, draw(table)))
        if key in COMPARED:
            report.before[key] = compute(None, last)
    report.comparison = _comparison(report)
    report.headline = _headline(report, year)
    activities = list(with_section_fields(_of_year(year)).order_by("start", "pk"))
    entries = compose(activities)
    grouped: dict[str, list] = {}
    for activity in activities:
        grouped.setdefault(section_of(activity), []).append(entries[activity.pk])
    report.sections = [
        {"key": key, "title": str(title), "entries": grouped[key]}
        for key, title in SECTIONS
        if key in grouped
    ]
    report.commitments = _commitments(year, today)
    report.new_partners = _new_partners(year)
    report.appendix = _appendix(activities)
    return report


def _count(table: Table, column: str) -> int:
    return int(table.total(column)) if column in table.columns else 0


def _headline(report: Report, year: int) -> list[str]:
    """The year against the one before, in four sentences."""
    figures = {t.key: t for t, _chart in report.figures}
    said = (
        (
            "activities",
            "total",
            ngettext_lazy(
                "%(now)d activity began in %(year)d (%(before)d in %(last)d).",
                "%(now)d activities began in %(year)d (%(before)d in %(last)d).",
                "now",
            ),
        ),
        (
            "events",
            "events",
            ngettext_lazy(
                "%(now)d event was held (%(before)d the year before).",
                "%(now)d events were held (%(before)d the year before).",
                "now",
            ),
        ),
        (
            "partners",
            "new",
            ngettext_lazy(
                "%(now)d new partner outside the region (%(before)d the year before).",
                "%(now)d new partners outside the region (%(before)d the year before).",
                "now",
            ),
        ),
        (
            "partners",
            "countries",
            ngettext_lazy(
                "%(now)d country reached (%(before)d the year before).",
                "%(now)d countries reached (%(before)d the year before).",
                "now",
            ),
        ),
    )
    lines = []
    for key, column, sentence in said:  # ngettext_lazy: `make messages` finds them
        now, before = _count(figures[key], column), _count(report.before[key], column)
        lines.append(sentence % {"now": now, "before": before, "year": year, "last": year - 1})
    return lines


#: The lines of the comparison table: (figure, column).
COMPARISON = (
    ("activities", "total"),
    ("events", "events"),
    ("events", "editions"),
    ("delegations", "incoming"),
    ("delegations", "outgoing"),
    ("delegations", "follow_ups_closed"),
    ("partners", "partners"),
    ("partners", "new"),
    ("partners", "lost"),
    ("partners", "countries"),
    ("sources", "sourced"),
)


def _comparison(report: Report) -> list[tuple[str, object, object]]:
    """(what, this year, the year before) for the figures a funder compares."""
    figures = {t.key: t for t, _chart in report.figures}
    lines = []
    for key, column in COMPARISON:
        table = figures[key]
        label = table.headers[table.columns.index(column)]
        if key == "activities":
            label = _("Activities")
        lines.append((label, _count(table, column), _count(report.before[key], column)))
    return lines


def _commitments(year: int, today: datetime.date) -> list[dict]:
    """Each public agreement in force during the year, its commitments judged."""
    agreements = running(
        public(Activity.objects.filter(kind=Kind.AGREEMENT)), Filters(year, year)
    ).exclude(status__in=("draft", "under_review"))
    told = []
    for result in check(None, agreements, today=today):
        told.append(
            {
                "agreement": result.agreement.title,
                "commitment": result.commitment.text_fr
                if translation.get_language() == "fr" and result.commitment.text_fr
                else result.commitment.text_en,
                "verdict": verdict_label(result.status),
                "status": result.status,
                "reason": result.reason.get(translation.get_language(), "")
                or result.reason.get("en", ""),
                "evidence": [
                    {
                        "title": o.title_fr
                        if translation.get_language() == "fr" and o.title_fr
                        else o.title_en,
                        "date": o.date,
                        "sources": o.sources,
                    }
                    for o in result.observed
                ],
            }
        )
    return told


def _new_partners(year: int) -> list[str]:
    """Organizations outside the region first taking part (publicly) in an activity this
    year, as the partners' figure counts them."""
    ties = public_participations(
        Participation.objects.filter(organization__in_region=False)
    ).exclude(organization=None)
    this_year = set(
        ties.filter(activity__start__startswith=str(year)).values_list("organization_id", flat=True)
    )
    earlier = set(
        ties.filter(activity__start__lt=str(year))
        .exclude(activity__start="")
        .values_list("organization_id", flat=True)
    )
    from passerelle.registry.models import Organization

    return list(
        Organization.objects.filter(pk__in=this_year - earlier)
        .order_by("name")
        .values_list("name", flat=True)
    )


def _appendix(activities: list[Activity]) -> list[dict]:
    from passerelle.core.models import Citation

    ties = public_participations(Participation.objects.all()).select_related(
        "organization", "person"
    )
    rows = (
        Activity.objects.filter(pk__in=[a.pk for a in activities])
        .order_by("start", "pk")
        .prefetch_related(
            Prefetch("participations", queryset=ties.order_by("role", "pk")),
            Prefetch(
                "citations",
                queryset=Citation.objects.restrict(None, "view").select_related("source"),
            ),
        )
    )
    listed = []
    for activity in rows:
        listed.append(
            {
                "title": activity.title,
                "kind": str(Kind(activity.kind).label),
                "dates": activity.interval_display,
                "start": activity.start,
                "end": activity.end,
                "participants": [
                    f"{p.actor} ({p.get_role_display()})" for p in activity.participations.all()
                ],
                "sources": sorted({str(c.source) for c in activity.citations.all()}),
            }
        )
    return listed
