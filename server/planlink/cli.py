"""The ``planlink`` command. The only place that prints or exits."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from planlink.engine.store import discover, load
from planlink.foundation import formats
from planlink.foundation.errors import BadRequest, DataFileError, PlanlinkError, ValidationFailed
from planlink.foundation.settings import Settings, load_settings

if TYPE_CHECKING:
    from planlink.project import Project


def fail(exc: PlanlinkError) -> NoReturn:
    """The one way a command ends on an error: its message (and, for invalid data, every violation) on stderr,
    and the error's exit code (1 for data that does not conform, 2 for bad input or an unreadable file)."""
    if isinstance(exc, ValidationFailed):
        click.echo("error: refusing to start: " + exc.message, err=True)
        for v in exc.violations:
            click.echo(f"  {v.label or '(no label)'} <{v.focus}> {v.path or ''}: {v.message}", err=True)
        sys.exit(1)
    click.echo(f"error: {exc.message}", err=True)
    for problem in getattr(exc, "problems", None) or []:
        click.echo(f"  {problem['where']}: {problem['message']}", err=True)
    sys.exit(exc.exit_code)


class Commands(click.Group):
    """The planlink commands, each run inside the one error wrapper: library code raises, only this prints."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PlanlinkError as exc:
            fail(exc)


def settings_from(ctx: click.Context) -> Settings:
    return ctx.obj["settings"]


def output_option(help: str, required: bool = False) -> Any:
    """The ``-o/--output FILE`` option of the commands that write a file (standard output without it)."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        required=required,
        help=help,
    )


def emit(body: bytes | str, output: Path | None, wrote: str) -> None:
    """Write ``body`` to ``output`` (saying ``wrote``, "... to FILE", on standard error) or to standard output."""
    if output is None:
        if isinstance(body, bytes):
            sys.stdout.buffer.write(body)
        else:
            click.echo(body, nl=False)
        return
    if isinstance(body, bytes):
        output.write_bytes(body)
    else:
        output.write_text(body, "utf-8")
    click.echo(f"{wrote} to {output}", err=True)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Project folder (ontology/, data/, shapes/, queries/). Default: the working folder.",
)
@click.pass_context
def main(ctx: click.Context, root: Path | None) -> None:
    """planlink: the knowledge graph of Thai development plans, and its SPARQL and linked-data service."""
    overrides = {"root": str(root)} if root else {}
    ctx.obj = {"settings": load_settings(overrides)}


def _loaded(ctx: click.Context):  # type: ignore[no-untyped-def]
    s = settings_from(ctx)
    return load(discover(Path(s.root), s.base_iri), s.base_iri)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--lang", type=click.Choice(["en", "th"]), default="en", help="Language of labels and messages."
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option(
    "--engine",
    type=click.Choice(["fast", "pyshacl"]),
    default="fast",
    help="fast: planlink's SHACL engine (each constraint one query over all its focus nodes, on Oxigraph); "
    "pyshacl: the reference, about 1 s per 1,000 triples.",
)
@click.pass_context
def validate(ctx: click.Context, paths: tuple[Path, ...], lang: str, fmt: str, engine: str) -> None:
    """Validate data against shapes/ and ontology/ (the shipped data/ when no PATH is given).

    Exit 0 when it conforms, 1 with every violation listed when it does not, 2 when a file is missing or does
    not parse (with file name and line), or a shape uses a construct the engine does not support. Writes
    nothing."""
    from planlink.readmodels.validation import validate_files, validate_project

    root = Path(settings_from(ctx).root)
    report = (
        validate_files(paths, root, lang, engine) if paths else validate_project(root, None, lang, engine)
    )
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_report(report))
    sys.exit(0 if report.conforms else 1)


def render_report(report) -> str:  # type: ignore[no-untyped-def]
    lines = [report.summary()]
    for title, items in (("violation", report.violations), ("warning", report.warnings)):
        for v in items:
            where = f" [{v.graph}]" if v.graph else ""
            lines.append(f"{title}: {v.label or '(no label)'} <{v.focus}>{where}")
            lines.append(
                f"    {v.path or '(the item itself)'}: {v.message}"
                + (f" (value: {v.value})" if v.value else "")
            )
    return "\n".join(lines)


