"""The command line: parse options, call the library, map its errors to messages and exit codes.

Heavy modules (numpy, faiss, torch) are imported inside the commands so ``--help`` is instant.
``index``, ``trace`` and ``report`` are here; the commands about the store itself (``info``,
``documents``, ``check``, ``backup``, ``restore``) are in :mod:`provenance.cli_store`.
"""

from __future__ import annotations

import logging
import os
import sys
from collections import Counter
from pathlib import Path

import click

from . import __version__
from .errors import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, ProvenanceError, UsageProblem
from .output import FORMATS, format_for_suffix, format_names
from .wording import plural

DEFAULT_STORE = os.path.join("indexes", "default")
REPORT_FORMATS = tuple(format_names())

log = logging.getLogger("provenance")


class Context:
    def __init__(self, store: str, debug: bool) -> None:
        self.store = store
        self.debug = debug


def _quiet_model_loading() -> None:
    # Progress bars from the model loader would clutter stderr; our own bar says what runs.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")


INTERRUPTED = "Interrupted; what was committed before it is kept."
INTERRUPTED_INDEX = "Aborted: batches committed before the interrupt are kept; run the same command again to finish."
# Skipped files named one per line at a terminal before "... and N more" (--json lists all).
SHOW_SKIPPED = 20


def _fail(ctx: click.Context, exc: BaseException, interrupted: str = INTERRUPTED) -> None:
    """Print one clear line for ``exc`` and exit with its code (a traceback only with --debug);
    Ctrl-C prints ``interrupted`` and exits 130, as shells expect."""
    debug = ctx.find_object(Context).debug if ctx.find_object(Context) else False
    if isinstance(exc, UsageProblem):
        raise click.UsageError(str(exc), ctx) from exc
    if debug:
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    if isinstance(exc, ProvenanceError):
        click.echo(f"error: {exc}", err=True)
        ctx.exit(exc.exit_code)
    mapped = _storage_error(exc)
    if mapped is not None:
        click.echo(f"error: {mapped}", err=True)
        ctx.exit(mapped.exit_code)
    if isinstance(exc, KeyboardInterrupt):
        click.echo(interrupted, err=True)
        ctx.exit(EXIT_INTERRUPTED)
    click.echo(f"error: unexpected failure ({type(exc).__name__}: {exc}); rerun with --debug for details", err=True)
    ctx.exit(EXIT_FAILURE)


def _storage_error(exc: BaseException) -> ProvenanceError | None:
    """Our error for a storage failure that reached the CLI unmapped (locked, full, I/O)."""
    from .errors import storage_error

    obj = click.get_current_context(silent=True)
    store = obj.obj.store if obj is not None and isinstance(obj.obj, Context) else "the store"
    return storage_error(exc, store)


class _Group(click.Group):
    """The command group: Ctrl-C anywhere exits 130 (click's own handling would exit 1)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo(INTERRUPTED, err=True)
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None


def _store_after_command(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    """``--store`` given after the command: the same as before it (the contract's place)."""
    if value is None:
        return
    group = ctx.find_root()
    before = group.params.get("store")
    if group.get_parameter_source("store") == click.core.ParameterSource.COMMANDLINE and before != value:
        raise click.UsageError(f"--store given twice ({before} before the command, {value} after it); give it once", ctx)
    ctx.find_object(Context).store = value


def store_option(f):
    """``--store DIR`` on a command, so ``provenance trace --store DIR TEXT`` works too."""
    return click.option(
        "--store", type=click.Path(file_okay=False, path_type=str), default=None, expose_value=False,
        callback=_store_after_command, help="Store folder (may also come before the command).",
    )(f)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    type=click.Path(file_okay=False, path_type=str),
    envvar="PROVENANCE_STORE",
    default=DEFAULT_STORE,
    show_default=True,
    help="Store folder (SQLite + FAISS + manifest). Also $PROVENANCE_STORE.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logs.")
@click.option("-v", "--verbose", is_flag=True, help="Log what the library does (to stderr).")
@click.version_option(__version__, prog_name="provenance")
@click.pass_context
def cli(ctx: click.Context, store: str, debug: bool, verbose: bool) -> None:
    """Trace where a claim came from.

    \b
    provenance index PATH...        index documents (matched at once against the store)
    provenance trace "TEXT"         where did this claim come from?
    provenance report --format md   who reused whom, how faithfully
    provenance documents            what the store holds
    provenance index --engine ray   the same index on a Ray cluster (a dataset store)
    """
    level = logging.DEBUG if debug else logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s: %(name)s: %(message)s", stream=sys.stderr)
    _quiet_model_loading()
    ctx.obj = Context(store, debug)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@click.option("--model", default=None, help="Embedding model: a local sentence-transformers folder, or 'hashing' (tests). Default: the bundled all-MiniLM-L6-v2.")
