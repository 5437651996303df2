"""The commitment checker: for every key area of an agreement, what was promised, what
was observed, the verdict and what is next.

One service for the back office, the portal, the API, the command line and the desk.
``check(user, agreements)`` reads everything it needs in a fixed number of queries
whatever the number of agreements (``gather``), then judges each commitment in Python
(``judge``). What is observed is what the user reads: an anonymous caller is judged
on public records only.

An activity fulfils a commitment when staff linked it (``fulfils`` with the commitment,
"confirmed"), or when the rule finds it: the right kind, two of the agreement's parties
among its participants, its start within the agreement's term ("suggested" until staff
confirm or reject it; a rejection is a ``not_fulfils`` link, versioned like any link).
Unknown stays unknown: an event whose place is not recorded is not guessed, and the
verdict says what it cannot decide and why (``not_checkable``), in both languages.
"""

from __future__ import annotations

import datetime
import itertools
import uuid
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries

from passerelle.core.collector import without_cyclic_gc

from .agreements import effective_status
from .commitment_facts import (
    KINDS,
    Facts,
    first_day,
    gather,
    last_day,
    readable,
)
from .models import Activity, Commitment
from .vocabulary import (
    AgreementStatus,
    Cadence,
    CommitmentArea,
    CommitmentMeasure,
    CommitmentPeriod,
    Direction,
    Kind,
    LinkRelation,
)

#: The verdicts, from best to worst; ``not_checkable`` apart.
VERDICTS = ("met", "on_track", "due", "late", "broken", "not_checkable")
LANGUAGES = ("en", "fr")
_CANDIDATE_KINDS = tuple({k for kinds in KINDS.values() for k in kinds})


class Country:
    """A country named in the language the sentence is written in."""

    def __init__(self, code: str):
        self.code = code

    def __str__(self) -> str:
        return str(countries.name(self.code)) or self.code


class Places:
    """Countries joined with a slash, named in the language of the sentence."""

    def __init__(self, codes):
        self.codes = list(codes)

    def __str__(self) -> str:
        return " / ".join(str(Country(code)) for code in self.codes)


class Words(MutableMapping):
    """A sentence in English and French (``words["fr"]``), written in a language the first
    time it is read there: checking every agreement judges tens of thousands of commitments
    whose reasons few callers show, and translating each twice was a fifth of the time."""

    __slots__ = ("_message", "_values", "_written")

    def __init__(self, message: str, values: dict, written: dict | None = None):
        self._message, self._values, self._written = message, values, dict(written or {})

    def __getitem__(self, language: str) -> str:
        if language not in self._written:
            if language not in LANGUAGES:
                raise KeyError(language)
            with translation.override(language):
                values = {k: str(v) for k, v in self._values.items()}
                self._written[language] = _(self._message) % values
        return self._written[language]

    def __setitem__(self, language: str, sentence: str) -> None:
        self._written[language] = sentence

    def __delitem__(self, language: str) -> None:
        raise TypeError("a sentence is written in every language")

    def __iter__(self):
        return iter(LANGUAGES)

    def __len__(self) -> int:
        return len(LANGUAGES)

    def copy(self) -> Words:
        return Words(self._message, self._values, self._written)


def both(message: str, **values) -> Words:
    """``message`` in English and French, its values shown in each language."""
    return Words(message, values)


@dataclass(slots=True)
class Observed:
    """An activity that fulfils (or may fulfil) a commitment, with its sources."""

    activity_id: int
    raw_uid: object  # as the database gave it: made a UUID only for those shown
    title_en: str
    title_fr: str
    date: str
    end: str
    country: str | None
    confirmed: bool
    people: int | None = None
    person_months: float | None = None
    sources: list[dict] = field(default_factory=list)

    @property
    def uid(self) -> str:
        return str(uuid.UUID(str(self.raw_uid)))

    def as_json(self) -> dict:
        return {
            "activity": self.activity_id,
            "id": self.uid,
            "title": self.title_en,
            "title_fr": self.title_fr or self.title_en,
            "date": self.date or None,
            "country": self.country,
            "confirmed": self.confirmed,
            "people": self.people,
            "person_months": self.person_months,
            "sources": self.sources,
        }


