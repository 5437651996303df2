"""What a sentence needs to know of a name: the grammar fields of organizations and places.

Each field left blank means "as inferred from the French name" (``core.grammar.infer``);
staff set one only where the guess is wrong (le CLARA, a city that takes an article).
"""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from passerelle.core import grammar


class Gender(models.TextChoices):
    INFERRED = "", _("as the name suggests")
    MASCULINE = "m", _("masculine")
    FEMININE = "f", _("feminine")


class Number(models.TextChoices):
    INFERRED = "", _("as the name suggests")
    SINGULAR = "s", _("singular")
    PLURAL = "p", _("plural")


class YesNo(models.TextChoices):
    INFERRED = "", _("as the name suggests")
    YES = "yes", _("yes")
    NO = "no", _("no")


#: The grammar fields, in the order forms and documents list them.
GRAMMAR_FIELDS = ("gender_fr", "number_fr", "elision_fr", "article_fr")


class Grammatical(models.Model):
    """Abstract: a record whose name is used in composed French sentences."""

    gender_fr = models.CharField(
        _("gender in French"),
        max_length=1,
        choices=Gender.choices,
        blank=True,
        default="",
        db_default="",
        help_text=_("Le CIRC is masculine, la Région feminine. Blank: from the French name."),
    )
    number_fr = models.CharField(
        _("number in French"),
        max_length=1,
        choices=Number.choices,
        blank=True,
        default="",
        db_default="",
        help_text=_("Plural names take les and aux (les Pays-Bas)."),
    )
    elision_fr = models.CharField(
        _("elision in French"),
        max_length=3,
        choices=YesNo.choices,
        blank=True,
        default="",
        db_default="",
        help_text=_("Yes: l’ and d’ before the name (l’Institut Weizmann)."),
    )
    article_fr = models.CharField(
        _("article in French"),
        max_length=3,
        choices=YesNo.choices,
        blank=True,
        default="",
        db_default="",
        help_text=_("Yes: le, la, les before the name (le CIRC); no: none (Lyon, Oncocat)."),
    )

    #: What ``grammar.infer`` is told this kind of record is.
    grammar_kind = ""

    class Meta:
        abstract = True

    def french_name(self) -> str:
        raise NotImplementedError

    def noun_phrase(self, text: str, lang: str) -> grammar.NounPhrase:
        """The grammar of this record's name, shown as ``text`` (a link, an acronym…)."""
        inferred = grammar.infer(
            self.french_name() if lang == "fr" else text, kind=self.kind_for_grammar()
        )
        english = (
            False if lang == "fr" else grammar.infer(text, kind=self.kind_for_grammar()).article_en
        )
        return grammar.NounPhrase(
            text=text,
            gender=self.gender_fr or inferred.gender,
            number=self.number_fr or inferred.number,
            elides=_yes(self.elision_fr, grammar.elides(text) if lang == "fr" else False),
            article=_yes(self.article_fr, inferred.article),
            article_en=english,
        )

    def kind_for_grammar(self) -> str:
        return self.grammar_kind

    @admin.display(description=_("as French sentences write it"))
    def inferred_grammar(self) -> str:
        """What the fields, blank or not, make of the name: the back office shows it."""
        name = self.french_name()
        if not name:
            return "—"
        np = self.noun_phrase(name, "fr")
        return f"{grammar.definite(np)} · {grammar.de(np)} · {grammar.a(np)}"


def _yes(value: str, default: bool) -> bool:
    return default if not value else value == "yes"
