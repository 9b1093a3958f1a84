"""The synthetic graph generator: deterministic, consistent, and shaped like real reporting."""

from __future__ import annotations

import gc
import math
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from actorgraph.graph.model import (
    ActorKind,
    Attestation,
    DatePrecision,
    Predicate,
    Stance,
    Status,
    derive_status,
)
from actorgraph.graph.sqlite import SQLiteStore
from actorgraph.graph.store import GraphBatch, check_batch
from bench.synthetic import generate


@pytest.fixture(scope="module")
def batch() -> GraphBatch:
    return generate(actors=300, claims=2000)


def by_claim(batch: GraphBatch) -> dict[str, list[Attestation]]:
    grouped: dict[str, list[Attestation]] = defaultdict(list)
    for att in batch.attestations:
        grouped[att.claim].append(att)
    return grouped


def statuses(batch: GraphBatch) -> Counter[Status]:
    grouped = by_claim(batch)
    return Counter(derive_status(c.subject, grouped[c.id]) for c in batch.claims)


def test_the_same_seed_gives_an_equal_batch(batch: GraphBatch) -> None:
    assert generate(actors=300, claims=2000, seed=0) == batch


def test_another_seed_gives_another_batch(batch: GraphBatch) -> None:
    other = generate(actors=300, claims=2000, seed=1)
    assert other != batch
    assert {a.id for a in other.actors} != {a.id for a in batch.actors}
    assert {c.id for c in other.claims} != {c.id for c in batch.claims}


@pytest.mark.parametrize(("actors", "claims"), [(8, 0), (8, 50), (40, 100), (300, 2000)])
def test_counts_are_as_asked_and_ids_unique(actors: int, claims: int) -> None:
    made = generate(actors=actors, claims=claims, seed=3)
    assert len(made.actors) == actors
    assert len(made.claims) == claims
    assert made.mentions == []
    for kind in ("actors", "events", "documents", "claims", "attestations"):
        ids = [r.id for r in getattr(made, kind)]
        assert len(set(ids)) == len(ids), kind
        assert ids == sorted(ids), f"{kind} come sorted by id, as a store dumps them"
    assert not {a.id for a in made.actors} & {e.id for e in made.events}
    if claims:
        assert made.attestations
        assert made.documents


def test_too_few_actors_or_negative_claims_are_refused() -> None:
    with pytest.raises(ValueError, match="one per kind"):
        generate(actors=7, claims=10)
    with pytest.raises(ValueError, match="negative"):
        generate(actors=10, claims=-1)


def test_every_record_is_what_validation_makes_of_it(batch: GraphBatch) -> None:
    """The generator skips re-validation for speed: prove nothing was skipped that matters."""
    for kind, record in batch.records():
        again = type(record).model_validate(record.model_dump())
        assert again == record, (kind, record.id)
        assert again.model_dump_json() == record.model_dump_json(), (kind, record.id)


def test_the_batch_is_whole_and_writes_into_a_memory_store(
    batch: GraphBatch, tmp_path: Path
) -> None:
    check_batch(batch, lambda label, node_id: False)
    store = SQLiteStore(tmp_path / "graph.sqlite")
    result = store.write(batch)
    assert not +result.updated
    assert not +result.unchanged
    stats = store.stats()
    assert stats.counts == {
        "places": 0,
        "actors": 300,
        "events": len(batch.events),
        "documents": len(batch.documents),
        "claims": 2000,
        "attestations": len(batch.attestations),
        "mentions": 0,
        "casualties": 0,
        "tellings": 0,
    }
    assert stats.statuses == {s.value: n for s, n in sorted(statuses(batch).items())}
    assert store.dump() == batch


def test_every_kind_of_actor_has_names_spelled_several_ways(batch: GraphBatch) -> None:
    kinds = Counter(a.kind for a in batch.actors)
    assert set(kinds) == set(ActorKind)
    assert kinds[ActorKind.PERSON] > kinds[ActorKind.ARMED_GROUP] > kinds[ActorKind.STATE]
    people = [a for a in batch.actors if a.kind is ActorKind.PERSON]
    assert all(a.aliases for a in people)
    with_al = [a for a in people if " al-" in a.name]
    assert len(with_al) > len(people) / 2
    # the same name without "al-", and in Arabic script
    assert all(any(" al-" not in alias for alias in a.aliases) for a in with_al)
    assert all(any(re.search("[\u0600-\u06ff]", alias) for alias in a.aliases) for a in people)
    groups = [a for a in batch.actors if a.kind is ActorKind.ARMED_GROUP]
    acronyms = [a for a in groups if any(re.fullmatch(r"[A-Z]{2,6}", x) for x in a.aliases)]
    assert len(acronyms) == len(groups)