@dataclass
class Check:
    """One commitment judged: the verdict, why, what was observed and what is next."""

    agreement: Activity
    commitment: Commitment
    status: str
    reason: MutableMapping[str, str]
    observed: list[Observed]
    next_by: str | None = None
    next_country: str | None = None
    next_text: MutableMapping[str, str] = field(default_factory=dict)
    progress: MutableMapping[str, str] = field(default_factory=dict)
    note: MutableMapping[str, str] = field(default_factory=dict)

    @property
    def suggested(self) -> list[Observed]:
        return [o for o in self.observed if not o.confirmed]

    def as_json(self) -> dict:
        c = self.commitment
        return {
            "agreement": {
                "id": str(self.agreement.uid),
                "pk": self.agreement.pk,
                "title": self.agreement.title_en,
                "title_fr": self.agreement.title_fr or self.agreement.title_en,
            },
            "commitment": {
                "id": str(c.uid),
                "pk": c.pk,
                "area": c.area,
                "text": c.text_en,
                "text_fr": c.text_fr or c.text_en,
            },
            "status": self.status,
            "reason": dict(self.reason),
            "progress": dict(self.progress) or None,
            "note": dict(self.note) or None,
            "observed": [o.as_json() for o in self.observed],
            "next_due": {
                "by": self.next_by,
                "country": self.next_country,
                "text": self.next_text.get("en") or None,
                "text_fr": self.next_text.get("fr") or None,
            },
        }


# ----------------------------------------------------------------------------- judging


def check(
    user, agreements: Iterable[Activity], *, today: datetime.date | None = None
) -> list[Check]:
    """Every commitment of these agreements (those the user reads), judged."""
    today = today or datetime.date.today()
    with without_cyclic_gc():  # the facts of every agreement are held until the end
        agreements = list(agreements)
        facts = gather(user, agreements)
        results = []
        for agreement in agreements:
            for commitment in facts.commitments.get(agreement.pk, ()):
                results.append(judge(agreement, commitment, facts, today))
    return results


def check_all(user, *, agreement=None, today=None) -> list[Check]:
    """The commitments of every agreement the user reads (or of one)."""
    agreements = readable(Activity, user).filter(kind=Kind.AGREEMENT)
    if agreement is not None:
        agreements = agreements.filter(pk=agreement.pk if hasattr(agreement, "pk") else agreement)
    return check(user, agreements.order_by("pk"), today=today)


def observed_for(agreement: Activity, commitment: Commitment, facts: Facts) -> list[Observed]:
    """The activities that fulfil ``commitment``: linked by staff or found by the rule."""
    kinds = KINDS.get(commitment.area, ())
    confirmed, rejected, linked = set(), set(), set()
    for activity, relation, linked_commitment in facts.links.get(agreement.pk, ()):
        row = facts.activities.get(activity)
        if row is None:
            continue
        mine = linked_commitment == commitment.pk or (
            linked_commitment is None and row["kind"] in kinds
        )
        if not mine:
            continue
        if relation == LinkRelation.FULFILS:
            confirmed.add(activity)
        elif relation == LinkRelation.NOT_FULFILS:
            rejected.add(activity)
        else:
            linked.add(activity)
    wanted = set(commitment.alternate_codes)
    fits = _rule_of(commitment, facts)
    observed = []

    def consider(row: dict, is_confirmed: bool) -> None:
        if row["kind"] in kinds and fits(row):
            observed.append(_observed(commitment, row, facts, is_confirmed, wanted))

    for activity in confirmed - rejected:
        row = facts.activities[activity]
        # staff's confirmation is the evidence: an exchange they linked counts even where
        # its category or direction is not recorded (the rule's filters are for suggestions)
        confirmed_fits = row["kind"] == Kind.EXCHANGE or fits(row)
        if row["exchange_status"] != "cancelled" and row["kind"] in kinds and confirmed_fits:
            observed.append(_observed(commitment, row, facts, True, wanted))
    term = _within_term(agreement, facts)
    for activity in linked - confirmed - rejected:
        row = facts.activities[activity]
        if term.admits(row):
            consider(row, False)
    for kind in kinds:
        for row in term.candidates.get(kind, ()):
            if row["pk"] not in confirmed and row["pk"] not in rejected and row["pk"] not in linked:
                consider(row, False)
    observed.sort(key=lambda o: (o.date or "9999", o.activity_id))
    return observed