@main.command("stats")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_context
def stats(ctx: click.Context, fmt: str) -> None:
    """What the graph holds: plans, items per kind, triples per named graph."""
    from planlink.readmodels.metadata import as_dict, summarize

    summary = summarize(_loaded(ctx))
    if fmt == "json":
        click.echo(json.dumps(as_dict(summary), ensure_ascii=False, indent=2))
        return
    click.echo(render_summary(summary))


def render_summary(summary) -> str:  # type: ignore[no-untyped-def]
    lines = []
    for p in summary.plans:
        lines.append(f"{p.label_en} ({p.kind}) <{p.iri}>")
        lines.append(f"  {p.label_th}")
        for kind, n in sorted(p.items.items()):
            lines.append(f"  {kind:<24} {n:>5}")
        lines.append(f"  {'plan-level indicators':<24} {p.plan_indicators:>5}")
        lines.append(f"  {'issue indicator entries':<24} {p.issue_indicator_entries:>5}")
    lines.append("triples per named graph:")
    for g, n in summary.triples_per_graph.items():
        lines.append(f"  {n:>7}  {g}")
    lines.append(f"  {summary.total_triples:>7}  in all")
    return "\n".join(lines)


EXPORT_FORMATS = (*(f.name for f in formats.EXPORT_FORMATS), "xlsx")


@main.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="trig",
    help="trig, nquads and jsonld hold every named graph; turtle, ntriples and rdfxml the union; xlsx one plan "
    "(--plan) as the plan workbook.",
)
@click.option("--graph", default=None, help="Only this named graph (its name, e.g. 'nakhon-sawan-2564').")
@click.option(
    "--plan", "plan_slug", default=None, help="The plan (its slug, e.g. 'lower-north-1'), for --format xlsx."
)
@click.option(
    "--lang",
    type=click.Choice(["th", "en"]),
    default="th",
    help="Language of the workbook's guide sheet (xlsx).",
)
@output_option("Write here instead of standard output.")
@click.pass_context
def export_cmd(
    ctx: click.Context, fmt: str, graph: str | None, plan_slug: str | None, lang: str, output: Path | None
) -> None:
    """Write the whole dataset (or one graph) in a standard RDF format, or one plan as its workbook."""
    from planlink.readmodels.export import export

    if fmt == "xlsx" or plan_slug:
        if fmt != "xlsx" or not plan_slug:
            raise BadRequest("--plan SLUG goes with --format xlsx: a plan is exported as its workbook")
        export_plan_workbook(ctx, plan_slug, lang, output)
        return
    data = _loaded(ctx)
    graph_iri = None
    if graph:
        names = {f.name: f.iri for f in data.files}
        if graph not in names and graph not in names.values():
            raise DataFileError(f"no graph named {graph!r}; graphs: {', '.join(names)}", graph)
        graph_iri = names.get(graph, graph)
    body = export(data, formats.get(fmt), graph=graph_iri)
    assert body is not None
    emit(body, output, f"wrote {len(body)} bytes")


def export_plan_workbook(ctx: click.Context, slug: str, lang: str, output: Path | None) -> None:
    import io

    from planlink.readmodels.workbook.exporter import export_workbook, find_plan, known_areas

    root = Path(settings_from(ctx).root)
    path, graph, plan = find_plan(root, slug)
    wb = export_workbook(graph, plan, lang, known_areas(root))
    if output:
        wb.save(output)
        click.echo(f"wrote the workbook of {slug} ({path.name}) to {output}", err=True)
    else:
        buf = io.BytesIO()
        wb.save(buf)
        sys.stdout.buffer.write(buf.getvalue())


# -- plan workbooks (readmodels/workbook): the template, and a filled workbook imported into data/ ----------------


@main.command("template")
@click.option(
    "--lang",
    type=click.Choice(["th", "en"]),
    default="th",
    show_default=True,
    help="Language of the guide sheet.",
)
@output_option("The workbook to write (.xlsx).", required=True)
@click.pass_context
def template_cmd(ctx: click.Context, lang: str, output: Path) -> None:
    """Write the empty plan workbook: a guide sheet, then one sheet per kind of item."""
    from planlink.readmodels.workbook.exporter import known_areas
    from planlink.readmodels.workbook.template import new_workbook

    new_workbook(lang, known_areas(Path(settings_from(ctx).root))).save(output)
    click.echo(f"wrote the plan template to {output}", err=True)