@click.option("--wait", is_flag=True, help="Wait for another indexer to finish instead of failing.")
@click.option("--encoder", type=click.Choice(["sentence-transformers", "onnx"]), default="sentence-transformers", show_default=True, help="Runtime that computes the vectors (onnx: ONNX Runtime, exported once from the local weights).")
@click.option("--device", default="auto", show_default=True, help="auto (CUDA when torch finds a GPU, else cpu), cpu, cuda, cuda:N.")
@click.option("--commit-every", "commit_every", type=click.FloatRange(min=0), default=5.0, show_default=True, help="Commit at least this often (seconds of work), so an interrupt loses little; 0 commits every 64 documents. (--engine ray commits once per run and resumes by stage.)")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="local: this process, into a SQLite store. ray: the same stages on a Ray cluster, into a dataset store "
              "(pip install 'provenance[ray]').")
@click.option("--address", default=None, help="With --engine ray: the Ray cluster to join ('auto' or HOST:PORT); default: start one here.")
@click.option("--gpus", type=click.IntRange(0), default=0, show_default=True, help="With --engine ray: embedding workers with one GPU each.")
@click.option("--cpus", type=click.IntRange(1), default=None, help="With --engine ray and no --address: cores of the local cluster (default: all).")
@store_option
@click.pass_context
def index(
    ctx: click.Context, paths: tuple[str, ...], as_json: bool, model: str | None, wait: bool, encoder: str, device: str,
    commit_every: float, engine: str, address: str | None, gpus: int, cpus: int | None,
) -> None:  # fmt: skip
    """Index documents: JSON Lines, .txt/.md (front matter), .html, folders; '-' reads JSON Lines from stdin."""
    obj: Context = ctx.obj
    if engine == "local" and (address or gpus or cpus):
        raise click.UsageError("--address, --gpus and --cpus need --engine ray", ctx)
    try:
        if engine == "ray":
            summary = _index_on_ray(obj.store, paths, model, wait, encoder, device, address, gpus, cpus)
        else:
            summary = _index_here(obj.store, paths, as_json, model, wait, encoder, device, commit_every)
    except (ProvenanceError, KeyboardInterrupt, Exception) as exc:  # noqa: BLE001 - mapped to one line
        _fail(ctx, exc, INTERRUPTED_INDEX)
        return
    _print_inputs_left_out(summary, as_json)
    if as_json:
        import orjson

        click.echo(orjson.dumps(summary.to_json()).decode())
    elif not summary.found_nothing:
        click.echo(_index_sentence(summary, obj.store))
    if summary.found_nothing:
        created = "" if _store_exists(obj.store) else f" (so no store was created at {obj.store})"
        why = "the lines above say why" if summary.rejected or summary.skipped else "the paths hold no file"
        click.echo(f"error: found no document to index under {' '.join(paths)}{created}; {why}", err=True)
    ctx.exit(EXIT_FAILURE if summary.rejected or summary.found_nothing else EXIT_OK)


def _index_here(store: str, paths: tuple[str, ...], as_json: bool, model: str | None, wait: bool, encoder: str, device: str,
                commit_every: float):  # fmt: skip
    from .batching import CommitPacer
    from .pipeline import index_paths

    show_bar = not as_json and sys.stderr.isatty()
    total = None
    if show_bar:
        from .progress import estimate_documents

        total = estimate_documents(list(paths))
    with _Progress(enabled=show_bar, total=total) as bar:
        return index_paths(
            store, list(paths), model=model, stdin=sys.stdin.buffer, wait=wait, pacer=CommitPacer(seconds=commit_every),
            progress=bar.advance if bar else None, stage=bar.stage if bar else None, encoder=encoder, device=device,
        )


def _index_on_ray(store: str, paths: tuple[str, ...], model: str | None, wait: bool, encoder: str, device: str,
                  address: str | None, gpus: int, cpus: int | None):  # fmt: skip
    from .scale import RayOptions, index_with_ray

    options = RayOptions(address=address, cpus=cpus, gpus=gpus)
    return index_with_ray(
        store, list(paths), model=model, stdin=sys.stdin.buffer, wait=wait, encoder=encoder, device=device, options=options
    )


