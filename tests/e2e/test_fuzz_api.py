"""Schemathesis fuzzes the HTTP API from its own OpenAPI schema, on both stores at once.

Every operation gets cases the schema calls valid (positive) and cases it calls
invalid (negative); each case is sent to the embedded store and to Neo4j, both
holding the founding corpus. In positive cases the ids in paths and queries are
often those of real actors, claims, events and documents, so reads reach data
and not only 404s. Every response must be documented (status, content type,
body schema) and none may be a 5xx, but for the documented 501 of ``POST
/cypher`` on the embedded store, which runs no Cypher. The apps run in-process
(ASGI) over the real stores: a SQLite file, and the test Neo4j.
"""

from __future__ import annotations

import collections
import itertools
from dataclasses import dataclass
from typing import Any

import hypothesis
import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from pydantic import SecretStr
from schemathesis import APIOperation, Case, GenerationMode

from actorgraph.api.app import create_app
from actorgraph.graph import STORE_FILE
from actorgraph.graph.sqlite import SQLiteStore
from actorgraph.graph.store import GraphStore
from actorgraph.loaders.pipeline import load_paths
from actorgraph.settings import Settings
from tests.conftest import ARTICLES, DATA, wipe
from tests.helpers import open_neo4j

KEY = "fuzz-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
Operation = APIOperation[Any, Any, Any, Any]
AnyCase = Case[Any]
Statuses = dict[str, dict[str, collections.Counter[int]]]
"""Per store and operation, how often each status came back."""
POSITIVE, NEGATIVE = GenerationMode("positive"), GenerationMode("negative")
EXAMPLES = {POSITIVE: 40, NEGATIVE: 15}
"""Cases per operation: 21 operations take input, so about 1,100 requests to each store.

Positive cases are the cheaper to generate, and the ones that reach real data."""
AT_LEAST = 1000
"""Requests each store must answer in a run."""

ID_KINDS = {
    "actor_id": "actors",
    "claim_id": "claims",
    "event_id": "events",
    "document_id": "documents",
    "place_id": "places",
    "near": "places",
    "in": "places",
    "actor": "actors",
    "source": "actors",
    "target": "actors",
    "subject": "actors",
    "object": "actors",
}
"""The parameters that take an id, and the kind of record it names."""

NO_CYPHER = "POST /cypher"
"""The one operation the stores answer differently: the embedded store runs no Cypher (501)."""


@dataclass
class Target:
    """A store holding the founding corpus, and the app over it."""

    name: str
    app: FastAPI


def _load(store: GraphStore) -> dict[str, list[str]]:
    """Load the founding corpus into ``store`` and close it; the ids it holds, by kind."""
    try:
        assert all(o.error is None for o in load_paths(store, [DATA, ARTICLES]))
        dump = store.dump()
    finally:
        store.close()
    return {kind: sorted(r.id for r in getattr(dump, kind)) for kind in set(ID_KINDS.values())}


