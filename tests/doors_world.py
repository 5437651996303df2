"""One small world for the back-office doors: a user of each role and planted records.

Everything confidential carries the marker ``ZYXQ`` (and the confidential person's
ORCID), owned by an editor, "keeper", who names no reader: no other role may see
the marker on any page. Public records point at the confidential ones (a parent,
a place, a topic, a cited source), so that a page of a public record would show a
confidential name if a door forgot the rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from passerelle.access.roles import ensure_roles
from passerelle.activities.agreement_models import AgreementDocument
from passerelle.activities.models import (
    Activity,
    AgendaItem,
    Commitment,
    FollowUp,
    Participation,
)
from passerelle.core.identifiers import ror_checksum
from passerelle.core.models import Citation, Source
from passerelle.ingest.models import ExternalRecord, ImportConflict
from passerelle.portal.models import (
    ActivityWording,
    FeaturedActivity,
    Introduction,
    SectionSetting,
)
from passerelle.registry.models import Identifier, Organization, Person, Place, Topic

MARKER = "ZYXQ"
SECRET_ORCID = "0000-0002-1825-0097"
STAFF_ROLES = ("viewer", "contributor", "editor", "administrator")


def ror(body: str) -> str:
    return body + ror_checksum(body)


@dataclass
class World:
    users: dict
    secret: dict = field(default_factory=dict)  # model label -> the confidential row
    open: dict = field(default_factory=dict)  # names -> public or internal rows

    def markers(self) -> list[str]:
        return [MARKER, MARKER.lower(), SECRET_ORCID, self.secret["ror"]]


def make_users() -> dict:
    ensure_roles()
    make = get_user_model().objects.create_user
    users = {}
    for role in STAFF_ROLES:
        user = make(f"door-{role}", password="pw-doors-1", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        users[role] = user
    users["keeper"] = make("door-keeper", is_staff=True)
    users["keeper"].groups.add(Group.objects.get(name="editor"))
    users["other"] = make("door-other", is_staff=True)
    users["other"].groups.add(Group.objects.get(name="contributor"))
    return users


def plant() -> World:
    users = make_users()
    keeper, world = users["keeper"], World(users)
    hidden = {"visibility": "confidential", "owner": keeper}

    place = Place.objects.create(name_en=f"{MARKER} Town", country="IT", **hidden)
    topic = Topic.objects.create(name_en=f"{MARKER} topic", slug="zyxq-topic", **hidden)
    source = Source.objects.create(
        title=f"{MARKER} memo", url="https://zyxq.example.org/", **hidden
    )
    org = Organization.objects.create(name=f"{MARKER} Institute", kind="university", **hidden)
    secret_ror = ror("0zyxq1a")
    ident = Identifier.objects.create(organization=org, scheme="ror", value=secret_ror)
    org.names.create(value=f"{MARKER} alias", kind="alias")
    person = Person.objects.create(family_name=f"{MARKER} Person", **hidden)
    person.identifiers.create(scheme="orcid", value=SECRET_ORCID)
    agreement = Activity.objects.create(
        title_en=f"{MARKER} agreement", kind="agreement", status="under_review", **hidden
    )
    commitment = Commitment.objects.create(
        agreement=agreement, area="joint_events", text_en=f"{MARKER} commitment"
    )
    document = AgreementDocument.objects.create(  # its row only: no file is written
        agreement=agreement, kind="signed", title=f"{MARKER} signed text",
        file="agreements/doors.pdf", sha256="0" * 64, size=1, media_type="application/pdf",
    )  # fmt: skip
    delegation = Activity.objects.create(
        title_en=f"{MARKER} delegation", kind="delegation", direction="incoming", **hidden
    )
    follow_up = FollowUp.objects.create(
        delegation=delegation, action_en=f"{MARKER} follow-up", owner=keeper
    )
    AgendaItem.objects.create(delegation=delegation, meeting=f"{MARKER} meeting")

    lyon = Place.objects.create(name_en="Lyon", country="FR", visibility="public")
    oncology = Topic.objects.create(
        name_en="Door oncology", slug="door-oncology", visibility="public"
    )
    open_source = Source.objects.create(
        title="Open memo", url="https://open.example.org/", visibility="public"
    )
    public = Organization.objects.create(
        name="Open Org old", kind="university", visibility="public", parent=org, place=place
    )
    public.name = "Open Org"
    public.save()  # a version to revert to
    public.topics.add(topic, oncology)
    public.identifiers.create(scheme="website", value="https://open-org.example.org")
    Citation.objects.create(source=source, cited=public, quotation=f"{MARKER} quote")
    open_citation = Citation.objects.create(source=open_source, cited=public, quotation="Open")
    project = Activity.objects.create(title_en="Open project", kind="project", visibility="public")
    project.topics.add(topic)
    open_tie = Participation.objects.create(activity=project, organization=public, role="partner")
    Participation.objects.create(activity=project, organization=org, role="partner")
    secret_tie = Participation.objects.create(activity=agreement, organization=public, role="party")
    Participation.objects.create(activity=agreement, organization=org, role="party")
    open_agreement = Activity.objects.create(
        title_en="Open agreement", kind="agreement", status="active", visibility="public"
    )
    open_commitment = Commitment.objects.create(
        agreement=open_agreement, area="joint_events", text_en="Open commitment"
    )
    own_draft = Organization.objects.create(
        name="Camille draft", kind="company", draft=True, owner=users["contributor"]
    )
    own_activity = Activity.objects.create(
        title_en="Camille project", kind="project", draft=True, owner=users["contributor"]
    )
    other_draft = Organization.objects.create(
        name="Other draft", kind="company", draft=True, owner=users["other"]
    )
    spare = Organization.objects.create(name="Spare Org", kind="company", visibility="public")

    conflict = ImportConflict.objects.create(
        organization=org, field="name", ours=f"{MARKER} ours", theirs=f"{MARKER} theirs"
    )
    external = ExternalRecord.objects.create(
        organization=org, external_id=secret_ror, digest="0" * 64, values={"name": MARKER}
    )
    from passerelle.ingest.merging import merge
    from passerelle.ingest.submissions import Proposal, Submission

    submission = Submission.objects.create(
        title=f"{MARKER} release", text=f"{MARKER} signed an agreement.", language="en", **hidden
    )
    proposal = Proposal.objects.create(
        submission=submission, type="organization", name=f"{MARKER} proposed", fingerprint="x"
    )

    twin = Organization.objects.create(name=f"{MARKER} twin", kind="university", **hidden)
    merged = merge(org, twin)
    featured = FeaturedActivity.objects.create(activity=agreement, position=1)
    FeaturedActivity.objects.create(activity=project, position=2)
    wording = ActivityWording.objects.create(activity=agreement, headline_en=f"{MARKER} headline")
    section = SectionSetting.objects.get_or_create(key="networks", defaults={"position": 1})[0]
    introduction = Introduction.objects.update_or_create(
        page="home", language="en", defaults={"text": "Welcome"}
    )[0]

    world.secret = {
        "core.source": source,
        "core.citation": Citation.objects.get(quotation=f"{MARKER} quote"),
        "registry.place": place,
        "registry.topic": topic,
        "registry.organization": org,
        "registry.person": person,
        "registry.identifier": ident,
        "activities.activity": agreement,
        "activities.participation": secret_tie,
        "activities.commitment": commitment,
        "activities.agreementdocument": document,
        "activities.followup": follow_up,
        "ingest.importconflict": conflict,
        "ingest.externalrecord": external,
        "ingest.merge": merged,
        "ingest.submission": submission,
        "ingest.proposal": proposal,
        "portal.featuredactivity": featured,
        "portal.activitywording": wording,
        "ror": secret_ror,
    }
    world.open = {
        "org": public,
        "lyon": lyon,
        "project": project,
        "open_tie": open_tie,
        "open_citation": open_citation,
        "open_agreement": open_agreement,
        "open_commitment": open_commitment,
        "own_draft": own_draft,
        "own_activity": own_activity,
        "other_draft": other_draft,
        "spare": spare,
        "section": section,
        "introduction": introduction,
        "website": public.identifiers.get(),
    }
    return world