@dataclass
class Term:
    """An agreement's term, and the rule's candidates that began within it, by kind: worked
    out once per agreement and shared by its commitments (a hub's agreement has thousands)."""

    start: datetime.date | None
    end: datetime.date | None
    candidates: dict[str, list[dict]] = field(default_factory=dict)

    def admits(self, row: dict) -> bool:
        """Not cancelled, and begun within the term where its start is known."""
        if row["exchange_status"] == "cancelled":
            return False
        begun = row["begun"]
        return begun is None or not (
            (self.start and begun < self.start) or (self.end and begun > self.end)
        )


def _within_term(agreement: Activity, facts: Facts) -> Term:
    term = facts.terms.get(agreement.pk)
    if term is None:
        term = Term(first_day(agreement.start), last_day(agreement.end))
        start, end, rows, by_kind = term.start, term.end, facts.activities, term.candidates
        for activity in facts.candidates.get(agreement.pk, ()):  # Term.admits, inlined: a
            row = rows.get(activity)  # hub's agreements have hundreds of thousands in all
            if row is None or row["exchange_status"] == "cancelled":
                continue
            begun = row["begun"]
            if begun is not None and ((start and begun < start) or (end and begun > end)):
                continue
            by_kind.setdefault(row["kind"], []).append(row)
        facts.terms[agreement.pk] = term
    return term


def _rule_of(commitment: Commitment, facts: Facts):
    """Whether an activity of the right kind fits the commitment's rule: worked out once per
    commitment, asked of each of its candidates (a hub's agreement has thousands)."""
    if commitment.area == CommitmentArea.JOINT_EVENTS:
        return lambda row: row["category"] != "event_series"  # the editions, not the series
    if commitment.area != CommitmentArea.EXCHANGES:
        return lambda row: True
    categories = set(commitment.categories)
    side = None
    if commitment.direction:
        side = facts.receiving if commitment.direction == Direction.INCOMING else facts.sending

    def fits(row: dict) -> bool:
        if categories and row["exchange_category"] not in categories:
            return False
        return side is None or bool(side.get(row["pk"], set()) & facts.in_region)

    return fits


def _observed(commitment, row, facts, confirmed, wanted: set[str]) -> Observed:
    found = facts.countries.get(row["pk"], [])
    country = next((c for c in found if c in wanted), None) if wanted else (found or [None])[0]
    people = person_months = None
    if row["kind"] == Kind.EXCHANGE:
        people = row["headcount"] or facts.people.get(row["pk"]) or None
        begun, ended = first_day(row["start"]), last_day(row["end"])
        if people and begun and ended and len(row["start"]) == 10:  # known to the day
            person_months = round(people * ((ended - begun).days + 1) / 30.44, 1)
    return Observed(
        row["pk"], row["uid"], row["title_en"], row["title_fr"], row["start"], row["end"],
        country, confirmed, people, person_months, facts.sources.get(row["pk"], []),
    )  # fmt: skip


