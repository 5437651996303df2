"""English and French ship together: every interface string has its French."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

from passerelle.activities.vocabulary import Role
from passerelle.core.dates import display_interval

LOCALE = Path(__file__).resolve().parent.parent / "src/passerelle/locale/fr/LC_MESSAGES"


def test_every_string_of_the_catalogue_is_translated():
    catalogue = (LOCALE / "django.po").read_text(encoding="utf-8")
    entries = catalogue.split("\n\n")[1:]  # after the header
    untranslated = [
        e
        for e in entries
        if re.search(r'^msgstr(\[0\])? ""\n?$', e, re.M)
        and not re.search(r'^msgstr(\[0\])? ""\n"', e, re.M)
    ]
    assert not untranslated
    assert "#, fuzzy" not in catalogue


def test_compiled_catalogue_is_up_to_date(tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext's msgfmt is not installed")
    compiled = tmp_path / "django.mo"
    subprocess.run(
        [msgfmt, "--check-format", "-o", str(compiled), str(LOCALE / "django.po")], check=True
    )
    assert compiled.read_bytes() == (LOCALE / "django.mo").read_bytes(), "run `make messages`"


def test_the_interface_speaks_french():
    with translation.override("fr"):
        assert str(Role.CO_ORGANIZER.label) == "co-organisateur"
        assert display_interval("2011", "") == "depuis 2011"
    with translation.override("en"):
        assert display_interval("2011", "") == "since 2011"
