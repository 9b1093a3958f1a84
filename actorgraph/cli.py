"""The ``actorgraph`` command."""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from actorgraph.api.access import is_loopback
from actorgraph.errors import ActorGraphError, InputError, UnavailableError
from actorgraph.evaluate import coreference, scores_table, summary
from actorgraph.evaluate import evaluate as run_evaluation
from actorgraph.exports import Format, export
from actorgraph.extraction import Extraction, RuleExtractor
from actorgraph.graph import open_embedded, open_neo4j, open_store
from actorgraph.graph.model import Actor, ActorKind, Stance, Status
from actorgraph.graph.store import KINDS, GraphStore, WriteResult
from actorgraph.graph.vocabulary import STATUSES
from actorgraph.loaders.articles import read_articles
from actorgraph.loaders.curated import read_curated
from actorgraph.loaders.pipeline import FileOutcome, candidates, expand, load_paths, promote
from actorgraph.names.resolve import resolve_actor
from actorgraph.queries import catalogue
from actorgraph.queries.profile import actor_profile
from actorgraph.queries.shapes import ClaimView, Ref
from actorgraph.settings import Settings, setting_error
from actorgraph.viz.maps import map_page
from actorgraph.viz.network import neighbourhood_page

app = typer.Typer(
    help="actorgraph: an actor knowledge graph that keeps who claimed what, and who denied it.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)


@app.callback()
def main(
    verbose: Annotated[
        int,
        typer.Option(
            "--verbose",
            "-v",
            count=True,
            help="Say what happens beneath: -v each file loaded, skipped or refused, the "
            "embedded graph built, reads held or tried again; -vv every retry.",
        ),
    ] = 0,
) -> None:
    """actorgraph: an actor knowledge graph that keeps who claimed what, and who denied it."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("actorgraph")
    logger.handlers = [handler]
    logger.setLevel(
        logging.WARNING if not verbose else logging.INFO if verbose == 1 else logging.DEBUG
    )


REPO = Path(__file__).resolve().parent.parent
DEMO_PATHS = (REPO / "data", REPO / "examples" / "articles")
PROGRESS_FROM = 20  # files; fewer load too fast for a bar to help
SHOWN = 100_000
"""The most actors ``actorgraph actors`` lists."""


@contextmanager
def _user_errors() -> Iterator[None]:
    """Print an actorgraph error as one line and exit 2, instead of a traceback."""
    try:
        yield
    except ActorGraphError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from None
    except ValidationError as exc:  # a setting from the environment
        err.print(f"[red]error:[/] {escape(setting_error(exc))}")
        raise typer.Exit(2) from None


@contextmanager
def _open() -> Iterator[GraphStore]:
    """The configured store, closed afterwards; its errors printed as one line."""
    with _user_errors():
        store = open_store()
        try:
            yield store
        finally:
            store.close()


def _count(counter: Counter[str]) -> str:
    parts = [f"{counter[k]} {k if counter[k] != 1 else k[:-1]}" for k in KINDS if counter[k]]
    return ", ".join(parts) or "nothing"


def _report(outcome: FileOutcome) -> None:
    if outcome.error is not None:
        err.print(f"[red]✗[/] {escape(str(outcome.error))}")
        return
    result: WriteResult = outcome.result
    if result.changed:
        line = f"added {_count(result.added)}"
        if +result.updated:
            line += f"; updated {_count(result.updated)}"
        if +result.unchanged:
            line += f"; already there: {_count(result.unchanged)}"
        out.print(f"[green]✓[/] {escape(str(outcome.path))}: {line}")
    else:
        out.print(
            f"[dim]·[/] {escape(str(outcome.path))}: already there ({_count(result.unchanged)})"
        )


def _load(store: GraphStore, paths: list[Path]) -> list[FileOutcome]:
    files = list(expand(paths))
    many = len(files) >= PROGRESS_FROM  # a bar and the totals, instead of a line per file
    loaded = 0
    with Progress(console=err, transient=True, disable=not many) as progress:
        task = progress.add_task("loading", total=len(files))

        def step(outcome: FileOutcome) -> None:
            nonlocal loaded
            loaded += outcome.error is None
            if outcome.error is not None or not many:
                _report(outcome)
            progress.advance(task)

        try:
            outcomes = load_paths(store, files, on_file=step)
        except UnavailableError as exc:
            raise UnavailableError(
                f"{exc}. The {loaded} file(s) loaded before it stay; "
                "run the same load again to finish (what is loaded already is skipped)."
            ) from exc
    if many:
        total = WriteResult()
        for outcome in outcomes:
            total.merge(outcome.result)
        out.print(f"added {_count(total.added)}; already there: {_count(total.unchanged)}")
    return outcomes


def _summary(store: GraphStore, outcomes: list[FileOutcome]) -> None:
    failed = sum(o.error is not None for o in outcomes)
    stats = store.stats()
    out.print(
        f"{len(outcomes) - failed} of {len(outcomes)} files loaded into the {stats.store} store "
        f"({escape(stats.location)}): {_count(Counter(stats.counts))}."
    )
    if failed:
        err.print(f"[red]{failed} file(s) failed[/]: nothing was written for them.")
        raise typer.Exit(1)


@app.command()
def load(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Article files (.txt, .md, .jsonl), curated .yaml, or folders."),
    ],
) -> None:
    """Load articles and curated data; each file loads whole or not at all."""
    with _open() as store:
        _summary(store, _load(store, paths))


@app.command()
def demo(
    serve: Annotated[bool, typer.Option(help="Start the API afterwards (Ctrl-C stops it).")] = True,
    port: Annotated[int, typer.Option(help="Port for the API.")] = 8000,
) -> None:
    """Load the curated actors and the founding corpus, say what to try, and start the API."""
    with _user_errors():
        missing = [p for p in DEMO_PATHS if not p.is_dir()]
        if missing:
            raise ActorGraphError(
                f"demo data not found at {missing[0]}: run from a source checkout"
            )
        with _open() as store:
            _summary(store, _load(store, list(DEMO_PATHS)))
    prog = _prog()
    out.print("\nTry next:")
    for args, why in [
        ('show "Abu Mahdi al-Muhandis"', "an actor, his relations and their sources"),
        ('show "Hashd al-Shaabi"', "any alias or spelling resolves"),
        ("actors --q hezbollah", "search the curated actors"),
        ("stats", "what the store holds, claims by status"),
    ]:
        out.print(f"  {escape(prog)} {escape(args):<32} {why}")
    if not serve:
        return
    base = f"http://127.0.0.1:{port}"
    out.print("\nThe API, in your browser:")
    for path, why in [
        ("/docs", "every endpoint, with examples to try"),
        ("/search?q=Kata'ib%20Hizbollah", "actor search, in any spelling"),
        ("/claims/contested", "claims one side reports and the other denies"),
        ("/actors/kataib-hezbollah/chain", "its command chain, up to the PMF"),
        ("/paths?source=centcom&target=wissam-al-saadi", "how CENTCOM and al-Saadi connect"),
        ("/queries", "the named queries and their Cypher"),
    ]:
        out.print(f"  {base}{path:<48} {why}")
    out.print("Press Ctrl-C to stop the API.\n")
    _run_api("127.0.0.1", port)


@app.command()
def actors(
    q: Annotated[
        str | None, typer.Option("--q", help="Only actors a search for this finds.")
    ] = None,
) -> None:
    """List actors; with --q, those whose names match TEXT in any spelling, best first."""
    with _open() as store:
        if q is None:
            found, _ = catalogue.actors(store, catalogue.ActorListParams(), 0, SHOWN)
        else:
            hits = catalogue.search(store, catalogue.SearchParams(q=q, limit=100))
            found = [h.actor for h in hits]
    table = Table("id", "name", "kind", "aliases", box=None, header_style="bold")
    for actor in found:
        table.add_row(actor.id, actor.name, actor.kind.value, escape(", ".join(actor.aliases[:4])))
    out.print(table)
    out.print(f"{len(found)} actor(s)")


@app.command()
def show(name: Annotated[str, typer.Argument(help="An actor's id, name or any alias.")]) -> None:
    """Show an actor with its relations, each with its status and sources."""
    with _open() as store:
        profile = actor_profile(store, name)
    actor = profile.actor
    out.print(f"[bold]{escape(actor.name)}[/]  ({actor.kind.value}, id {actor.id})")
    if actor.aliases:
        out.print(f"also: {escape(', '.join(actor.aliases))}")
    if actor.description:
        out.print(escape(actor.description))
    out.print()
    if not profile.relations:
        out.print("No relations recorded yet.")
    for relation in profile.relations:
        out.print(_sentence(relation.claim, bold=actor.id))
        for other in relation.same_event:
            out.print(f"    same event: {_sentence(other)}")
        for said in relation.claim.attestations:
            verb = "reported" if said.stance is Stance.REPORTED else "[red]denied[/]"
            hedge = " (hedged)" if said.hedged else ""
            doc = said.document
            where = f"“{doc.title}”, {doc.publisher or 'unknown publisher'}"
            when = said.date.isoformat() if said.date else "undated"
            out.print(
                f"    · {escape(said.speaker.name)} {verb}{hedge} in {escape(where)}, {when} "
                f"[dim]({doc.id}, chars {said.start}–{said.end})[/]"
            )
            out.print(f"      [italic]“{escape(said.quote)}”[/]")
        out.print()


@app.command()
def viz(
    name: Annotated[str | None, typer.Argument(help="An actor's id, name or any alias.")] = None,
    hops: Annotated[int, typer.Option(min=1, max=3, help="How far to go from the actor.")] = 2,
    status: Annotated[
        list[Status] | None, typer.Option(help="Only claims with this status (repeatable).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=5000, help="At most this many nodes.")] = 200,
    on_map: Annotated[
        bool, typer.Option("--map", help="The events (the actor's, if named) on a map instead.")
    ] = False,
    near: Annotated[str | None, typer.Option(help="With --map: events near a place.")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the page.")] = Path(
        "actorgraph.html"
    ),
) -> None:
    """Draw an actor's neighbourhood, or the events on a map, as a page that works offline."""
    with _open() as store, _user_errors():
        if on_map:
            where = catalogue.TimelineParams(actor=name, near=near)
            page, what = map_page(store, where, settings=Settings()), "map"
        elif name is None:
            raise InputError("name an actor, or draw the events with --map", field="name")
        else:
            actor = resolve_actor(store, name)
            params = catalogue.NeighbourhoodParams(hops=hops, status=status or [], limit=limit)
            page, what = neighbourhood_page(store, actor.id, params), f"{actor.name}, {hops} hops"
        try:
            output.write_text(page, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write the page: {exc.strerror}", path=output) from None
    out.print(f"wrote {escape(str(output))}: {escape(what)}; open it in a browser")


@app.command("export")
def export_graph(
    fmt: Annotated[Format, typer.Option("--format", "-f", help="What to write.")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The file to write (for csv, a folder).")
    ],
) -> None:
    """Write the whole graph for other tools: GraphML, GEXF, JSON, CSV, GeoJSON or STIX 2.1."""
    with _open() as store:
        graph = store.dump()
    with _user_errors():
        try:
            written = export(graph, fmt, output)
        except OSError as exc:
            raise InputError(f"cannot write: {exc.strerror}", path=output) from None
    for path in written:
        out.print(f"wrote {escape(str(path))}")


class StoreName(str, Enum):
    EMBEDDED = "embedded"
    NEO4J = "neo4j"


@app.command()
def copy(
    to: Annotated[StoreName, typer.Option("--to", help="Where to copy: neo4j or embedded.")],
) -> None:
    """Copy the whole graph from the embedded store into Neo4j (NEO4J_URI), or back."""
    with _user_errors():
        settings = Settings()
        embedded, neo4j = open_embedded(settings), open_neo4j(settings)
        source, target = (embedded, neo4j) if to is StoreName.NEO4J else (neo4j, embedded)
        try:
            result = target.write(source.dump())
        finally:
            neo4j.close()
    out.print(
        f"copied the {source.name} store ({escape(source.location)}) into the "
        f"{target.name} store ({escape(target.location)}): added {_count(result.added)}; "
        f"updated {_count(result.updated)}; already there: {_count(result.unchanged)}"
    )


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the HTTP API (OpenAPI at /docs); beyond loopback only with ACTORGRAPH_API_KEY
    and ACTORGRAPH_ALLOWED_HOSTS set."""
    with _user_errors():
        _check_listen(host, Settings())
        open_store().close()  # fail here, in one line, if the store is unusable
    _run_api(host, port)


def _check_listen(host: str, settings: Settings) -> None:
    if is_loopback(host):
        return
    if settings.api_key is None:
        raise ActorGraphError(
            f"refusing to listen on {host} without an API key: set ACTORGRAPH_API_KEY "
            "(writes then need Authorization: Bearer <key>), or listen on 127.0.0.1"
        )
    if not settings.allowed_hosts:
        raise ActorGraphError(
            f"refusing to listen on {host} without ACTORGRAPH_ALLOWED_HOSTS: set it to the "
            "names clients reach this server by (comma-separated); it answers 400 to any "
            "other Host header, so that no web page can reach it through its own name"
        )


def _run_api(host: str, port: int) -> None:
    import uvicorn

    # Keep idle connections longer than clients do (httpx and browsers: 5 s or more):
    # at uvicorn's default of 5 s, a client reusing a connection as the server closes
    # it gets a reset, which 50 clients at once met.
    uvicorn.run(
        "actorgraph.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        timeout_keep_alive=65,
    )


@app.command()
def stats() -> None:
    """Say which store is in use and what it holds."""
    with _open() as store:
        s = store.stats()
    out.print(f"store: {s.store} ({escape(s.location)})")
    for kind in KINDS:
        out.print(f"  {kind:<13}{s.counts.get(kind, 0):>7}")
    if s.statuses:
        out.print("claims by status: " + ", ".join(f"{k} {v}" for k, v in s.statuses.items()))


def _prog() -> str:
    """How the user can call this command again: ``actorgraph``, or its path if not on PATH."""
    argv0 = Path(sys.argv[0])
    if argv0.name != "actorgraph" or shutil.which("actorgraph") == str(argv0):
        return "actorgraph"
    return os.path.relpath(argv0)


def _name(ref: Ref) -> str:
    return f"the {ref.name}" if ref.kind == "event" else ref.name


def _sentence(claim: ClaimView, bold: str | None = None) -> str:
    def part(ref: Ref) -> str:
        text = escape(_name(ref))
        return f"[bold]{text}[/]" if ref.id == bold else text

    line = f"{part(claim.subject)} {claim.predicate.terms.phrase} {part(claim.object)}"
    if claim.event is not None and not claim.predicate.about_event:
        line += f" in {escape(_name(claim.event))}"
    style = STATUSES[claim.status.value].terminal
    return f"{line}  [{style}]\\[{claim.status.value}][/]"


# -- extraction -----------------------------------------------------------------------


@app.command()
def extract(
    path: Annotated[Path, typer.Argument(help="An article: .txt, .md or .jsonl.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    actors_file: Annotated[
        Path | None,
        typer.Option("--actors", help="Curated actors (.yaml) instead of the store's."),
    ] = None,
) -> None:
    """Show what extraction finds in an article, writing nothing.

    Mentions, candidates, places, events, and claims with who said what.

    Names resolve against the store's actors (or --actors) and places; when it
    holds none, against the curated data/actors.yaml and data/places.yaml.
    """
    with _open() as store:
        known = read_curated(actors_file).actors if actors_file else store.actors()
        if not known and (REPO / "data" / "actors.yaml").is_file():
            known = read_curated(REPO / "data" / "actors.yaml").actors
        places = store.places()
        if not places and (REPO / "data" / "places.yaml").is_file():
            places = read_curated(REPO / "data" / "places.yaml").places
        events = store.events()
    with _user_errors():
        documents = read_articles(path)
        extractor = RuleExtractor(known, events, places)
        names = {a.id: a.name for a in known}
        found = []
        for doc in documents:
            extraction = extractor.extract(doc)
            extractor.remember(e.record() for e in extraction.events if not e.known)
            found.append(extraction)
    if as_json:
        shown = [f.as_json(names) for f in found]
        sys.stdout.write(
            json.dumps(shown[0] if len(shown) == 1 else shown, ensure_ascii=False, indent=2)
        )
        sys.stdout.write("\n")
        return
    for extraction in found:
        _print_extraction(extraction, names)


def _print_extraction(extraction: Extraction, names: dict[str, str]) -> None:
    doc = extraction.document
    out.print(
        f"[bold]{escape(doc.title)}[/]  "
        f"({doc.publisher or 'no publisher'}, {doc.published or 'undated'})"
    )
    named = Counter(names.get(m.actor, m.actor) for m in extraction.mentions)
    out.print(
        f"{len(extraction.mentions)} mentions of {len(named)} actors: "
        + escape(", ".join(f"{n} ×{c}" for n, c in named.most_common()))
    )
    if extraction.candidates:
        cands = Counter(c.text for c in extraction.candidates)
        out.print("candidates (no known actor): " + escape(", ".join(cands)))
    where = [f"{p.text} ({p.place.id})" for p in extraction.places]
    where += [f"{c.text} (no curated place)" for c in extraction.place_candidates]
    if where:
        out.print("places: " + escape(", ".join(Counter(where))))
    for event in extraction.events:
        known = " [dim](known)[/]" if event.known else ""
        precision = event.geo_precision.value if event.geo_precision else "?"
        at = f" at {event.at} (geo precision {precision})" if event.at else ""
        out.print(f"event {escape(event.id)}{escape(at)}{known}")
    for found in extraction.claims:
        c = found.claim
        obj = names.get(c.object, c.object)
        line = f"{names.get(c.subject, c.subject)} {c.predicate.terms.phrase} {obj}"
        if c.event and not c.predicate.about_event:
            line += f" in {c.event}"
        style = STATUSES[found.status].terminal
        out.print(f"{escape(line)}  [{style}]\\[{found.status}][/]")
        for said in found.said:
            verb = "reported" if said.stance is Stance.REPORTED else "[red]denied[/]"
            hedge = " (hedged)" if said.hedged else ""
            out.print(
                f"    · {escape(names.get(said.speaker, said.speaker))} {verb}{hedge}: "
                f"[italic]“{escape(said.quote)}”[/] [dim]({said.start}–{said.end})[/]"
            )


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Argument(help="The gold folder.")] = REPO / "tests" / "gold",
    actors_file: Annotated[
        Path, typer.Option("--actors", help="The curated actors extraction resolves against.")
    ] = REPO / "data" / "actors.yaml",
    places_file: Annotated[
        Path, typer.Option("--places", help="The curated places place names resolve to.")
    ] = REPO / "data" / "places.yaml",
    misses: Annotated[bool, typer.Option(help="List every error, per article.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Score extraction against the hand-annotated gold standard: precision, recall, F1."""
    with _user_errors():
        files = sorted(gold.glob("*.yaml"))
        if not files:
            raise InputError("no gold files (*.yaml) here", path=gold)
        actors = read_curated(actors_file).actors
        places = read_curated(places_file).places

        def extractor(new_actors: list[Actor]) -> RuleExtractor:
            return RuleExtractor([*actors, *new_actors], places=places)

        total, reports = run_evaluation(files, extractor)
        across = coreference(files, extractor) if any(r.tellings for r in reports) else None
    if as_json:
        shown = [r.as_dict() for r in (*reports, total)]
        if across is not None:
            shown[-1]["coreference"] = across.as_dict()
        sys.stdout.write(json.dumps(shown, indent=2) + "\n")
        return
    out.print(scores_table(reports, total))
    for line in summary(total, across):
        out.print(escape(line))
    if misses:
        for report in reports:
            out.print(f"\n[bold]{escape(report.name)}[/]")
            for miss in report.misses:
                out.print(f"  {escape(miss)}")


@app.command("candidates")
def list_candidates(
    limit: Annotated[int, typer.Option(help="Show at most this many.")] = 50,
) -> None:
    """Names in the stored documents that resolve to no actor, most mentioned first."""
    with _open() as store:
        found = candidates(store)
    table = Table("name", "mentions", "documents", "spellings", box=None, header_style="bold")
    for entry in found[:limit]:
        table.add_row(
            escape(entry.name),
            str(len(entry.places)),
            str(entry.documents),
            escape(", ".join(entry.spellings)),
        )
    out.print(table)
    out.print(
        f"{len(found)} candidate(s); "
        f"`{escape(_prog())} promote NAME --kind KIND` makes one an actor"
    )


@app.command("promote")
def promote_candidate(
    name: Annotated[str, typer.Argument(help="The candidate's name, as written.")],
    kind: Annotated[
        ActorKind | None, typer.Option(help="Make it a new actor of this kind.")
    ] = None,
    alias_of: Annotated[
        str | None, typer.Option("--alias-of", help="Or make it an alias of this actor (id).")
    ] = None,
    actor_id: Annotated[str | None, typer.Option("--id", help="The new actor's id.")] = None,
) -> None:
    """Turn a candidate into an actor (or an alias of one) and extract its documents again."""
    with _open() as store, _user_errors():
        actor, result = promote(store, name, kind=kind, actor_id=actor_id, alias_of=alias_of)
    what = f"an alias of {actor.id}" if alias_of else f"actor {actor.id} ({actor.kind.value})"
    out.print(f"[green]✓[/] {escape(name)} is now {escape(what)}; added {_count(result.added)}")
