"""The review queue: a text becomes proposals, and each proposal staff accept a record.

Nothing is written to the registry or the activities before review. A proposal
accepted becomes a record through the same path as any edit (``full_clean``,
``core.authoring``: a contributor's record is a draft it owns), or, when it
matched an existing record, is linked to it; in both cases the record cites the
submission's Source with the sentence as its quotation. The history of every row
says who did what.

A text submitted again finds the records the first review created: the gazetteer
is rebuilt when records change, and a proposal whose fingerprint (its type and
its folded name, or an activity's kind and sentence) was accepted before is
proposed as a match to the record it became.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passerelle.activities.models import Activity, Participation
from passerelle.activities.vocabulary import CATEGORIES_BY_KIND, ROLES_BY_KIND
from passerelle.core import authoring
from passerelle.core.models import Citation, Source
from passerelle.core.text import fold
from passerelle.core.users import AnyUser
from passerelle.registry.models import Organization, OrganizationName, Person, Place

from .extraction import ExtractionError, extract_document
from .extraction.reading import Document
from .submissions import Proposal, Submission

KINDS = {  # the shared shape's organization kinds → the registry's
    "institute": "research_institute",
    "hospital": "hospital",
    "university": "university",
    "cluster": "cluster",
    "company": "company",
    "agency": "agency",
    "funder": "funder",
    "government": "government",
    "network": "network",
    "other": "other",
}
ACTIVITY_KINDS = {
    "agreement": "agreement",
    "event": "event",
    "delegation": "delegation",
    "exchange": "exchange",
    "project": "project",
    "program": "program",
    "funding": "program",
    "network_membership": "membership",
    "other": "project",
}
MODELS = {"organization": Organization, "person": Person, "place": Place, "activity": Activity}


class ReviewError(ValueError):
    """A proposal that cannot be accepted as it stands: said with the proposal named."""


def fingerprint(type_: str, name: str, sentence: str = "") -> str:
    words = " ".join(fold(name).split())
    if type_ == "activity":
        return f"activity:{words}:{' '.join(fold(sentence).split())}"[:300]
    return f"{type_}:{words}"[:300]


def submit(
    document: Document,
    user: AnyUser,
    *,
    title: str = "",
    language: str | None = None,
    use_model: bool = True,
) -> Submission:
    """Store a text and its proposals (no record is written)."""
    if not authoring.may_add(user, Submission):
        raise PermissionDenied
    extraction = extract_document(document, language=language, use_model=use_model)
    result = extraction.as_json()
    submission = Submission(
        title=(title or document.title or _first_line(document.text))[:300],
        url=document.url,
        text=document.text,
        language=result["language"],
        published=result["published"] or "",
        media=document.media,
        visibility="internal",
    )
    authoring.start(submission, user)
    submission._history_user = user
    with transaction.atomic():
        submission.full_clean()
        submission.save()
        for proposal in _proposals(submission, result):
            proposal.save()
    return submission


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), _("Pasted text"))


def _proposals(submission: Submission, result: dict) -> list[Proposal]:
    rows = []
    for type_, key in (
        ("organization", "organizations"),
        ("person", "people"),
        ("place", "places"),
    ):
        for item in result[key]:
            where = (item.get("mentions") or [{}])[0]
            name = item.get("name") or ", ".join(
                p for p in (item.get("city"), item.get("country")) if p
            )
            rows.append(
                _proposal(
                    submission,
                    type_,
                    name,
                    item,
                    where.get("sentence", ""),
                    where.get("start", 0),
                    where.get("end", 0),
                    kind=item.get("kind") or "",
                )
            )
    for item in result["activities"]:
        item = {
            **item,
            "topics": [
                t["slug"] for t in result["topics"] if item["start"] <= t["start"] < item["end"]
            ],
        }
        rows.append(
            _proposal(
                submission,
                "activity",
                item["label"],
                item,
                item["sentence"],
                item["start"],
                item["end"],
                kind=item["kind"],
            )
        )
    return rows


def _proposal(submission, type_, name, item, sentence, start, end, *, kind) -> Proposal:
    proposal = Proposal(
        submission=submission,
        type=type_,
        name=name[:300],
        kind=kind[:20],
        data=item,
        sentence=sentence,
        start=start,
        end=end,
        fingerprint=fingerprint(type_, name, sentence),
    )
    match = item.get("match")
    if match and match.get("id"):
        proposal.match_uid = match["id"]
        proposal.match_name = match.get("name", "")[:300]
        proposal.match_score = match.get("score")
        proposal.match_reasons = "; ".join(match.get("reasons", []))[:300]
    else:
        earlier = (
            Proposal.objects.filter(
                fingerprint=proposal.fingerprint, status="accepted", record_uid__isnull=False
            )
            .order_by("-reviewed")
            .first()
        )
        if earlier is not None and _record(type_, earlier.record_uid) is not None:
            proposal.match_uid = earlier.record_uid
            proposal.match_name = str(_record(type_, earlier.record_uid))[:300]
            proposal.match_score = 100.0
            proposal.match_reasons = _("accepted from an earlier text")
    return proposal


def _record(type_: str, uid):
    return MODELS[type_].objects.filter(uid=uid).first()


@dataclass
class Outcome:
    record: object
    created: bool
    message: str


def may_review(user: AnyUser, proposal: Proposal) -> bool:
    return authoring.may_change(user, proposal.submission)


def reject(proposal: Proposal, user: AnyUser) -> None:
    if not may_review(user, proposal):
        raise PermissionDenied
    proposal.status = Proposal.Status.REJECTED
    proposal.reviewed_by = user
    proposal.reviewed = timezone.now()
    proposal._history_user = user
    proposal.save()


def accept(proposal: Proposal, user: AnyUser) -> Outcome:
    """The proposal as a record (new, or the one it matched), citing the text's sentence."""
    if not may_review(user, proposal):
        raise PermissionDenied
    if proposal.status == Proposal.Status.ACCEPTED:
        raise ReviewError(_("%(proposal)s is already accepted") % {"proposal": proposal})
    with transaction.atomic():
        source = _source(proposal.submission, user)
        record = None
        if proposal.match_uid:
            record = (
                MODELS[proposal.type]
                .objects.restrict(user, "view")
                .filter(uid=proposal.match_uid)
                .first()
            )
        created = record is None
        if created:
            record = _create(proposal, user)
        _cite(record, source, proposal, user)
        proposal.status = Proposal.Status.ACCEPTED
        proposal.record_uid = record.uid
        proposal.reviewed_by = user
        proposal.reviewed = timezone.now()
        proposal.outcome = (
            _("created «%(record)s»") if created else _("linked to «%(record)s»")
        ) % {"record": record}
        proposal._history_user = user
        proposal.save()
    return Outcome(record, created, proposal.outcome)


