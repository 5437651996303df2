"""The annual report (portal/report/): its PDF's text holds the year's facts, in both
languages; the XLSX reads back; the command and the back-office page make it and keep it."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.core.management import call_command

from passerelle.activities.models import Activity, Participation
from passerelle.portal.models import Report
from passerelle.portal.report import build
from passerelle.portal.report.render import render

YEAR = 2024


@pytest.fixture
def year(demo):
    """Three public demo activities dated in the report's year, one confidential one too."""
    public = Activity.objects.filter(visibility="public").exclude(kind="agreement").order_by("pk")
    chosen = list(public[:3])
    for n, activity in enumerate(chosen):
        Activity.objects.filter(pk=activity.pk).update(start=f"{YEAR}-0{n + 3}-1{n}")
    secret = Activity.objects.create(
        title_en="Confidential talks with Zorgonia",
        kind="project",
        start=f"{YEAR}-05",
        visibility="confidential",
    )
    org = Participation.objects.filter(activity=chosen[0], organization__isnull=False).first()
    if org:
        Participation.objects.create(activity=secret, organization=org.organization, role="partner")
    return [Activity.objects.get(pk=a.pk) for a in chosen]


def _pdf_text(content: bytes, name: str, artifacts) -> str:
    path = artifacts / f"{name}.pdf"
    path.write_bytes(content)
    if shutil.which("pdftoppm"):  # pages to look at (test-artifacts/)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "50", str(path), str(artifacts / name)], check=True
        )
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (.ci/run installs it)")
def test_the_pdf_holds_the_years_facts_in_both_languages(year, artifacts):
    for lang in ("en", "fr"):
        report = build(YEAR, lang)
        text = " ".join(
            _pdf_text(render(report, "pdf"), f"report-{YEAR}-{lang}", artifacts).split()
        )
        for activity in year:
            title = activity.title_fr if lang == "fr" and activity.title_fr else activity.title_en
            assert " ".join(title.split())[:30] in text
        assert "Zorgonia" not in text  # public records only
        started = {"en": "3 activities began in 2024", "fr": "3 activités ont commencé en 2024"}
        assert started[lang] in text
        assert report.version in text
        assert report.commitments, "the demo's public agreements have commitments"
        for told in report.commitments:  # each with its verdict
            assert " ".join(told["agreement"].split())[:25] in text
            assert told["verdict"] in text


def test_the_xlsx_reads_back_the_command_and_the_page_keep_it(year, tmp_path, client):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(render(build(YEAR, "en"), "xlsx")))
    assert {"activities", "agreements", "commitments", "partners", "new_partners"} <= set(
        book.sheetnames
    )
    rows = list(book["activities"].iter_rows(values_only=True))
    assert rows[0][0] == "Year" and rows[1][0] == YEAR and rows[1][-1] == 3
    appendix = [r[0] for r in book["activities"].iter_rows(values_only=True)]
    assert appendix
    listed = [r[0] for r in book.worksheets[-1].iter_rows(values_only=True)][1:]
    assert sorted(listed) == sorted(a.title_en for a in year)
    target = tmp_path / "report.html"
    call_command("report", year=YEAR, lang="fr", format="html", output=str(target))
    text = target.read_text()
    assert '<html lang="fr"' in text and year[0].title_fr[:20] in text
    kept = Report.objects.get()
    assert (kept.year, kept.language, kept.format) == (YEAR, "fr", "html")
    assert bytes(kept.content) == target.read_bytes()
    assert kept.version in text
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("reporter", password="x"))
    assert client.get("/en/admin/annual-report/").status_code == 200
    assert client.get("/en/admin/annual-report/?year=20x4&lang=en&format=pdf").status_code == 400
    made = client.get(f"/en/admin/annual-report/?year={YEAR}&lang=en&format=xlsx")
    assert made.status_code == 200 and made.content[:2] == b"PK"
    assert Report.objects.filter(format="xlsx").count() == 1


def test_the_pdf_fetches_nothing():
    from passerelle.portal.report.render import NetworkRefused, refuse_network

    with pytest.raises(NetworkRefused):
        refuse_network("https://example.org/font.woff")