def _store_exists(path: str) -> bool:
    """A store of either kind (SQLite, or the dataset store ``--engine ray`` writes) is there."""
    from .store.kinds import store_kind

    return store_kind(path) is not None


def _print_inputs_left_out(summary, as_json: bool) -> None:
    """Every rejection on stderr as ``file:line: why``; every skipped file as ``skipped: file:
    why`` (at a terminal the first ones, then a count: --json lists them all)."""
    for r in summary.rejected:
        where = f"{r.path}:{r.line}" if r.line is not None else r.path
        click.echo(f"{where}: {r.reason}", err=True)
    shown = summary.skipped if as_json else summary.skipped[:SHOW_SKIPPED]
    for f in shown:
        click.echo(f"skipped: {f.path}: {f.reason}", err=True)
    if len(shown) < len(summary.skipped):
        click.echo(f"skipped: ... and {len(summary.skipped) - len(shown)} more (index --json lists every one)", err=True)


def _index_sentence(summary, store: str) -> str:
    """"indexed 10 documents (111 claims, ...) into STORE; ...": the one-line summary."""
    from .visibility import hidden_sentence

    left_out = [f"{summary.documents_skipped} already there", f"{len(summary.rejected)} rejected"]
    if summary.skipped:
        left_out.append(f"{plural(len(summary.skipped), 'file')} skipped")
    clusters = f"{plural(summary.clusters, 'cluster')} across documents"
    hidden = hidden_sentence(Counter(summary.clusters_hidden))
    if hidden:
        clusters += f" ({hidden}; report --show-hidden shows them)"
    return (
        f"indexed {plural(summary.documents_added, 'document')} ({plural(summary.claims_added, 'claim')}, "
        f"{plural(summary.quote_units_added, 'quote')} inside them, "
        f"{plural(summary.texts_embedded, 'text')} embedded) into {store}; {', '.join(left_out)}; "
        f"{plural(summary.matches_added, 'new match', 'new matches')}; {clusters}; {summary.seconds:.1f}s"
    )


class _Progress:
    """A documents-indexed bar on stderr, shown only to a person at a terminal, that says what the
    run is doing (loading the model, indexing, saving the snapshot)."""

    def __init__(self, enabled: bool, total: int | None = None) -> None:
        self.enabled = enabled
        self.total = total
        self._progress = None
        self._task = None

    def __enter__(self) -> _Progress | None:
        if not self.enabled:
            return None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("documents"),
            TimeElapsedColumn(), console=Console(stderr=True), transient=True,
        )
        self._progress.start()
        self._task = self._progress.add_task("starting", total=self.total)
        return self

    def advance(self, n: int) -> None:
        self._progress.advance(self._task, n)

    def stage(self, text: str) -> None:
        self._progress.update(self._task, description=text)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


@cli.command()
@click.argument("text", required=False)
@click.option("--batch", "batch_file", type=str, default=None, help="JSON Lines with 'text' (and optional 'id'), or plain lines; '-' reads stdin.")
@click.option("--top", default=10, show_default=True, type=click.IntRange(1, 1000), help="At most this many matches per query.")
@click.option("--json", "as_json", is_flag=True, help="JSON output (one object per query, one per line with --batch).")
@click.option("--encoder", type=click.Choice(["auto", "sentence-transformers", "onnx"]), default="auto", show_default=True, help="auto: ONNX Runtime when a verified export is cached (fast start), else torch.")
@click.option("--device", default="auto", show_default=True, help="auto, cpu, cuda, cuda:N (torch encoder only).")
@store_option
@click.pass_context
def trace(ctx: click.Context, text: str | None, batch_file: str | None, top: int, as_json: bool, encoder: str, device: str) -> None:
    """Trace a claim to its origin: best matches, related claims and the earliest witness."""
    _check_trace_input(ctx, text, batch_file)
    obj: Context = ctx.obj
    try:
        import orjson

        from .embed import load_encoder
        from .store.kinds import open_reader
        from .trace import Query, trace as run_trace

        queries = [Query(text)] if text is not None else _read_batch(batch_file)
        with open_reader(obj.store) as store:
            embedder = load_encoder(store.model, encoder, device)
            results = run_trace(store, embedder, queries, top=top)
    except click.UsageError:
        raise
    except (ProvenanceError, KeyboardInterrupt, Exception) as exc:  # noqa: BLE001
        _fail(ctx, exc)
        return
    if as_json:
        for result in results:
            if text is not None:
                result.pop("id", None)
            click.echo(orjson.dumps(result).decode())
        return
    from .output.trace_text import render_trace_text

    for i, result in enumerate(results):
        if i:
            click.echo()
        click.echo(render_trace_text(result), nl=False)


