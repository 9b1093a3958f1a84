"""py2neo baseline for the ingest benchmark: the one the issue names.

Loads the benchmark rows the idiomatic py2neo way, one Subgraph of Nodes
(primary label + primary key "id") and Relationships handed to a single
Graph.merge, and prints one JSON line with the time the merge took.
py2neo is end-of-life, so it lives in this separate uv project with its
own lockfile and is kept out of actorgraph's own environment:

    UV_PYTHON_DOWNLOADS=never uv run --project bench/py2neo --locked \\
        python bench/py2neo/load.py rows.json

If py2neo cannot talk to the server it prints {"error": "..."} and exits 0.
"""

import json
import os
import sys
import time

import py2neo
from py2neo import Graph, Node, Relationship, Subgraph

LABELS = {"actors": "Actor", "events": "Event", "documents": "Document", "claims": "Claim"}


def node(label, props):
    n = Node(label, **props)
    n.__primarylabel__ = label
    n.__primarykey__ = "id"
    return n


def build(rows):
    nodes = {r["id"]: node(label, r) for key, label in LABELS.items() for r in rows[key]}
    rels = [
        Relationship(nodes[c["subject"]], c["predicate"].upper(), nodes[c["object"]], claim=c["id"])
        for c in rows["claims"]
    ]
    for a in rows["attestations"]:
        rels.append(Relationship(nodes[a["speaker"]], a["stance"].upper(), nodes[a["claim"]], **a))
    return Subgraph(nodes.values(), rels)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        rows = json.load(f)
    subgraph = build(rows)
    try:
        graph = Graph(
            os.environ["NEO4J_URI"],
            auth=(os.environ["NEO4J_USERNAME"], os.environ["NEO4J_PASSWORD"]),
        )
        start = time.perf_counter()
        graph.merge(subgraph)
        seconds = time.perf_counter() - start
        try:
            server = str(graph.service.kernel_version)
        except Exception:
            server = None
    except Exception as e:
        message = (str(e).splitlines() or [""])[0]
        print(json.dumps({"error": f"{type(e).__name__}: {message}"}))
        return
    out = {"seconds": seconds, "claims": len(rows["claims"]), "py2neo": py2neo.__version__}
    print(json.dumps(out | {"server": server}))


if __name__ == "__main__":
    main()