def test_claims_have_the_shape_of_reporting(batch: GraphBatch) -> None:
    kind = {a.id: a.kind for a in batch.actors}
    events = {e.id for e in batch.events}
    predicates = Counter(c.predicate for c in batch.claims)
    assert set(predicates) == set(Predicate)
    for claim in batch.claims:
        if claim.predicate is Predicate.COMMANDS:
            assert kind[claim.subject] is ActorKind.PERSON
        elif claim.predicate is Predicate.KILLED_IN:
            assert kind[claim.subject] is ActorKind.PERSON
            assert claim.object in events
            assert claim.event is None
        elif claim.predicate is Predicate.STRUCK:
            assert claim.event in events
            assert claim.subject != claim.object
        else:
            assert kind[claim.subject] in {ActorKind.ARMED_GROUP, ActorKind.MILITARY_COMMAND}


def test_events_spread_over_years_with_their_precision(batch: GraphBatch) -> None:
    years = {e.date.year for e in batch.events if e.date is not None}
    assert len(years) >= 5
    precisions = Counter(e.date_precision for e in batch.events)
    assert set(precisions) == set(DatePrecision)
    assert precisions[DatePrecision.DAY] > len(batch.events) / 2
    assert all(e.place for e in batch.events)


def test_all_four_statuses_come_out_in_plausible_proportions(batch: GraphBatch) -> None:
    found = statuses(batch)
    assert set(found) == set(Status)
    for status in Status:
        assert found[status] / len(batch.claims) >= 0.05, (status, found)


def test_claims_have_one_to_five_attestations_from_distinct_speakers(
    batch: GraphBatch,
) -> None:
    hedged = 0
    grouped = by_claim(batch)
    for claim in batch.claims:
        atts = grouped[claim.id]
        assert 1 <= len(atts) <= 5
        hedged += sum(a.hedged for a in atts)
        speakers = Counter(a.speaker for a in atts)
        # only a retraction repeats a speaker: a report, then a denial
        for speaker, n in speakers.items():
            if n > 1:
                assert n == 2
                said = sorted((a for a in atts if a.speaker == speaker), key=lambda a: a.start)
                assert {a.stance for a in said} == {Stance.REPORTED, Stance.DENIED}
    assert hedged > 0


def test_a_retraction_comes_in_a_later_document(batch: GraphBatch) -> None:
    grouped = by_claim(batch)
    retractions = 0
    for claim in batch.claims:
        atts = grouped[claim.id]
        for speaker in {a.speaker for a in atts}:
            said = [a for a in atts if a.speaker == speaker]
            if len(said) == 2:
                report = next(a for a in said if a.stance is Stance.REPORTED)
                denial = next(a for a in said if a.stance is Stance.DENIED)
                assert denial.date is not None
                assert report.date is None or report.date < denial.date
                assert report.document != denial.document
                retractions += 1
    assert retractions > len(batch.claims) * 0.05


def test_every_quote_is_at_its_offsets_in_its_document(batch: GraphBatch) -> None:
    documents = {d.id: d for d in batch.documents}
    for att in batch.attestations:
        document = documents[att.document]
        assert document.text[att.start : att.end] == att.quote
        assert att.date == document.published
    assert {d.publisher for d in batch.documents} <= {
        a.name for a in batch.actors if a.kind in {ActorKind.MEDIA_OUTLET, ActorKind.CHANNEL}
    }


def test_documents_hold_a_few_attestations_and_some_have_no_date(batch: GraphBatch) -> None:
    assert len(batch.attestations) / len(batch.documents) >= 1.8
    undated = {d.id for d in batch.documents if d.published is None}
    assert 0 < len(undated) < len(batch.documents) * 0.1
    assert all(a.date is None for a in batch.attestations if a.document in undated)


def test_a_few_actors_hold_many_claims(batch: GraphBatch) -> None:
    actors = {a.id for a in batch.actors}
    degree = Counter(end for c in batch.claims for end in (c.subject, c.object) if end in actors)
    top = math.ceil(len(actors) / 100)
    held = sum(n for _, n in degree.most_common(top))
    assert held / sum(degree.values()) > 0.10


def test_the_garbage_collector_is_left_as_it_was() -> None:
    assert gc.isenabled()
    generate(actors=20, claims=20)
    assert gc.isenabled()
    gc.disable()
    try:
        generate(actors=20, claims=20)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_batch_does_not_depend_on_the_process_hash_seed() -> None:
    """Set and dict orders of strings vary with PYTHONHASHSEED; the batch must not."""
    script = (
        "import hashlib\n"
        "from bench.synthetic import generate\n"
        "h = hashlib.sha256()\n"
        "for _, r in generate(actors=60, claims=300, seed=5).records():\n"
        "    h.update(r.model_dump_json().encode())\n"
        "print(h.hexdigest())\n"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1