def _check_trace_input(ctx: click.Context, text: str | None, batch_file: str | None) -> None:
    """Usage errors (exit 2) for a trace with nothing to trace, or with two things."""
    if text is not None and batch_file is not None:
        raise click.UsageError("give the text to trace or --batch FILE, not both", ctx)
    if text is None and batch_file is None:
        raise click.UsageError(
            "nothing to trace: give the claim as TEXT (provenance trace \"The tank leaked 40,000 gallons.\") "
            "or a file of claims with --batch FILE", ctx,
        )
    if text is not None and not any(ch.isalnum() for ch in text):
        raise click.UsageError(f"the text to trace has no words ({text!r}); give the claim as TEXT", ctx)


def _read_batch(path: str) -> list:
    """Queries from a --batch file: JSON Lines objects with 'text', or plain lines."""
    import orjson

    from .trace import Query

    raw = sys.stdin.buffer.read() if path == "-" else _read_file(path)
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageProblem(f"{path}: not valid UTF-8 (byte {exc.start}); re-encode the batch file as UTF-8") from exc
    queries = []
    for lineno, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        if line.lstrip().startswith("{"):
            try:
                obj = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise UsageProblem(f"{path}:{lineno}: invalid JSON ({exc}); fix the line or give plain text") from exc
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or not obj["text"].strip():
                raise UsageProblem(f"{path}:{lineno}: a JSON query needs a non-empty 'text' string")
            qid = obj.get("id")
            if qid is not None and not isinstance(qid, (str, int)):
                qid = str(qid)
            queries.append(Query(obj["text"], qid))
        else:
            queries.append(Query(line.strip()))
    return queries


def _read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UsageProblem(f"cannot read {path}: {exc.strerror}") from exc


@cli.command()
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default=None,
              help="Output format: " + "; ".join(f"{f.name}: {f.description}" for f in FORMATS.values())
              + ". Default: from --output's extension, else text.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=str), default=None, help="Write here instead of stdout.")
@click.option("--show-hidden", is_flag=True, help="Also show reuse inside one outlet and boilerplate lines (sign-ups, bylines).")
@store_option
@click.pass_context
def report(ctx: click.Context, fmt: str | None, output: str | None, show_hidden: bool) -> None:
    """Report reuse: documents, clusters of the same claim with their origin, and who reused whom."""
    obj: Context = ctx.obj
    if fmt is None:
        fmt = _format_of_output(ctx, output)
    try:
        from .output import render_report
        from .report import build_report
        from .store.kinds import open_reader

        with open_reader(obj.store) as store:
            data = build_report(store, show_hidden=show_hidden, include_text=FORMATS[fmt].needs_text)
        rendered = render_report(data, fmt)
        if output:
            try:
                Path(output).write_text(rendered, encoding="utf-8")
            except OSError as exc:
                raise UsageProblem(f"cannot write {output}: {exc.strerror}") from exc
            summary = data.get("summary") or {}
            click.echo(
                f"wrote {output} ({fmt}: {plural(summary.get('documents', 0), 'document')}, "
                f"{plural(summary.get('clusters', 0), 'cluster')} across documents)", err=True,
            )
        else:
            click.echo(rendered, nl=not rendered.endswith("\n"))
    except click.UsageError:
        raise
    except (ProvenanceError, KeyboardInterrupt, Exception) as exc:  # noqa: BLE001
        _fail(ctx, exc)


def _format_of_output(ctx: click.Context, output: str | None) -> str:
    """The format ``--output``'s extension names ("text" for no file or no extension); an
    extension no format has is a usage error, never a file in an unexpected format."""
    suffix = Path(output).suffix if output else ""
    if not suffix:
        return "text"
    fmt = format_for_suffix(suffix)
    if fmt is None:
        known = ", ".join(f"{f.suffixes[0]} ({f.name})" for f in FORMATS.values())
        raise click.UsageError(
            f"no report format writes {suffix!r} files ({output}); name the file with one of {known}, "
            "or give --format", ctx,
        )
    return fmt


def main() -> None:
    cli(prog_name="provenance")


# The store-level commands register themselves on ``cli`` (imported last: they use the above).
from . import cli_store  # noqa: E402,F401
