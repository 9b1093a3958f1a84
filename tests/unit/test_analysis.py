"""The Python API: the catalogue as methods, results as DataFrames and networkx graphs."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

import actorgraph
from actorgraph.analysis import Graph
from actorgraph.errors import NotFoundError
from tests.conftest import ARTICLES, DATA


@pytest.fixture
def ag(data_dir: Path) -> Graph:
    graph = actorgraph.open()
    assert all(o.error is None for o in graph.load(DATA, ARTICLES))
    return graph


def test_names_resolve_in_any_spelling_and_claims_come_as_frames(ag: Graph) -> None:
    assert ag.actor_id("Kata'ib Hizbollah") == "kataib-hezbollah"
    contested = ag.claims(status="contested")
    summary = contested.summary()
    assert len(summary) == len(contested) == 3
    taji = summary[(summary["subject"] == "United States") & (summary["predicate"] == "struck")]
    assert taji["denied by"].tolist() == ["United States"]
    rows = contested.to_df()
    assert {"speaker", "stance", "quote", "document"} <= set(rows.columns)
    assert len(rows) == sum(len(v.attestations) for v in contested.views)


def test_networks_convert_for_networkx_analytics(ag: Graph) -> None:
    around = ag.neighbourhood("Kataib Hezbollah", hops=2)
    g = around.to_networkx()
    assert g.number_of_nodes() == len(around.nodes) and g.number_of_edges() == len(around.to_df())
    whole = ag.to_networkx()
    top = max(nx.degree_centrality(nx.Graph(whole)).items(), key=lambda kv: kv[1])[0]
    assert top == "pmf"
    assert "new vis.Network(" in around._repr_html_()


def test_the_python_api_exports_and_names_what_it_cannot_find(ag: Graph, tmp_path: Path) -> None:
    [path] = ag.export("graphml", tmp_path / "g.graphml")
    assert nx.read_graphml(path, force_multigraph=True).number_of_edges() == len(ag.claims().views)
    with pytest.raises(NotFoundError, match="nobody"):
        ag.neighbourhood("nobody at all whatsoever")