@main.command("import")
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@output_option("The Turtle file to write (default: data/<plan slug>.ttl).")
@click.option("--lang", type=click.Choice(["en", "th"]), default="en", help="Language of the messages.")
@click.pass_context
def import_cmd(ctx: click.Context, workbook: Path, output: Path | None, lang: str) -> None:
    """Import a filled plan workbook (.xlsx or .ods) as a Turtle file, validated with the shapes first.

    Exit 0 when it was written, 1 when the workbook has problems (each named by sheet, row and column; nothing
    is written), 2 when the file cannot be read as a workbook."""
    from planlink.readmodels.workbook.importer import import_workbook
    from planlink.readmodels.workbook.messages import say

    s = settings_from(ctx)
    target, result = import_workbook(workbook, Path(s.root), output, lang, s.upload_cap)
    for w in result.warnings:
        click.echo(f"warning: {w.where}: {w.message}", err=True)
    click.echo(say("wrote", lang, path=target, triples=len(result.built.graph)))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--workers",
    default=None,
    type=click.IntRange(min=1),
    help="Web worker processes, each with PLANLINK_QUERY_WORKERS query evaluators and its own answer cache "
    "[default: one per CPU core, at most 4].",
)
@click.option("--threads", default=32, show_default=True, type=int, help="Request threads per web worker.")
@click.option(
    "--store",
    "store_url",
    default=None,
    help="Answer from this remote SPARQL 1.1 endpoint instead of the embedded store.",
)
@click.pass_context
def serve(
    ctx: click.Context, host: str, port: int, workers: int | None, threads: int, store_url: str | None
) -> None:
    """Load and validate the data, then serve it (SPARQL, linked data, reports) under granian."""
    from planlink import create_app
    from planlink.project import open_project
    from planlink.web.server import serve as serve_app

    settings = settings_from(ctx)
    if store_url:
        settings = settings.replace(store_url=store_url)
    project = open_project(settings)
    # One web worker per core: a worker answers from its cache in Python, under one GIL, so a single worker
    # leaves the other cores idle (cached answers at concurrency 8: 1,300 -> 2,400 requests/s on 2 cores).
    workers = workers or min(4, len(os.sched_getaffinity(0)))
    click.echo(
        f"planlink: {project.data.total_triples} triples in {len(project.files)} graphs "
        f"({startup_note(project)}); serving on http://{host}:{port}/ with {workers} web worker(s)",
        err=True,
    )
    serve_app(project, create_app(project=project), host, port, workers, threads)


def startup_note(project) -> str:  # type: ignore[no-untyped-def]
    """What start-up did: validation (run, reused or skipped) and the store (disk, memory or remote)."""
    up, t = project.startup, project.timings
    if project.validation is None:
        checked = "validation skipped"
    elif up.get("validation_reused"):
        checked = "validation result reused"
    else:
        checked = f"validated in {t.get('validate', 0):.1f} s"
    store = up.get("store", "memory")
    if store == "remote":
        where = f"remote store {up.get('store_url')}"
    elif store == "disk":
        where = f"on-disk store {'reused' if up.get('store_reused') else 'built'} ({t.get('load', 0):.1f} s)"
    else:
        where = f"in-memory store loaded in {t.get('load', 0):.1f} s"
        if up.get("store_persisting"):
            where += ", persisted to disk in the background for the next start"
    if str(up.get("store_choice", "")).startswith("auto"):
        where += f" (PLANLINK_STORE_MODE=auto chose {up['store_choice'][6:]}: the data files are "
        where += f"{'within' if up['store_choice'].endswith('memory') else 'over'} PLANLINK_MEMORY_STORE_MB)"
    return f"{checked}, {where}"


