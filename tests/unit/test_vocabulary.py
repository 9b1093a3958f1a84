"""The vocabulary registry (graph/vocabulary.yaml) and everything that speaks it agree.

The Cypher constants are written out for reading, so this test checks them
against the registry: every relationship type they name is one of its, and
every list of traversal types is all of them. The embedded twins, the
views, the CLI's phrases and the exports take their terms from the
registry: drawn, printed and exported, they say what it says.
"""

from __future__ import annotations

import json
import re

import pytest

from actorgraph.exports import stix_bundle
from actorgraph.graph import neo4j as neo4j_store
from actorgraph.graph import neo4j_gate, neo4j_writes
from actorgraph.graph.model import (
    Actor,
    ActorKind,
    Attestation,
    Claim,
    Document,
    Event,
    Predicate,
    Stance,
    Status,
)
from actorgraph.graph.store import GraphBatch
from actorgraph.graph.vocabulary import ACTOR_KINDS, LINKS, NODES, PREDICATES, STANCES, STATUSES
from actorgraph.queries import geo, reads
from actorgraph.queries.shapes import Edge, Node, Subgraph
from actorgraph.viz.network import render, subgraph_view

TRAVERSAL = {t.relationship for t in PREDICATES.values()}
ATTESTING = {t.relationship for t in STANCES.values()}
OTHER_TYPES = {t.relationship for t in LINKS.values()}
_TYPES = re.compile(r"\[\w*:([A-Z_|]+)")


def _cypher_constants() -> dict[str, str]:
    """Every Cypher the stores and the catalogue run, by name."""
    found = {f"reads.{r.name}": r.cypher for r in (*reads.READS, *geo.READS)}
    for module in (neo4j_store, neo4j_gate, neo4j_writes):
        for name, value in vars(module).items():
            cypher = isinstance(value, str) and re.search(r"\b(?:MATCH|MERGE)\b", value)
            if name.isupper() and cypher:
                found[f"{module.__name__}.{name}"] = value
    return found


def test_the_cypher_constants_name_the_registry_s_relationship_types() -> None:
    constants = _cypher_constants()
    assert len(constants) > 20
    lists = 0
    for name, cypher in constants.items():
        for group in _TYPES.findall(cypher):
            types = set(group.split("|"))
            assert types <= TRAVERSAL | ATTESTING | OTHER_TYPES, (name, types)
            if len(types) > 1 and types & TRAVERSAL:
                assert types == TRAVERSAL, (name, types)
                lists += 1
            if len(types) > 1 and types & ATTESTING:
                assert types == ATTESTING, (name, types)
                lists += 1
    assert lists >= 5  # the traversals and the attestation reads were found


def test_a_predicate_is_its_relationship_type_in_lower_case() -> None:
    # Cypher reads a claim edge's predicate as toLower(type(r)); the embedded twin looks it up.
    assert "toLower(type(r)) AS predicate" in reads.EDGES_TOUCHING.cypher
    for predicate in Predicate:
        assert predicate.rel_type.lower() == predicate.value


def test_the_neo4j_labels_of_the_kinds_are_the_registry_s() -> None:
    assert {k.value: v for k, v in neo4j_writes.KIND_LABEL.items()} == {
        name: terms.label for name, terms in ACTOR_KINDS.items()
    }
    assert {s.value: s.rel_type for s in Stance} == {
        name: terms.relationship for name, terms in STANCES.items()
    }


def _drawn() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """A page with a node of each kind and an edge of each predicate and status, as drawn."""
    kinds = [*ACTOR_KINDS, "event"]
    nodes = [Node(id=f"n{i}", name=k, kind=k, depth=1) for i, k in enumerate(kinds)]
    edges = [
        Edge(
            claim=f"c-{p.value}-{s.value}",
            source="n0",
            target="n1",
            predicate=p,
            status=s,
            attestations=1,
        )
        for p in Predicate
        for s in Status
    ]
    page = render(subgraph_view("all", Subgraph(nodes=nodes, edges=edges)))
    data = re.findall(r"new vis\.DataSet\((\[.*?\])\);", page)
    return json.loads(data[0]), json.loads(data[1])


def test_the_views_draw_what_the_registry_says() -> None:
    nodes, edges = _drawn()
    styles = {**ACTOR_KINDS, "event": NODES["event"]}
    for node in nodes:
        style = styles[str(node["kind"])]
        assert (node["shape"], node["color"]) == (style.shape, style.colour)
    assert len(edges) == len(Predicate) * len(Status)
    for edge in edges:
        _, predicate, status = str(edge["id"]).split("-")
        line = STATUSES[status]
        assert edge["color"] == PREDICATES[predicate].colour
        assert (edge["dashes"], edge["width"]) == (line.dashes, line.width)


@pytest.mark.parametrize("predicate", list(Predicate))
def test_the_stix_export_names_each_predicate_as_the_registry_does(predicate: Predicate) -> None:
    actors = [
        Actor(id="a", name="A", kind=ActorKind.STATE),
        Actor(id="b", name="B", kind=ActorKind.ARMED_GROUP),
    ]
    event = Event(id="strike-2020-01-03-x", kind="strike")
    target = event.id if predicate.about_event else "b"
    claim = Claim(subject="a", predicate=predicate, object=target)
    doc = Document(title="t", text="A did it.", published="2020-01-03")
    said = Attestation(
        claim=claim.id, speaker="a", stance="reported", document=doc.id, quote="A", start=0, end=1
    )
    batch = GraphBatch(actors, [event], [doc], [claim], [said])
    bundle = stix_bundle(batch)
    [relationship] = [o for o in bundle.objects if o.type == "relationship"]
    assert relationship.relationship_type == PREDICATES[predicate.value].stix
