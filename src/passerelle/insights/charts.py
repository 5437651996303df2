"""Charts of the figures, drawn on the server as SVG by matplotlib (Agg, no display).

Why matplotlib: it is pinned on PyPI with wheels, works offline, writes SVG and PDF
without a browser, and its text can stay text (``svg.fonttype = "none"``), so a
chart's words are in the reader's language and searchable; the fonts are Debian's
DejaVu (fonts-dejavu-core). See docs/FIGURES.md.

Each chart comes with its data table (the :class:`~passerelle.insights.figure_tables.Table`
it is drawn from, shown beside it) and a text alternative in words. Numbers in words
are in the reader's locale (``number_format``); the SVG's coordinates are matplotlib's
own floats, never formatted by a locale. The output is deterministic (a fixed hash
salt, no date in the metadata), so a report made twice from the same records is the
same file.
"""

from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .figure_tables import Table

#: Which columns a figure's chart draws: (the category column, the series, stacked?).
#: A figure without an entry (funding, in several currencies) is a table only.
SPECS: dict[str, tuple[str, tuple[str, ...] | None, bool]] = {
    "activities": ("year", None, True),  # None: every column but the category and total
    "agreements": ("state", ("agreements",), False),
    "commitments": ("verdict", ("commitments",), False),
    "events": ("year", ("events", "editions"), False),
    "delegations": ("year", ("incoming", "outgoing", "follow_ups_closed"), False),
    "exchanges": ("category", ("people",), False),
    "partners": ("year", ("new", "lasting", "lost"), False),
    "collaboration": ("year", None, True),
    "sources": ("year", ("percent",), False),
}
#: One lock: matplotlib's pyplot state is global, and the server has threads.
_LOCK = threading.Lock()
#: Colour-blind-safe colours (Okabe and Ito), in the series' order.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


@dataclass
class Chart:
    """A drawn figure: the SVG, its text alternative, and the table it was drawn from."""

    key: str
    svg: str
    description: str
    table: Table


def _series(table: Table) -> tuple[str, list[str], bool] | None:
    spec = SPECS.get(table.key)
    if spec is None or not table.rows:
        return None
    category, series, stacked = spec
    if series is None:
        series = tuple(c for c in table.columns if c not in (category, "total"))
    return category, list(series), stacked


def _grouped(table: Table, category: str, series: list[str]) -> tuple[list, dict[str, list]]:
    """The values of each series by category, rows of the same category added up
    (exchanges' rows are by year, category, direction and country)."""
    order: list = []
    sums: dict = {}
    index = {c: table.columns.index(c) for c in [category, *series]}
    label = table.labels.get(category, lambda v: str(v))
    for row in table.rows:
        key = label(row[index[category]])
        if key not in sums:
            order.append(key)
            sums[key] = [0.0] * len(series)
        for n, name in enumerate(series):
            sums[key][n] += float(row[index[name]] or 0)
    return order, {name: [sums[k][n] for k in order] for n, name in enumerate(series)}


def _header(table: Table, column: str) -> str:
    return table.headers[table.columns.index(column)]


def describe(table: Table) -> str:
    """The chart in words, for those who do not see it (numbers in the reader's locale)."""
    shape = _series(table)
    if shape is None:
        return _("%(title)s: nothing recorded.") % {"title": table.title}
    category, series, _stacked = shape
    categories, values = _grouped(table, category, series)
    parts = []
    for n, name in enumerate(categories):
        said = ", ".join(
            f"{_header(table, s)} {number_format(_plain(values[s][n]), use_l10n=True)}"
            for s in series
            if values[s][n] or len(series) == 1  # a stack's empty parts are not said
        ) or number_format(0)
        parts.append(_("%(category)s: %(values)s") % {"category": name, "values": said})
    return _("Chart of %(title)s, by %(category)s. %(values)s.") % {
        "title": table.title,
        "category": _header(table, category).lower(),
        "values": "; ".join(parts),
    }


def _plain(value: float):
    return int(value) if float(value).is_integer() else round(value, 1)


def draw(table: Table) -> Chart | None:
    """The table's chart as SVG text, or None for a figure drawn as a table only."""
    shape = _series(table)
    if shape is None:
        return None
    category, series, stacked = shape
    categories, values = _grouped(table, category, series)
    with _LOCK:
        svg = _render(table, category, categories, series, values, stacked)
    return Chart(table.key, svg, describe(table), table)


def _render(table, category, categories, series, values, stacked) -> str:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    settings = {
        "svg.fonttype": "none",  # text stays text: translatable, searchable, small
        "svg.hashsalt": "passerelle",
        "font.family": "DejaVu Sans",
        "font.size": 9,
    }
    with matplotlib.rc_context(settings):
        legend = len(series) > 1
        bars = len(categories) * (1 if stacked else len(series))
        width = max(4.5, min(9.0, 1.2 + 0.55 * bars)) + (1.8 if legend else 0)
        figure, axes = pyplot.subplots(figsize=(width, 3.0))
        try:
            positions = list(range(len(categories)))
            bottom = [0.0] * len(categories)
            bar = 0.8 if stacked else 0.8 / len(series)
            for n, name in enumerate(series):
                shift = 0 if stacked else (n - (len(series) - 1) / 2) * bar
                axes.bar(
                    [p + shift for p in positions],
                    values[name],
                    bar,
                    bottom=bottom if stacked else None,
                    label=_header(table, name),
                    color=COLOURS[n % len(COLOURS)],
                )
                if stacked:
                    bottom = [b + v for b, v in zip(bottom, values[name], strict=True)]
            axes.set_xticks(positions, [str(c) for c in categories])
            axes.tick_params(axis="x", labelrotation=30 if len(categories) > 6 else 0)
            counts = all(float(v).is_integer() for name in series for v in values[name])
            axes.yaxis.set_major_locator(MaxNLocator(integer=counts))
            axes.yaxis.set_major_formatter(
                FuncFormatter(lambda v, _p: number_format(_plain(v), use_l10n=True))
            )
            axes.set_xlabel(_header(table, category))
            axes.spines[["top", "right"]].set_visible(False)
            if legend:  # beside the bars, never over them
                axes.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
            figure.tight_layout()
            out = io.StringIO()
            figure.savefig(out, format="svg", metadata={"Date": None})
        finally:
            pyplot.close(figure)
    text = out.getvalue()
    text = text[text.index("<svg") :]  # no XML declaration: it is inlined in HTML
    return _own_ids(text, table.key)


def _own_ids(svg: str, key: str) -> str:
    """Each chart's ids prefixed with its figure's key: a page inlines ten charts, and
    matplotlib numbers every chart's ids from 1."""
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{key}-\1"', svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{key}-\1"', svg)
    return re.sub(r"url\(#([^)]+)\)", rf"url(#{key}-\1)", svg)