@pytest.fixture(scope="module")
def corpus(
    neo4j_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> tuple[list[Target], dict[str, list[str]]]:
    """Both stores with the founding corpus, each with an app that needs the key to write."""
    folder = tmp_path_factory.mktemp("store")
    embedded = Settings().model_copy(update={"data_dir": folder, "neo4j_uri": None})
    ids = _load(SQLiteStore(folder / STORE_FILE))
    neo4j = open_neo4j(neo4j_settings)
    wipe(neo4j)
    assert _load(neo4j) == ids
    # Schemathesis calls the apps as host "testserver": trusted as a deployment trusts its name.
    key = {"api_key": SecretStr(KEY), "allowed_hosts_text": "testserver"}
    targets = [
        Target("embedded", create_app(embedded.model_copy(update=key))),
        Target("neo4j", create_app(neo4j_settings.model_copy(update=key))),
    ]
    return targets, ids


def _config() -> schemathesis.Config:
    """What the checks expect of ``POST /cypher``, beyond what a schema can say.

    Most text the schema allows as a query is not Cypher: a 422 naming the
    syntax error is the right answer to it, as is a 403 to a query that would
    not only read; and the embedded store answers 501 to any of it.
    """
    checks = {
        "positive_data_acceptance": {"expected-statuses": ["2XX", 403, 422, 501]},
        "not_a_server_error": {"expected-statuses": ["2XX", "4XX", 501]},
    }
    method, path = NO_CYPHER.split()
    return schemathesis.Config.from_dict(
        {"operations": [{"include-method": method, "include-path": path, "checks": checks}]}
    )


def _cases(
    operation: Operation, mode: GenerationMode, ids: dict[str, list[str]]
) -> st.SearchStrategy[AnyCase]:
    """Generated cases, and in positive ones often real ids in place of generated ones."""
    generated: st.SearchStrategy[AnyCase] = operation.as_strategy(generation_mode=mode)
    if mode is NEGATIVE:
        return generated  # a real id could make a case valid that is meant not to be
    names = [
        p.name
        for p in itertools.chain(operation.path_parameters, operation.query)
        if p.name in ID_KINDS
    ]
    if names:
        real = st.fixed_dictionaries(
            {}, optional={name: st.sampled_from(ids[ID_KINDS[name]]) for name in names}
        )
        generated = st.one_of(generated, st.tuples(generated, real).map(_with_ids))
    return generated.filter(lambda case: not _backwards(case))


def _with_ids(drawn: tuple[AnyCase, dict[str, str]]) -> AnyCase:
    case, real = drawn
    for name, value in real.items():
        if name in case.operation.path_parameters:
            case.path_parameters[name] = value
        else:
            case.query = {**(case.query or {}), name: value}
    return case


def _backwards(case: AnyCase) -> bool:
    """A period that ends before it starts: a 422 by a rule over two fields, no schema's."""
    query = case.query or {}
    since, until = query.get("since"), query.get("until")
    return isinstance(since, str) and isinstance(until, str) and since > until


def _fuzz(
    operation: Operation,
    mode: GenerationMode,
    ids: dict[str, list[str]],
    targets: list[Target],
    statuses: Statuses,
) -> str | None:
    """Send each case to every store and check each answer; the failures found, if any."""

    @given(case=_cases(operation, mode, ids))
    @hypothesis.settings(
        max_examples=EXAMPLES[mode],
        derandomize=True,  # the same requests on every run, in CI too
        database=None,
        deadline=None,
        # A busy CI machine generates slowly, and the schema's own filters reject some draws.
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def fuzz(case: AnyCase) -> None:
        answered: dict[str, int] = {}
        for target in targets:
            sent: dict[str, Any] = {"app": target.app, "headers": AUTH}
            response = case.call(**sent)
            statuses[target.name][operation.label][response.status_code] += 1
            case.validate_response(response, headers=AUTH, transport_kwargs=sent)
            answered[target.name] = response.status_code
        if operation.label == NO_CYPHER and answered["embedded"] == 501:
            assert answered["neo4j"] != 501, "Neo4j runs the Cypher the embedded store cannot"
        else:  # one contract: the same request gets the same status from each store
            assert len(set(answered.values())) == 1, answered

    try:
        fuzz()
    except (Exception, schemathesis.errors.FailureGroup) as failure:
        return f"{operation.label} ({mode}): {failure}"
    return None


def test_every_response_is_documented_and_none_is_a_server_error(
    corpus: tuple[list[Target], dict[str, list[str]]], figures: dict[str, object]
) -> None:
    targets, ids = corpus
    schema = schemathesis.openapi.from_asgi("/openapi.json", targets[0].app, config=_config())
    operations = [operation for path in schema for operation in schema[path].values()]
    statuses: Statuses = {t.name: collections.defaultdict(collections.Counter) for t in targets}
    failures = []
    for operation in operations:
        for mode in (POSITIVE, NEGATIVE) if _takes_input(operation) else (POSITIVE,):
            failure = _fuzz(operation, mode, ids, targets, statuses)
            failures += [failure] if failure else []
    assert not failures, "\n\n".join(failures)
    labels = {operation.label for operation in operations}
    for store, answers in statuses.items():
        sent = sum(sum(counts.values()) for counts in answers.values())
        print(f"{store}: {sent} requests to {len(answers)} operations:", dict(answers))
        figures[store] = {"requests": sent, "operations": len(answers), "failures": len(failures)}
        assert sent >= AT_LEAST, store
        assert set(answers) == labels, store
        for operation in operations:  # real ids found, made-up ones not
            if operation.path_parameters:
                assert {200, 404} <= set(answers[operation.label]), (store, operation.label)


def _takes_input(operation: Operation) -> bool:
    """Whether a case can break the schema: an operation without input has no negative cases."""
    return bool(operation.path_parameters or operation.query or operation.body)