@main.command("publish")
@click.option(
    "--to",
    "url",
    required=True,
    help="The store's SPARQL 1.1 Graph Store endpoint, e.g. http://localhost:7878/store (Oxigraph server) or "
    "http://localhost:8890/sparql-graph-crud-auth (Virtuoso).",
)
@click.option("--replace", is_flag=True, help="Overwrite graphs the store already holds (default: refuse).")
@click.option("--timeout", default=300.0, show_default=True, type=float, help="Seconds per HTTP request.")
@click.option(
    "--user",
    default=None,
    help="A store user that may write graphs (Virtuoso: one with SPARQL_UPDATE, e.g. dba); the password is "
    "read from PLANLINK_STORE_PASSWORD, or asked for.",
)
@click.pass_context
def publish_cmd(ctx: click.Context, url: str, replace: bool, timeout: float, user: str | None) -> None:
    """Validate the dataset, then load it into a SPARQL store (one named graph per file, HTTP PUT).

    Exit 0 when every graph was stored, 1 when the data does not conform (nothing is sent) or the store refuses,
    2 when a file does not parse."""
    from planlink.engine.publish import Credentials, publish

    credentials = None
    if user is not None:
        password = os.environ.get("PLANLINK_STORE_PASSWORD")
        if password is None:
            password = click.prompt(f"password of {user} on the store", hide_input=True, err=True)
        credentials = Credentials(user, password)
    from planlink.readmodels.validation import validate_project

    s = settings_from(ctx)
    root = Path(s.root)
    report = validate_project(root, Path(s.state_dir) if s.state_dir else None)
    if not report.conforms:
        click.echo(render_report(report), err=True)
        click.echo("error: the data does not conform to the shapes; nothing was sent", err=True)
        sys.exit(1)
    files = discover(root, s.base_iri)
    click.echo(
        f"{report.summary()}; publishing {len(files)} graphs to {url}" + (" (replacing)" if replace else ""),
        err=True,
    )
    sent = publish(
        files,
        s.base_iri,
        url,
        replace,
        timeout,
        progress=lambda x: click.echo(f"PUT {x.status} {x.triples:>8} triples  <{x.graph}>"),
        credentials=credentials,
    )
    click.echo(f"published {sum(x.triples for x in sent)} triples in {len(sent)} graphs to {url}", err=True)


# -- curated queries, the alignment report, suggested links (queries/, alignment/, suggest.py) ----------------


def _project(ctx: click.Context) -> Project:
    """The project with its query service, for commands that run queries (no validation: nothing is served);
    it is closed when the command ends, however it ends."""
    from planlink.project import open_project

    return ctx.with_resource(contextlib.closing(open_project(settings_from(ctx), validate=False)))


def _key_values(pairs: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, eq, value = pair.partition("=")
        if not eq or not key:
            raise click.BadParameter(f"{pair!r}: write a parameter as name=value", param_hint="--param")
        if key in out:
            raise click.BadParameter(f"{key!r} is given twice", param_hint="--param")
        out[key] = value
    return out


@main.command("query")
@click.argument("name")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter value (repeat for several); the others keep their defaults.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "tsv", "xml", "xlsx"]),
    default="table",
    show_default=True,
    help="table: aligned text columns; xlsx: a spreadsheet; the others are SPARQL results formats.",
)
@click.option(
    "--max-width", default=60, show_default=True, help="Widest table cell, in columns (0: no limit)."
)
@output_option("Write the answer here instead of standard output.")
@click.pass_context
def query_cmd(
    ctx: click.Context, name: str, params: tuple[str, ...], fmt: str, max_width: int, output: Path | None
) -> None:
    """Run the curated query NAME (a file queries/NAME.rq); 'planlink query list' lists them.

    Exit 0 with the answer, 2 for an unknown query or a bad parameter value."""
    from planlink.foundation.text import render
    from planlink.readmodels import curated

    raw = _key_values(params)
    project = _project(ctx)
    if name == "list":
        rows = [
            [q.name, ", ".join(f"{p.name}={p.default or ''}" for p in q.params), q.label("en")]
            for q in project.catalog.values()
        ]
        click.echo(render(["query", "parameters (defaults)", "title"], rows, max_width))
        return
    if fmt != "table":
        if fmt == "xlsx" and output is None and sys.stdout.isatty():
            raise click.UsageError("a spreadsheet is not for the terminal: give -o FILE.xlsx, or redirect")
        if fmt == "xlsx":  # the header row names the columns in the query's language
            answered, body = curated.spreadsheet(project, name, raw)
            truncated = answered.truncated
        else:
            _, answer = curated.run(project, name, raw, formats.get(fmt))
            body, truncated = answer.body, answer.outcome.truncated
        emit(body, output, f"wrote {name} as {fmt}")
        if truncated:
            click.echo(f"warning: the answer was cut at {project.settings.row_cap} rows", err=True)
        return
    table = curated.table(project, name, raw)
    shown = [v for v in table.variables if v not in table.params]
    index = [table.variables.index(v) for v in shown]
    short = _shortener(project.base)
    click.echo(render(shown, [[short(row[i]) for i in index] for row in table.rows], max_width))
    click.echo(
        f"({len(table.rows)} rows{'; cut at the row limit' if table.truncated else ''}; "
        + ", ".join(f"{k}={short(v)}" for k, v in table.params.items())
        + ")",
        err=True,
    )