def _source(submission: Submission, user: AnyUser) -> Source:
    submission.refresh_from_db(fields=["source"])  # another proposal of it may have made it
    if submission.source_id:
        return submission.source
    source = Source(
        title=submission.title,
        url=submission.url,
        document=""
        if submission.url
        else _("text submitted for extraction #%(id)d") % {"id": submission.pk},
        published=submission.published,
        accessed=datetime.date.today().isoformat(),
        visibility="internal",
    )
    authoring.start(source, user)
    source._history_user = user
    source.full_clean()
    source.save()
    submission.source = source
    submission._history_user = user
    submission.save(update_fields=["source", "updated"])
    return source


def _cite(record, source: Source, proposal: Proposal, user: AnyUser) -> None:
    """The sentence as the record's citation, where the user may change the record."""
    if not authoring.may_change(user, record):
        return  # a contributor links to a published record without changing it
    content_type = ContentType.objects.get_for_model(type(record))
    Citation.objects.get_or_create(
        source=source,
        content_type=content_type,
        object_id=record.pk,
        defaults={"quotation": proposal.sentence[:2000]},
    )


def _save(record, user: AnyUser) -> None:
    authoring.start(record, user)
    record._history_user = user
    if hasattr(record, "visibility"):
        record.visibility = "internal"
    try:
        record.full_clean()
    except ValidationError as error:
        raise ReviewError(
            "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
            )
        ) from None
    record.save()


