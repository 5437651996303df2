"""A report rendered: printable HTML, PDF by WeasyPrint from that HTML, XLSX by openpyxl.

The PDF is made offline: WeasyPrint's fetcher refuses every address (the charts are
inline SVG, the style inline, the fonts Debian's DejaVu found through fontconfig), so
making a report never reaches the network.
"""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from . import Report

FORMATS = ("html", "pdf", "xlsx")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class NetworkRefused(Exception):
    pass


def refuse_network(url: str, *args, **kwargs):
    """WeasyPrint's url_fetcher: nothing is fetched, from anywhere."""
    raise NetworkRefused(f"a report fetches nothing: {url[:80]}")


def html(report: Report) -> str:
    with translation.override(report.language):
        return render_to_string("portal/report/report.html", {"report": report})


def pdf(report: Report) -> bytes:
    from weasyprint import HTML

    document = HTML(string=html(report), url_fetcher=refuse_network, base_url=None)
    return document.write_pdf()


def xlsx(report: Report) -> bytes:
    """One sheet per table: each figure, the commitments, the new partners, the appendix."""
    from openpyxl import Workbook

    with translation.override(report.language):
        book = Workbook()
        about = book.active
        about.title = _("Report")[:31]
        about.append([_("Year"), report.year])
        about.append([_("Records' version"), report.version])
        about.append([_("Made at"), report.made_at.isoformat()])
        for line in report.headline:
            about.append([line])
        for table, _chart in report.figures:
            sheet = book.create_sheet(table.key[:31])
            sheet.append(table.headers)
            for row in table.rows:
                sheet.append([float(v) if hasattr(v, "as_tuple") else v for v in row])
        sheet = book.create_sheet("commitments")
        sheet.append([_("Agreement"), _("Commitment"), _("Verdict"), _("Why"), _("Evidence")])
        for c in report.commitments:
            evidence = "; ".join(
                e["title"]
                + (
                    f" [{', '.join(s.get('source') or '' for s in e['sources'])}]"
                    if e["sources"]
                    else ""
                )
                for e in c["evidence"]
            )
            sheet.append([c["agreement"], c["commitment"], c["verdict"], c["reason"], evidence])
        sheet = book.create_sheet("new_partners")
        sheet.append([_("New partners")])
        for name in report.new_partners:
            sheet.append([name])
        sheet = book.create_sheet("activities")
        sheet.append(
            [_("Activity"), _("Kind"), _("Start"), _("End"), _("Participants"), _("Sources")]
        )
        for a in report.appendix:
            sheet.append(
                [
                    a["title"],
                    a["kind"],
                    a["start"],
                    a["end"],
                    "; ".join(a["participants"]),
                    "; ".join(a["sources"]),
                ]
            )
        out = io.BytesIO()
        book.save(out)
    return out.getvalue()


def render(report: Report, kind: str) -> bytes:
    if kind not in FORMATS:
        raise ValueError(
            _("A report is made as %(formats)s, not “%(kind)s”.")
            % {"formats": ", ".join(FORMATS), "kind": kind[:20]}
        )
    if kind == "html":
        return html(report).encode()
    return pdf(report) if kind == "pdf" else xlsx(report)


def make(year: int, language: str, kind: str, user=None) -> bytes:
    """Build, render and keep a report (portal.models.Report); the file's bytes."""
    import hashlib

    from ..models import Report as Kept
    from . import build

    if kind not in FORMATS:
        render(None, kind)  # the error message, naming the format
    report = build(year, language)
    content = render(report, kind)
    # bulk_create: keeping a report is no change of the records (no post_save, whose
    # receiver would renew the records' version the report was made from)
    kept = Kept(
        year=year,
        language=language,
        format=kind,
        version=report.version,
        made_at=report.made_at,
        made_by=user if getattr(user, "pk", None) else None,
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
    )
    Kept.objects.bulk_create([kept])
    return content