def _shortener(base: str):  # type: ignore[no-untyped-def]
    """A term as short text: an IRI with the longest known prefix, a literal as its value."""
    import pyoxigraph as ox

    from planlink.foundation.namespaces import prefixes

    known = sorted(prefixes(base).items(), key=lambda kv: -len(kv[1]))

    def short(term) -> str:  # type: ignore[no-untyped-def]
        if term is None:
            return ""
        if isinstance(term, ox.NamedNode):
            for p, ns in known:
                if term.value.startswith(ns):
                    return f"{p}:{term.value[len(ns) :]}"
            return term.value
        return str(term.value) if hasattr(term, "value") else str(term)

    return short


def plan_pair_options(command: Any) -> Any:
    """--source and --target: the two plans of an alignment (report, suggest)."""
    command = click.option(
        "--target",
        default=None,
        help="The target plan: an IRI, or a slug under id/ (default: lower-north-1).",
    )(command)
    return click.option(
        "--source",
        default=None,
        help="The source plan: an IRI, or a slug under id/ (default: nakhon-sawan-2564).",
    )(command)


@main.command("report")
@plan_pair_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "md", "csv", "json", "sssom", "xlsx", "pdf"]),
    default="md",
    show_default=True,
    help="csv: one row per link and per gap; sssom: the links as an SSSOM table; xlsx: a spreadsheet, one "
    "sheet per table of the report; pdf: the web page printed by headless Chromium (Thai fonts embedded).",
)
@click.option("--lang", type=click.Choice(["th", "en"]), default="th", show_default=True)
@output_option("Write here instead of standard output.")
@click.pass_context
def report_cmd(
    ctx: click.Context, source: str | None, target: str | None, fmt: str, lang: str, output: Path | None
) -> None:
    """The alignment report: what the source plan's items serve in the target plan, and what they leave out.

    Exit 0 with the report, 2 for an unknown plan."""
    from urllib.parse import urlencode

    from planlink.readmodels import review
    from planlink.readmodels.alignment import to_csv, to_json, to_markdown, to_sssom, to_xlsx

    project = _project(ctx)
    if fmt in ("xlsx", "pdf") and output is None and sys.stdout.isatty():
        raise click.UsageError(f"a {fmt} file is not for the terminal: give -o FILE.{fmt}, or redirect")
    report = review.report(project, source, target, lang)
    qs = urlencode({"source": report.source.iri, "target": report.target.iri, "lang": lang})

    def report_page() -> str:  # the web page, rendered by the app itself (for html and pdf)
        from planlink import create_app

        return (
            create_app(project=project).test_client().get(f"/reports/alignment?{qs}").get_data(as_text=True)
        )

    if fmt in ("xlsx", "pdf"):
        if fmt == "xlsx":
            data = to_xlsx(report)
        else:
            from planlink.web.printing import pdf_of

            data = pdf_of(report_page(), project.base.rstrip("/"))
        emit(data, output, f"wrote the {fmt} report")
        return
    if fmt == "html":  # the web page, rendered by the app itself
        body = report_page()
    elif fmt == "md":
        body = to_markdown(report)
    elif fmt == "csv":
        body = to_csv(report)
    elif fmt == "json":
        body = to_json(report)
    else:
        body = to_sssom(
            report, project.base, f"{project.base}reports/alignment.sssom.tsv?{qs}", project.version[:16]
        )
    emit(body, output, f"wrote the {fmt} report")