def _create(proposal: Proposal, user: AnyUser):
    data = proposal.data
    if proposal.type == "organization":
        if not authoring.may_add(user, Organization):
            raise PermissionDenied
        aliases = data.get("aliases") or []
        acronym = next((a for a in aliases if a.isupper() and len(a) <= 20), "")
        org = Organization(
            name=proposal.name,
            kind=KINDS.get(proposal.kind or data.get("kind"), "other"),
            acronym=acronym,
            place=_place_for(data.get("city"), data.get("country"), user),
        )
        _save(org, user)
        for alias in aliases:
            if alias != acronym and alias != org.name:
                OrganizationName.objects.create(organization=org, value=alias[:300], kind="alias")
        return org
    if proposal.type == "person":
        words = proposal.name.split()
        title = {"Pr.": "pr", "Dr.": "dr"}.get(data.get("title") or "", "")
        person = Person(
            given_name=" ".join(words[:-1])[:100],
            family_name=(words[-1] if words else "")[:100],
            title=title,
        )
        _save(person, user)
        return person
    if proposal.type == "place":
        place = _place_for(data.get("city"), data.get("country"), user, create=True)
        if place is None:
            raise ReviewError(_("%(proposal)s: no country to place it in") % {"proposal": proposal})
        return place
    return _create_activity(proposal, user)


def _place_for(city, country, user, *, create: bool = False) -> Place | None:
    if not country:
        return None
    places = Place.objects.restrict(user, "view").filter(country=country)
    if city:
        found = (
            places.filter(name_en__iexact=city).first()
            or places.filter(name_fr__iexact=city).first()
        )
    else:
        found = places.filter(name_en="", name_fr="", region="").first()
    if found is not None or not create:
        return found
    place = Place(name_en=city or "", country=country)
    _save(place, user)
    return place


def _create_activity(proposal: Proposal, user: AnyUser) -> Activity:
    data = proposal.data
    kind = ACTIVITY_KINDS.get(proposal.kind or data.get("kind"), "project")
    title = proposal.name[:1].upper() + proposal.name[1:]
    activity = Activity(kind=kind, start=data.get("date") or "")
    if proposal.submission.language == "fr":
        activity.title_fr = title[:300]
        activity.title_en = title[:300]
    else:
        activity.title_en = title[:300]
    if kind == "agreement":
        signed = any(w in fold(proposal.sentence) for w in ("sign", "conclu", "renew", "renouvel"))
        activity.status = "signed" if signed else "under_review"
        if signed:
            activity.signed_on = data.get("date") or ""
    if kind == "event" and data.get("edition"):
        activity.edition = data["edition"]
    category = data.get("category") or ""
    if category in CATEGORIES_BY_KIND.get(kind, ()):
        activity.category = category
    _save(activity, user)
    # participants: the proposals of the same text they name, once accepted or matched
    siblings = {}
    for sibling in proposal.submission.proposals.filter(type__in=("organization", "person")):
        siblings[sibling.data.get("name") or sibling.name] = sibling
        siblings.setdefault(sibling.name, sibling)
    skipped = []
    allowed = ROLES_BY_KIND.get(kind, ())
    for role in data.get("roles") or []:
        sibling = siblings.get(role["name"])
        uid = sibling and (sibling.record_uid or sibling.match_uid)
        actor = _record(sibling.type, uid) if uid else None
        if actor is None:
            skipped.append(role["name"])
            continue
        participation = Participation(
            activity=activity,
            role=role["role"]
            if role["role"] in allowed
            else (allowed[0] if allowed else "participant"),
            **{sibling.type: actor},
        )
        try:
            participation.full_clean()
        except ValidationError:
            skipped.append(role["name"])
            continue
        participation._history_user = user
        participation.save()
    if skipped:
        proposal.outcome = ""
        proposal.data = {**data, "participants_not_reviewed": skipped}
    return activity


def read_error(error: ExtractionError) -> str:
    return str(error)