def judge(agreement: Activity, commitment: Commitment, facts: Facts, today) -> Check:
    observed = observed_for(agreement, commitment, facts)
    result = Check(agreement, commitment, "not_checkable", {}, observed)
    status = effective_status(agreement, today)
    if status in (AgreementStatus.DRAFT, AgreementStatus.UNDER_REVIEW):
        result.reason = both("The agreement is not signed yet: its commitments do not bind.")
        return result
    area = commitment.area
    if area == CommitmentArea.JOINT_EVENTS:
        _events(result, today)
    elif area == CommitmentArea.EXCHANGES:
        _exchanges(result, today)
    elif area == CommitmentArea.JOINT_PROJECTS:
        _projects(result, today)
    else:
        result.reason = both("No rule checks this key area against recorded activities.")
    suggested = len(result.suggested)
    if suggested:  # for staff: the public summary leaves it out
        result.note = both("%(count)s found by the rule await confirmation.", count=suggested)
    return result


def _term_years(agreement, today):
    start, end = first_day(agreement.start), last_day(agreement.end)
    return start, end, bool(end and end < today)


def _events(result: Check, today) -> None:
    c, agreement = result.commitment, result.agreement
    alternates = c.alternate_codes
    dated = [o for o in result.observed if o.date]
    undated = len(result.observed) - len(dated)
    broken = None
    if alternates:
        placed = [o for o in dated if o.country]
        for before, after in itertools.pairwise(placed):
            if before.country == after.country:
                broken = (before, after)
        last = placed[-1].country if placed else None
        if last:
            recent = [o.country for o in placed][-(len(alternates) - 1) :]
            result.next_country = next(code for code in alternates if code not in recent)
    where = Places(
        [result.next_country] if result.next_country else alternates
    )  # named in each sentence's language
    if broken:
        result.status = "broken"
        result.reason = both(
            "«%(first)s» and «%(second)s» were both held in %(country)s: the agreement says "
            "they alternate.",
            first=broken[0].title_en,
            second=broken[1].title_en,
            country=Country(broken[0].country),
        )
    start, end, ended = _term_years(agreement, today)
    interval = {Cadence.YEARLY: 1, Cadence.BIENNIAL: 2}.get(c.cadence)
    years = sorted({int(o.date[:4]) for o in dated})
    if interval:
        if not years and start is None:
            if not broken:
                result.reason = both(
                    "Neither the agreement's start nor any joint event's date is recorded: "
                    "the cadence cannot be checked."
                )
            result.next_text = both("Next joint event: %(where)s; no date can be set.", where=where)
            return
        due = years[-1] + interval if years else start.year + interval - 1
        gaps = [b - a for a, b in itertools.pairwise(years) if b - a > interval]
        if not broken:
            if ended:
                ok = not gaps and years and years[-1] >= end.year - interval + 1
                result.status = "met" if ok else "broken"
            elif today.year > due:
                result.status = "late"
            elif today.year == due:
                result.status = "due"
            else:
                result.status = "on_track"
            result.reason = both(
                "%(count)s joint events recorded, the last in %(last)s; one is due %(cadence)s.",
                count=len(dated),
                last=years[-1] if years else "—",
                cadence=Cadence(c.cadence).label,
            )
        result.next_by = str(due)
        result.next_text = both(
            "Next joint event due in %(where)s by the end of %(year)s.", where=where, year=due
        )
        return
    if c.count and c.period:
        _counted(result, len(dated) + undated, today, what="events")
        if result.next_text and alternates:
            result.next_text = {k: f"{v} ({where})" for k, v in result.next_text.items()}
        return
    if broken:
        return
    if not result.observed:
        result.reason = both(
            "The agreement sets no cadence and no joint event is recorded: nothing can be "
            "checked yet."
        )
    elif alternates and (undated or any(not o.country for o in dated)):
        result.reason = both(
            "%(count)s joint events recorded; where or when some were held is not recorded, "
            "so the alternation cannot be checked; the agreement sets no cadence.",
            count=len(result.observed),
        )
    else:
        result.status = "on_track"
        result.reason = both(
            "%(count)s joint events recorded, alternating as agreed; the agreement sets no "
            "cadence.",
            count=len(result.observed),
        )
    result.next_text = both("Next joint event: %(where)s; no date is set.", where=where)


