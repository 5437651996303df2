"""Spreadsheets: dry run with every refused row, all-or-nothing import, round trip."""

from __future__ import annotations

import os

import pytest
from django.core.management import CommandError, call_command

from passerelle.activities.models import Activity, Participation
from passerelle.demo.loading import load_demo_network
from passerelle.ingest.sheets import SheetError, export_sheet, import_sheet, read_sheet
from passerelle.registry.models import Organization, Person

# the browser test's Playwright keeps an event loop in this thread (as in test_browser.py)
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _csv(tmp_path, text, name="sheet.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_dry_run_lists_every_refused_row_and_writes_nothing(demo, tmp_path):
    path = _csv(
        tmp_path,
        "name,kind,country,city,ror\n"
        "Institut Curie,cancer_centre,FR,Paris,\n"
        "Atlantis Institute,research_institute,XX,Atlantis,\n"
        "Bad Kind Lab,laboratory,FR,Lyon,\n"
        "Mistyped,university,FR,Lyon,0316ej30\n",
    )
    before = Organization.objects.count()
    report = import_sheet(read_sheet(path), "organizations", confirm=True)
    assert not report.written
    problems = {(p.row, p.column): p for p in report.problems}
    assert (3, "country") in problems and problems[(3, "country")].value == "XX"
    assert "unknown country" in problems[(3, "country")].reason
    assert (4, "kind") in problems and problems[(4, "kind")].value == "laboratory"
    assert (5, "ror") in problems and "not a ROR id" in problems[(5, "ror")].reason
    assert Organization.objects.count() == before


def test_confirmed_import_creates_updates_and_resolves_known_organizations(demo, tmp_path):
    path = _csv(
        tmp_path,
        "name,kind,country,city,ror,visibility\n"
        "Institut Curie,cancer_centre,FR,Paris,,public\n"
        "International Agency for Research on Cancer,international,FR,Lyon,,public\n"
        "Some other name,research_institute,IL,Rehovot,0316ej306,public\n",
    )
    report = import_sheet(read_sheet(path), "organizations", confirm=True)
    assert report.written and not report.problems
    assert (report.new, report.updated, report.unchanged) == (1, 1, 1)
    assert Organization.objects.filter(name="Institut Curie", place__name_en="Paris").exists()
    assert Organization.objects.filter(acronym="IARC").count() == 1  # matched by name
    weizmann = Organization.objects.get(identifiers__value="0316ej306")
    assert weizmann.name == "Some other name"  # matched by ROR id, updated in place


def test_round_trip_through_xlsx(demo, tmp_path):
    path = tmp_path / "organizations.xlsx"
    count = export_sheet("organizations", path)
    assert count == Organization.objects.count()
    dataset = read_sheet(path)
    assert dataset.headers[:3] == ["id", "name", "name_en"]
    report = import_sheet(dataset, "organizations", confirm=True)
    assert (report.new, report.updated, report.problems) == (0, 0, [])
    assert report.unchanged == count


def test_activities_and_participations_by_sheet(demo, tmp_path):
    activities = _csv(
        tmp_path,
        "id,kind,category,title_en,start,topics,visibility\n"
        ",event,seminar,Lyon–Milan lung cancer day,2025-05,lung-cancer,public\n"
        ",event,seminar,Bad date day,2025-13,,public\n"
        ",event,seminar,Unknown topic day,2025,astrology,public\n",
        "a.csv",
    )
    report = import_sheet(read_sheet(activities), "activities", confirm=False)
    columns = {(p.row, p.column) for p in report.problems}
    assert (3, "start") in columns and (4, "topics") in columns
    activities.write_text(
        "id,kind,category,title_en,start,topics,visibility\n"
        ",event,seminar,Lyon–Milan lung cancer day,2025-05,lung-cancer,public\n",
        encoding="utf-8",
    )
    assert import_sheet(read_sheet(activities), "activities", confirm=True).new == 1
    day = Activity.objects.get(title_en="Lyon–Milan lung cancer day")
    clara = Organization.objects.get(acronym="CLARA")
    participations = _csv(
        tmp_path,
        "activity_id,organization_id,person_id,role\n"
        f"{day.uid},{clara.uid},,organizer\n"
        f"{day.uid},{clara.uid},,signatory\n",
        "p.csv",
    )
    report = import_sheet(read_sheet(participations), "participations", confirm=True)
    assert [(p.row, p.column) for p in report.problems] == [(3, "role")]
    assert not day.participations.exists()  # one bad row: nothing written
    participations.write_text(
        f"activity_id,organization_id,person_id,role\n{day.uid},{clara.uid},,organizer\n",
        encoding="utf-8",
    )
    assert import_sheet(read_sheet(participations), "participations", confirm=True).new == 1
    assert Participation.objects.get(activity=day).organization == clara


def test_people_with_orcid(db, tmp_path):
    path = _csv(
        tmp_path,
        "title,given_name,family_name,orcid,city,country\n"
        "dr,Josiah,Carberry,0000-0002-1825-0097,Providence,US\n"
        "pr,Bad,Orcid,0000-0002-1825-0098,,\n",
    )
    report = import_sheet(read_sheet(path), "people", confirm=True)
    assert [(p.row, p.column) for p in report.problems] == [(3, "orcid")]
    assert Person.objects.count() == 0
    path.write_text(
        "title,given_name,family_name,orcid,city,country\n"
        "dr,Josiah,Carberry,0000-0002-1825-0097,Providence,US\n",
        encoding="utf-8",
    )
    import_sheet(read_sheet(path), "people", confirm=True)
    assert Person.objects.get().identifiers.get().value == "0000-0002-1825-0097"


def test_a_sheet_missing_a_column_or_not_a_sheet_is_refused(db, tmp_path):
    with pytest.raises(SheetError, match="missing column: name"):
        import_sheet(
            read_sheet(_csv(tmp_path, "nom,pays\nCurie,FR\n")), "organizations", confirm=False
        )
    with pytest.raises(SheetError, match=r"use a \.csv or \.xlsx file"):
        read_sheet(_csv(tmp_path, "x", name="sheet.txt"))
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(SheetError, match="not a readable XLSX file"):
        read_sheet(broken)


def test_commands(demo, tmp_path, capsys):
    path = tmp_path / "orgs.csv"
    call_command("export_sheet", "--type", "organizations", "-o", str(path))
    assert "Wrote 17 organizations" in capsys.readouterr().out
    call_command("import_sheet", str(path), "--type", "organizations")
    assert "would import: 0 new, 0 updated, 17 unchanged" in capsys.readouterr().out
    bad = _csv(tmp_path, "name,country\nX,XX\n", "bad.csv")
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_sheet", str(bad), "--type", "organizations", "--confirm")
    assert "row 2, column country" in capsys.readouterr().err


def test_back_office_import_previews_rows_before_writing(staff_client, demo):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    url = reverse("admin:registry_organization_import")
    page = staff_client.get(url)
    assert page.status_code == 200
    formats = page.context["form"].fields["format"].choices
    csv_choice = next(value for value, label in formats if "csv" in str(label).lower())
    sheet = SimpleUploadedFile(
        "orgs.csv",
        b"name,kind,country,city\n"
        b"Institut Curie,cancer_centre,FR,Paris\n"
        b"Atlantis Institute,research_institute,XX,Atlantis\n",
        content_type="text/csv",
    )
    response = staff_client.post(url, {"import_file": sheet, "format": csv_choice, "resource": "0"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "unknown country" in body and "Atlantis" in body
    assert not Organization.objects.filter(name="Institut Curie").exists()


def test_back_office_lists_import_conflicts(staff_client, demo):
    from django.urls import reverse

    from passerelle.ingest.models import ImportConflict

    clara = Organization.objects.get(acronym="CLARA")
    ImportConflict.objects.create(
        organization=clara, field="name", ours="CLARA", theirs="Canceropole Lyon"
    )
    page = staff_client.get(reverse("admin:ingest_importconflict_changelist"))
    assert page.status_code == 200 and "Canceropole Lyon" in page.content.decode()
    response = staff_client.post(
        reverse("admin:ingest_importconflict_changelist"),
        {"action": "mark_resolved", "_selected_action": [ImportConflict.objects.get().pk]},
    )
    assert response.status_code == 302
    assert ImportConflict.objects.get().resolved


# ----------------------------------------------------------------------------- limits

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
    b'"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)


def _zip_bomb(path, unpacked_mb: int = 64):
    """An XLSX of a few hundred KB whose one sheet unpacks to ``unpacked_mb`` MB of rows,
    built here rather than shipped."""
    import zipfile

    row = b'<row><c t="inlineStr"><is><t>Institut</t></is></c></row>' * 2000
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        with package.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/"><sheetData>')
            written = 0
            while written < unpacked_mb * 1024 * 1024:
                sheet.write(row)
                written += len(row)
            sheet.write(b"</sheetData></worksheet>")
    return path


def _xlsx(path, rows):
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _with_dimension(source, target, ref: str):
    """A copy of an XLSX file whose sheet declares the dimension ``ref``."""
    import re
    import zipfile

    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for member in original.infolist():
            data = original.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data)
            copy.writestr(member, data)
    return target


def test_a_zip_bomb_is_refused_before_it_is_parsed_quickly_and_in_little_memory(tmp_path):
    import time
    import tracemalloc

    bomb = _zip_bomb(tmp_path / "bomb.xlsx")
    assert bomb.stat().st_size < 1024 * 1024
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(SheetError, match=r"bomb\.xlsx unpacks to 64\.\d MB: sheets are limited"):
        read_sheet(bomb)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 2 and peak < 8 * 1024 * 1024, (elapsed, peak)


def test_rows_and_columns_over_the_limits_are_refused_before_parsing(tmp_path, settings):
    settings.SHEET_MAX_ROWS = 50
    settings.SHEET_MAX_COLUMNS = 20
    small = _xlsx(tmp_path / "small.xlsx", [["name", "kind"], ["Institut Curie", "hospital"]])
    assert read_sheet(small).dict == [{"name": "Institut Curie", "kind": "hospital"}]
    tall = _with_dimension(small, tmp_path / "tall.xlsx", "A1:B1048576")
    with pytest.raises(SheetError, match=r"tall\.xlsx has more than 50 rows"):
        read_sheet(tall)
    wide = _with_dimension(small, tmp_path / "wide.xlsx", "A1:XFD2")
    with pytest.raises(SheetError, match=r"wide\.xlsx has 16384 columns: sheets are limited to 20"):
        read_sheet(wide)
    undeclared = _xlsx(tmp_path / "long.xlsx", [["name"]] + [[f"Lab {i}"] for i in range(60)])
    undeclared = _with_dimension(undeclared, tmp_path / "lying.xlsx", "A1")
    with pytest.raises(SheetError, match=r"lying\.xlsx has more than 50 rows"):
        read_sheet(undeclared)  # counted while read, when the dimension lies
    lines = "name\n" + "".join(f"Lab {i}\n" for i in range(60))
    with pytest.raises(SheetError, match=r"long\.csv has more than 50 rows"):
        read_sheet(_csv(tmp_path, lines, "long.csv"))
    settings.SHEET_MAX_BYTES = 200
    with pytest.raises(SheetError, match=r"big.csv is 0.0 MB: sheets are limited to 0.0 MB"):
        read_sheet(_csv(tmp_path, lines * 2, "big.csv"))


def test_the_command_and_the_back_office_refuse_an_oversized_sheet(
    staff_client, tmp_path, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    settings.SHEET_MAX_ROWS = 100
    tall = _csv(tmp_path, "name\n" + "".join(f"Lab {i}\n" for i in range(150)), "tall.csv")
    with pytest.raises(CommandError, match=r"tall\.csv has more than 100 rows"):
        call_command("import_sheet", str(tall), "--type", "organizations")
    url = reverse("admin:registry_organization_import")
    formats = staff_client.get(url).context["form"].fields["format"].choices
    choice = {str(label).lower(): value for value, label in formats}
    bomb = _zip_bomb(tmp_path / "bomb.xlsx")
    with pytest.raises(CommandError, match=r"bomb.xlsx unpacks to 64\.\d MB"):
        call_command("import_sheet", str(bomb), "--type", "organizations")
    for upload, format_, message in (
        (bomb.read_bytes(), choice["xlsx"], "unpacks to 64."),
        (tall.read_bytes(), choice["csv"], "more than 100 rows"),
    ):
        response = staff_client.post(
            url,
            {
                "import_file": SimpleUploadedFile("sheet", upload),
                "format": format_,
                "resource": "0",
            },
        )
        assert response.status_code == 200 and message in response.content.decode()
    settings.SHEET_MAX_BYTES = 1000
    response = staff_client.post(
        url,
        {
            "import_file": SimpleUploadedFile("tall.csv", tall.read_bytes()),
            "format": choice["csv"],
            "resource": "0",
        },
    )
    assert "tall.csv is 0.0 MB: sheets are limited to 0.0 MB" in response.content.decode()
    assert not Organization.objects.exists()


# ----------------------------------------------------------------------------- formulas

FORMULAS = ['=HYPERLINK("http://evil.example","Click")', "+33 1 23", "-2+3", "@SUM(A1)", "\tTab"]


def test_formulas_are_escaped_on_export_in_csv_and_xlsx_and_read_back_as_written(
    staff_client, tmp_path
):
    import io

    import openpyxl
    from django.urls import reverse

    for name in FORMULAS:
        Organization.objects.create(name=name, visibility="public")
    csv_path, xlsx_path = tmp_path / "o.csv", tmp_path / "o.xlsx"
    call_command("export_sheet", "--type", "organizations", "-o", str(csv_path))
    call_command("export_sheet", "--type", "organizations", "-o", str(xlsx_path))
    url = reverse("admin:registry_organization_export")
    formats = staff_client.get(url).context["form"].fields["format"].choices
    choice = {str(label).lower(): value for value, label in formats}
    files = {"cli csv": csv_path.read_bytes(), "cli xlsx": xlsx_path.read_bytes()}
    for kind in ("csv", "xlsx"):
        response = staff_client.post(url, {"format": choice[kind], "resource": "0"})
        assert response.status_code == 200
        files[f"admin {kind}"] = response.content
    for where, data in files.items():
        if where.endswith("csv"):
            text = data.decode("utf-8-sig")
            cells = [line.split(",")[1] for line in text.splitlines()[1:]]
            assert all(c.startswith(("'", "\"'")) for c in cells), (where, cells)
        else:
            sheet = openpyxl.load_workbook(io.BytesIO(data)).active
            cells = [row[1] for row in sheet.iter_rows(min_row=2)]
            assert all(c.data_type == "s" and c.value.startswith("'") for c in cells), where
    for path in (csv_path, xlsx_path):
        assert sorted(read_sheet(path)["name"]) == sorted(FORMULAS)
        report = import_sheet(read_sheet(path), "organizations", confirm=True)
        assert (report.new, report.updated, report.problems) == (0, 0, [])
    assert sorted(Organization.objects.values_list("name", flat=True)) == sorted(FORMULAS)


# ----------------------------------------------------------------------------- good records


def _problems(report):
    return {(p.row, p.column): p.reason for p in report.problems}


def test_only_an_id_an_identifier_or_an_exact_name_updates_a_record(demo, tmp_path):
    dkfz = Organization.objects.get(acronym="DKFZ")
    sheet = (
        "id,name,kind,country,city\n"
        ",DKFZ,,DE,Heidelberg\n"
        ",international agency for research on cancer,,FR,Lyon\n"
        ",International Agency for Research on Cancer,,,\n"
        ",Bad Kind Lab,laboratory,FR,Lyon\n"
    )
    report = import_sheet(read_sheet(_csv(tmp_path, sheet)), "organizations", confirm=True)
    problems = _problems(report)
    assert not report.written and set(problems) == {(2, "name"), (3, "name"), (5, "kind")}
    assert (
        "matches «German Cancer Research Center»? It is not that record’s name"
        in problems[(2, "name")]
    )
    assert str(dkfz.uid) in problems[(2, "name")] and "“new”" in problems[(2, "name")]
    assert "matches «International Agency for Research on Cancer»" in problems[(3, "name")]
    assert problems[(5, "kind")].startswith("“laboratory” is not allowed here; use one of: ")
    assert "cluster, research_institute, cancer_centre, hospital" in problems[(5, "kind")]
    sheet = (
        "id,name,kind,country,city\n"
        f"{dkfz.uid},DKFZ Heidelberg,,,\n"
        "new,international agency for research on cancer,international,FR,Lyon\n"
        ",International Agency for Research on Cancer,,,\n"
    )
    report = import_sheet(read_sheet(_csv(tmp_path, sheet)), "organizations", confirm=True)
    assert report.written and (report.new, report.updated, report.unchanged) == (1, 1, 1)
    dkfz.refresh_from_db()
    assert (dkfz.name, dkfz.name_en, dkfz.kind) == (
        "DKFZ Heidelberg",
        "German Cancer Research Center",  # an empty cell keeps the name in English
        "research_institute",
    )
    assert (
        Organization.objects.filter(
            name__iexact="International Agency for Research on Cancer"
        ).count()
        == 2
    )


def test_empty_cells_keep_a_dash_clears_and_two_rows_cannot_update_one_record(demo, tmp_path):
    iarc = Organization.objects.get(acronym="IARC")
    sheet = (
        "id,name,name_fr,acronym,website,city,country\n"
        f"{iarc.uid},,-,,-,,\n"
        "\n"
        f",International Agency for Research on Cancer,,,,,\n"
    )
    report = import_sheet(read_sheet(_csv(tmp_path, sheet)), "organizations", confirm=True)
    assert _problems(report) == {
        (4, ""): "row 2 already updates «International Agency for Research on Cancer»: two "
        "rows cannot update one record. Merge them into one row."
    }
    report = import_sheet(
        read_sheet(_csv(tmp_path, sheet.splitlines()[0] + "\n" + sheet.splitlines()[1] + "\n")),
        "organizations",
        confirm=True,
    )
    assert report.written and report.updated == 1
    iarc.refresh_from_db()
    assert (iarc.name, iarc.name_fr, iarc.acronym) == (
        "International Agency for Research on Cancer",
        "",
        "IARC",
    )
    assert iarc.place.name_en == "Lyon"
    schemes = set(iarc.identifiers.values_list("scheme", flat=True))
    assert "website" not in schemes and "ror" in schemes


def test_a_sheet_re_imported_in_french_keeps_identifiers_it_already_holds(demo, tmp_path):
    """The identifier a record already holds is recognised by the error's code, not by the
    English words of its message."""
    from django.utils import translation

    path = tmp_path / "organizations.csv"
    export_sheet("organizations", path)
    import csv

    with path.open(encoding="utf-8-sig", newline="") as sheet:
        rows = list(csv.DictReader(sheet))
    for row in rows:
        if row["name"] == "Weizmann Institute of Science":
            row["acronym"] = "WIS"
    with path.open("w", encoding="utf-8", newline="") as sheet:
        writer = csv.DictWriter(sheet, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with translation.override("fr"):
        report = import_sheet(read_sheet(path), "organizations", confirm=True)
    assert report.problems == [] and report.updated == 1
    weizmann = Organization.objects.get(acronym="WIS")
    assert weizmann.identifiers.filter(scheme="ror", value="0316ej306").count() == 1


def test_back_office_preview_shows_every_column_with_the_command_s_row_numbers(
    staff_client, demo, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    url = reverse("admin:registry_organization_import")
    formats = staff_client.get(url).context["form"].fields["format"].choices
    csv_choice = next(value for value, label in formats if "csv" in str(label).lower())

    def preview(text):
        sheet = SimpleUploadedFile("orgs.csv", text.encode(), content_type="text/csv")
        response = staff_client.post(
            url, {"import_file": sheet, "format": csv_choice, "resource": "0"}
        )
        assert response.status_code == 200
        return response.context["result"]

    good = (
        "name,kind,city,country,ror,website\n"
        "Institut Curie,cancer_centre,Paris,FR,04t0gwh46,https://curie.fr\n"
    )
    result = preview(good)
    assert not result.has_validation_errors()
    row = " ".join(str(cell) for cell in result.valid_rows()[0].diff)
    for value in ("Institut Curie", "Paris", "FR", "04t0gwh46", "https://curie.fr"):
        assert value in row
    bad = "name,kind,country\nLab One,other,FR\n\nAtlantis Institute,other,XX\n"
    result = preview(bad)
    assert [invalid.number for invalid in result.invalid_rows] == [4]
    cli = import_sheet(read_sheet(_csv(tmp_path, bad)), "organizations", confirm=False)
    assert [p.row for p in cli.problems] == [4]
    assert not Organization.objects.filter(name__in=["Institut Curie", "Lab One"]).exists()


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en", "fr"])
def test_back_office_import_in_a_browser_holds_a_loose_row_and_previews_every_column(
    browser, live_server, transactional_db, artifacts, tmp_path, language
):
    """What an officer sees: a loose name held as "matches X?", a refused kind with the
    allowed values, then the preview of a good sheet with its city, country, ROR and website;
    at desktop and phone widths."""
    from django.contrib.auth import get_user_model

    load_demo_network(migrate=False)
    get_user_model().objects.create_superuser("officer", "officer@example.org", "pw-officer-1")
    bad = _csv(
        tmp_path,
        "name,kind,city,country\n"
        "DKFZ,research_institute,Heidelberg,DE\n"
        "Bad Kind Lab,laboratory,Lyon,FR\n",
        "bad.csv",
    )
    good = _csv(
        tmp_path,
        "name,kind,city,country,ror,website\n"
        "Institut Curie,cancer_centre,Paris,FR,04t0gwh46,https://curie.fr\n",
        "good.csv",
    )
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20000)
    page.goto(f"{live_server.url}/{language}/admin/login/")
    page.fill("input[name=username]", "officer")
    page.fill("input[name=password]", "pw-officer-1")
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url(f"**/{language}/admin/")
    url = f"{live_server.url}/{language}/admin/registry/organization/import/"
    for sheet, expected in (
        (bad, [str(Organization.objects.get(acronym="DKFZ").uid), "cluster, research_institute"]),
        (good, ["Paris", "04t0gwh46", "https://curie.fr"]),
    ):
        page.goto(url)
        page.set_input_files("input[type=file]", str(sheet))
        page.select_option("select[name=format]", label="csv")
        page.locator("form button[type=submit]").last.click()
        page.wait_for_load_state("networkidle")
        content = page.content()
        for text in expected:
            assert text in content, text
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(
                path=artifacts / f"backoffice-import-{sheet.stem}-{language}-{width}.png",
                full_page=True,
            )
        page.set_viewport_size({"width": 1366, "height": 900})
    context.close()
    assert not Organization.objects.filter(name="Institut Curie").exists()


def test_yes_or_no_cells_are_read_in_either_language_and_anything_else_is_refused(demo, tmp_path):
    path = _csv(
        tmp_path,
        "name,kind,in_region\nYes Lab,company,oui\nNo Lab,company,no\nMaybe Lab,company,maybe\n",
    )
    report = import_sheet(read_sheet(path), "organizations", confirm=True)
    assert not report.written and Organization.objects.filter(name__endswith=" Lab").count() == 0
    problems = {(p.row, p.column): p for p in report.problems}
    assert list(problems) == [(4, "in_region")], problems
    assert "neither yes nor no" in problems[(4, "in_region")].reason
    path.write_text(path.read_text().replace("maybe", "1"))
    assert import_sheet(read_sheet(path), "organizations", confirm=True).new == 3
    regional = dict(
        Organization.objects.filter(name__endswith=" Lab").values_list("name", "in_region")
    )
    assert regional == {"Yes Lab": True, "No Lab": False, "Maybe Lab": True}


@pytest.mark.parametrize(
    "address",
    [
        "/en/admin/registry/organization/export/?foo=bar",
        "/en/admin/activities/activity/export/?format=0",
        "/en/admin/activities/participation/export/?kind__nope=1",
    ],
)
def test_an_export_with_filters_it_does_not_understand_says_so_instead_of_failing(
    staff_client, address
):
    response = staff_client.get(address, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][0] == address.split("?")[0]
    assert "were not understood" in response.content.decode()
