"""Embeddings follow the edits in runs of one task: an edit asks for a run unless one is
waiting, and a run embeds every entry written since it was last embedded."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from django.core.cache import cache
from django.utils import timezone

from passerelle.registry.models import Organization
from passerelle.search import semantic, tasks
from passerelle.search.models import Embedding, SearchEntry

#: The task itself, before a test replaces the module's name with a counter (``runs``).
EMBED_CHANGES = tasks.embed_changes

pytestmark = pytest.mark.skipif(not semantic.available(), reason="no semantic extra")


@pytest.fixture
def embedded(monkeypatch):
    """The model replaced by one that records what it is asked to read (a vector per text)."""
    read: list[str] = []

    def embed(texts):
        read.extend(text.split(". ")[0] for text in texts)  # the title
        vectors = np.ones((len(texts), semantic.DIMENSIONS), dtype="float32")
        return vectors / np.linalg.norm(vectors[0])

    monkeypatch.setattr(semantic, "embed", embed)
    return read


@pytest.fixture
def runs(monkeypatch):
    """Each run of the embedding task asked for, run at once as the immediate backend does."""
    asked: list[int] = []

    class Counted:
        def enqueue(self, *args, **kwargs):
            asked.append(1)
            return EMBED_CHANGES.enqueue(*args, **kwargs)

    monkeypatch.setattr(tasks, "embed_changes", Counted())
    return asked


def _organization(name: str) -> Organization:
    return Organization.objects.create(name=name, kind="other", visibility="public")


def _entry(organization: Organization) -> SearchEntry:
    return SearchEntry.objects.get(kind="organization", object_id=organization.pk)


def test_an_edit_is_embedded_by_the_run_it_asks_for(
    db, embedded, runs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        oncology = _organization("Quokka Oncology Institute")
    assert runs  # one, and one more when the queue reindexes what quotes it
    embedding = Embedding.objects.get(entry=_entry(oncology))
    assert embedding.entry_updated == _entry(oncology).updated
    assert embedded == ["Quokka Oncology Institute"]

    with django_capture_on_commit_callbacks(execute=True):
        oncology.name = "Wombat Oncology Institute"
        oncology.save()
    assert embedded[-1] == "Wombat Oncology Institute"
    assert Embedding.objects.get(entry=_entry(oncology)).pk != embedding.pk  # a new vector
    assert not semantic.waiting(timezone.now() - timedelta(hours=1)).exists()


def test_edits_while_a_run_waits_ask_for_no_other_and_it_embeds_them_all(
    db, embedded, runs, django_capture_on_commit_callbacks
):
    cache.add(tasks.EMBEDDING_ASKED, True)  # a run is waiting in the queue
    with django_capture_on_commit_callbacks(execute=True):
        first = _organization("Quokka Institute")
    with django_capture_on_commit_callbacks(execute=True):
        second = _organization("Wombat Institute")
    assert runs == [] and not Embedding.objects.exists()

    assert EMBED_CHANGES.call() == 2  # the run that was waiting
    assert sorted(embedded) == ["Quokka Institute", "Wombat Institute"]
    assert Embedding.objects.filter(entry__in=[_entry(first), _entry(second)]).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        _organization("Numbat Institute")  # the flag went with the run: this edit asks again
    assert runs and embedded[-1] == "Numbat Institute"


def test_an_entry_written_with_the_same_text_is_marked_seen_not_embedded_again(
    db, embedded, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        institute = _organization("Quokka Institute")
    vector = Embedding.objects.get(entry=_entry(institute))
    SearchEntry.objects.filter(pk=vector.entry_id).update(  # another column moved
        updated=timezone.now() + timedelta(seconds=1), activities=3
    )
    since = timezone.now() - timedelta(hours=1)
    assert list(semantic.waiting(since)) == [_entry(institute)]

    assert EMBED_CHANGES.call() == 0
    assert embedded == ["Quokka Institute"]  # not read a second time
    assert Embedding.objects.get(entry=_entry(institute)).pk == vector.pk
    assert not semantic.waiting(since).exists()


def test_old_entries_never_embedded_wait_for_reindex_and_a_long_list_takes_several_runs(
    db, embedded, runs, monkeypatch, django_capture_on_commit_callbacks
):
    bulk = [_organization(f"Bulk {n}") for n in range(3)]
    SearchEntry.objects.filter(object_id__in=[o.pk for o in bulk]).update(
        updated=timezone.now() - timedelta(days=2)  # loaded in bulk two days ago
    )
    recent = [_organization(f"Recent {n}") for n in range(5)]
    monkeypatch.setattr(tasks, "EMBEDDING_RUN", 2)

    with django_capture_on_commit_callbacks(execute=True):
        EMBED_CHANGES.call()
    assert len(runs) == 2  # 2 + 2 + 1: the first run asked twice more
    assert sorted(embedded) == sorted(o.name for o in recent)
    assert not Embedding.objects.filter(entry__object_id__in=[o.pk for o in bulk]).exists()
