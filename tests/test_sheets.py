"""Spreadsheets: dry run with every refused row, all-or-nothing import, round trip."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from passerelle.activities.models import Activity, Participation
from passerelle.ingest.sheets import SheetError, export_sheet, import_sheet, read_sheet
from passerelle.registry.models import Organization, Person


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
    assert "Wrote 15 organizations" in capsys.readouterr().out
    call_command("import_sheet", str(path), "--type", "organizations")
    assert "would import: 0 new, 0 updated, 15 unchanged" in capsys.readouterr().out
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