@main.command("suggest")
@plan_pair_options
@click.option(
    "-k", "k", default=3, show_default=True, type=click.IntRange(1, 50), help="Suggestions per source item."
)
@output_option("Turtle file to write (default: <state dir>/suggested-<source>--<target>.ttl, outside data/).")
@click.option(
    "--without",
    "without",
    multiple=True,
    type=click.Choice(["kinds", "anchors", "parents"]),
    help="Leave out a structural lever (repeatable; all three: text similarity alone).",
)
@click.pass_context
def suggest_cmd(
    ctx: click.Context,
    source: str | None,
    target: str | None,
    k: int,
    output: Path | None,
    without: tuple[str, ...],
) -> None:
    """Suggest links from the source plan's items to the target plan's, by Thai-aware text similarity and the
    plans' structure (item kinds, shared anchors, the parents' links).

    Writes computed, proposed alignment records (with scores, no SKOS triple) to their own file, leaving out the
    pairs already accepted or rejected, and prints precision@k and recall@k of the ranking against the curated
    links. Exit 0, or 2 for an unknown plan."""
    from planlink.readmodels import suggest

    project = _project(ctx)
    levers = suggest.Levers(**{name: name not in without for name in ("kinds", "anchors", "parents")})
    found, ev, src, tgt = suggest.run(project, source, target, k, levers)
    path = output or suggest.default_output(project, src, tgt)
    text = suggest.to_turtle(found, src, tgt, project.base, ev)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    click.echo(
        f"wrote {len(found)} suggested links awaiting review to {path} (of the top {k} per item, "
        f"{ev.suggestions - len(found)} pairs already accepted or rejected are left out)",
        err=True,
    )
    click.echo(
        f"precision@{k} = {ev.precision:.3f}  recall@{k} = {ev.recall:.3f}  "
        f"({ev.hits} of {ev.suggestions} suggestions are curated links; {ev.curated} curated links)"
    )
    click.echo(
        f"levers: {', '.join(n for n in ('kinds', 'anchors', 'parents') if getattr(levers, n)) or 'none'}"
        f" (kinds and parents learn from the other items' curated links, leave-one-out)"
    )


@main.command("curate")
@plan_pair_options
@click.option(
    "--port", default=8010, show_default=True, type=int, help="Port on 127.0.0.1 (never another interface)."
)
@click.option(
    "--curator",
    default=None,
    help="Your name, recorded with every decision [default: $PLANLINK_CURATOR, else your login name].",
)
@click.option(
    "-k", "k", default=3, show_default=True, type=click.IntRange(1, 50), help="Proposals per source item."
)
@click.pass_context
def curate_cmd(
    ctx: click.Context, source: str | None, target: str | None, port: int, curator: str | None, k: int
) -> None:
    """Review the proposed links of a plan pair in the browser, on 127.0.0.1 only: accept (relation, level,
    rationale), reject (reason) or mark unsure. Each decision is written at once to the pair's files in data/:
    accepted links to alignment-<source>--<target>.ttl, rejected and unsure ones to
    decisions-<source>--<target>.ttl. The public `planlink serve` never offers this."""
    import getpass

    from planlink.project import open_project
    from planlink.readmodels.curation import Curation
    from planlink.web.curate import build_curate_app
    from planlink.web.server import serve as serve_app

    settings = settings_from(ctx)
    if settings.store_url:
        raise BadRequest(
            "planlink curate works on the files in data/, not on a remote store (PLANLINK_STORE_URL)"
        )
    name = curator or os.environ.get("PLANLINK_CURATOR") or getpass.getuser()
    project = open_project(settings)
    # The pair is checked now, so that a wrong --source or --target ends here with its message (exit 2).
    Curation(project, source, target, name, k)
    app = build_curate_app(project, lambda: Curation(project, source, target, name, k))
    host = "127.0.0.1"
    click.echo(
        f"planlink curate: {project.data.total_triples} triples ({startup_note(project)}); curator {name!r}; "
        f"open http://{host}:{port}/curate",
        err=True,
    )
    serve_app(project, app, host, port, 1, 8)


if __name__ == "__main__":
    main()