def _counted(result: Check, total_so_far: float, today, *, what: str, this_year=None) -> None:
    """Verdict of "N per year" or "N over the term" from the amounts observed."""
    c, agreement = result.commitment, result.agreement
    _start, end, ended = _term_years(agreement, today)
    label = CommitmentArea(c.area).label  # lazy: written only in a sentence that is read
    if c.period == CommitmentPeriod.YEAR:
        current = this_year if this_year is not None else total_so_far
        result.progress = both(
            "%(done)s of %(count)s %(what)s this year.", done=_n(current), count=c.count, what=label
        )
        result.status = "on_track" if current >= c.count else "due"
        result.reason = result.progress.copy()
        result.next_by = str(today.year)
        result.next_text = both(
            "%(left)s more %(what)s by the end of %(year)s.",
            left=_n(max(c.count - current, 0)),
            what=label,
            year=today.year,
        )
        return
    result.progress = both(
        "%(done)s of %(count)s %(what)s over the term.",
        done=_n(total_so_far),
        count=c.count,
        what=label,
    )
    result.reason = result.progress.copy()
    if total_so_far >= c.count:
        result.status = "met"
        return
    if end is None:
        result.reason = both(
            "%(done)s of %(count)s %(what)s; the agreement's end is not recorded, so whether "
            "the rest comes in time cannot be told.",
            done=_n(total_so_far),
            count=c.count,
            what=label,
        )
        return
    result.status = "broken" if ended else "due"
    result.next_by = end.isoformat()
    result.next_text = both(
        "%(left)s more %(what)s by %(date)s.",
        left=_n(c.count - total_so_far),
        what=label,
        date=end.isoformat(),
    )


def _n(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _exchanges(result: Check, today) -> None:
    c = result.commitment
    months = c.measure == CommitmentMeasure.PERSON_MONTHS
    amounts = [(o.person_months if months else o.people) for o in result.observed]
    unknown = sum(1 for a in amounts if a is None)
    total = sum(a for a in amounts if a is not None)
    this_year = sum(
        a
        for o, a in zip(result.observed, amounts, strict=True)
        if a and o.date[:4] == str(today.year)
    )
    if not c.count:
        result.reason = both(
            "The agreement states no number of exchanges; %(count)s recorded (%(people)s "
            "people known).",
            count=len(result.observed),
            people=_n(sum(o.people or 0 for o in result.observed)),
        )
        return
    _counted(result, total, today, what="exchanges", this_year=this_year)
    if unknown:
        note = both(
            "%(count)s exchanges do not say how many people or for how long.", count=unknown
        )
        for language in LANGUAGES:
            result.reason[language] = f"{result.reason[language]} {note[language]}"
        if result.status in ("due", "broken"):
            result.status = "not_checkable"


def _projects(result: Check, today) -> None:
    c = result.commitment
    active = [
        o
        for o in result.observed
        if (not o.date or first_day(o.date) <= today) and (not o.end or last_day(o.end) >= today)
    ]
    if not c.count:
        result.reason = both(
            "The agreement states no number of joint projects; %(count)s active recorded.",
            count=len(active),
        )
        return
    result.progress = both(
        "%(done)s of %(count)s active joint projects.", done=len(active), count=c.count
    )
    result.reason = result.progress.copy()
    result.status = "on_track" if len(active) >= c.count else "due"
    if result.status == "due":
        result.next_text = both(
            "%(left)s more active joint projects needed.", left=c.count - len(active)
        )


def verdict_label(status: str) -> str:
    return str(VERDICT_LABELS.get(status, status))


def _labels():
    from django.utils.translation import gettext_lazy

    return {
        "met": gettext_lazy("met"),
        "on_track": gettext_lazy("on track"),
        "due": gettext_lazy("due"),
        "late": gettext_lazy("late"),
        "broken": gettext_lazy("broken"),
        "not_checkable": gettext_lazy("not checkable"),
    }


VERDICT_LABELS = _labels()
