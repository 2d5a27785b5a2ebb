"""The commands about a store itself: ``info``, ``documents``, ``check``, ``backup``, ``restore``.

They register on :data:`provenance.cli.cli` (imported at the end of that module) and follow its
rules: parse, call the library, print, map errors to one line and an exit code.
"""

from __future__ import annotations

import click

from .cli import Context, _fail, cli, store_option
from .errors import EXIT_STORE_IO, ProvenanceError
from .wording import plural


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@store_option
@click.pass_context
def info(ctx: click.Context, as_json: bool) -> None:
    """What a store holds (model, schema, counts, clusters shown and hidden) and what its
    documents lack (dates, outlets, titles)."""
    obj: Context = ctx.obj
    try:
        from .inventory import missing, shown_clusters
        from .store import Store

        with Store.open(obj.store) as store:
            data = {"store": str(store.path), **store.manifest(), "counts": store.counts()}
            data["model"] = store.model
            seen = shown_clusters(store)
            data["clusters_shown"] = seen.clusters
            data["clusters_hidden"] = dict(seen.hidden)
            data["missing"] = missing(store)
    except (ProvenanceError, KeyboardInterrupt, Exception) as exc:  # noqa: BLE001
        _fail(ctx, exc)
        return
    if as_json:
        import orjson

        click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())
        return
    from collections import Counter

    from .visibility import hidden_sentence

    counts = data["counts"]
    click.echo(f"store:    {data['store']}")
    click.echo(f"model:    {data['model']} (dimension {data.get('dimension')})")
    click.echo(f"schema:   {data.get('schema_version')}")
    hidden = hidden_sentence(Counter(data["clusters_hidden"]))
    click.echo(
        f"contents: {plural(counts['documents'], 'document')}, {plural(counts['claims'], 'claim')} "
        f"({counts.get('quote_units', 0)} of them quotes inside others), "
        f"{plural(counts['matches'], 'match')}, {plural(data['clusters_shown'], 'cluster')} across documents"
        + (f" ({hidden}; report --show-hidden shows them)" if hidden else "")
    )
    import textwrap

    for i, line in enumerate(data["missing"]):
        click.echo(textwrap.fill(line, 100, initial_indent=f"{'missing:' if i == 0 else '':<10}", subsequent_indent=" " * 10))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per document, one per line.")
@store_option
@click.pass_context
def documents(ctx: click.Context, as_json: bool) -> None:
    """List the documents in the store: id, name, outlet, date, claims, reused claims, and the
    URL or file each came from."""
    obj: Context = ctx.obj
    try:
        from .inventory import document_rows
        from .store import Store

        with Store.open(obj.store) as store:
            rows = document_rows(store)
    except (ProvenanceError, KeyboardInterrupt, Exception) as exc:  # noqa: BLE001
        _fail(ctx, exc)
        return
    if as_json:
        import orjson

        for row in rows:
            click.echo(orjson.dumps(row.to_json()).decode())
        return
    import shutil
    import sys

    from .output.listing import render_documents

    # At a terminal the table fits its width; piped, nothing is cut.
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
    click.echo(render_documents(rows, width=width), nl=False)


@cli.command()
@click.option("--repair", is_flag=True, help="Rebuild what is derived and damaged or behind: the vector snapshot and the clusters.")
@click.option("--rebuild", is_flag=True, help="With --repair: rebuild the vector snapshot and clusters even if they look fine.")
@click.option("--wait", is_flag=True, help="With --repair: wait for a running indexer instead of failing.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@store_option
@click.pass_context
def check(ctx: click.Context, repair: bool, rebuild: bool, wait: bool, as_json: bool) -> None:
    """Check a store: SQLite integrity, vector snapshot vs SQLite, manifest. Exit 74 if damaged."""
    obj: Context = ctx.obj
    if rebuild and not repair:
        raise click.UsageError("--rebuild only makes sense with --repair", ctx)
    try:
        from .check import check_store

        result = check_store(obj.store, repair=repair, rebuild=rebuild, wait=wait)
    except (ProvenanceError, KeyboardInterrupt, Exception) as exc:  # noqa: BLE001
        _fail(ctx, exc)
        return
    if as_json:
        import orjson

        click.echo(orjson.dumps(result.to_json()).decode())
    else:
        for line in result.repaired:
            click.echo(f"repaired: {line}")
        for line in result.notes:
            click.echo(f"note: {line}")
        for line in result.problems:
            click.echo(f"problem: {line}")
        counts = result.counts
        if result.ok:
            click.echo(
                f"{result.store}: ok ({plural(counts.get('documents', 0), 'document')}, {plural(counts.get('claims', 0), 'claim')}; "
                "SQLite integrity ok, vector snapshot matches SQLite)"
            )
    if not result.ok:
        hint = "" if result.sqlite_ok else " (the database itself: restore a backup)"
        click.echo(f"error: store {result.store} has {plural(len(result.problems), 'problem')}{hint}; "
                   + ("run 'provenance check --repair'" if result.sqlite_ok and not repair else "see above"), err=True)
        ctx.exit(EXIT_STORE_IO)


@cli.command()
@click.argument("dest", type=click.Path(file_okay=False, path_type=str))
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@store_option
@click.pass_context
def backup(ctx: click.Context, dest: str, as_json: bool) -> None:
    """Copy the store into DEST (a new or empty folder), consistently even while an index runs."""
    obj: Context = ctx.obj
    try:
        from .store.backup import backup_store

        result = backup_store(obj.store, dest)
    except (ProvenanceError, KeyboardInterrupt, Exception) as exc:  # noqa: BLE001
        _fail(ctx, exc)
        return
    _print_copy(result, as_json, f"backed up {obj.store} into {dest}", f"restore it with: provenance --store NEW-FOLDER restore {dest}")


@cli.command()
@click.argument("backup_folder", metavar="BACKUP", type=click.Path(file_okay=False, path_type=str))
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@store_option
@click.pass_context
def restore(ctx: click.Context, backup_folder: str, as_json: bool) -> None:
    """Check the backup in BACKUP and restore it as the store (--store: a new or empty folder)."""
    obj: Context = ctx.obj
    try:
        from .check import check_store
        from .store.backup import restore_store

        result = restore_store(backup_folder, obj.store)
        checked = check_store(obj.store)
    except (ProvenanceError, KeyboardInterrupt, Exception) as exc:  # noqa: BLE001
        _fail(ctx, exc)
        return
    _print_copy(result, as_json, f"restored {backup_folder} into {obj.store}", "check: ok" if checked.ok else "; ".join(checked.problems))
    if not checked.ok:
        ctx.exit(EXIT_STORE_IO)


def _print_copy(result, as_json: bool, done: str, then: str) -> None:
    if as_json:
        import orjson

        click.echo(orjson.dumps(result.to_json()).decode())
        return
    vectors = (
        f"vector snapshot of {plural(result.snapshot_vectors, 'claim')}" if result.snapshot_vectors is not None
        else "no vector snapshot (rebuilt from SQLite when first opened)"
    )
    click.echo(
        f"{done}: {plural(result.documents, 'document')}, {plural(result.claims, 'claim')}, {vectors}; "
        f"{result.seconds:.1f}s; {then}"
    )
