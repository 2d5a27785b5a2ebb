"""Every renderer of the report and trace dicts, and the one registry of report formats.

``report --format`` offers :data:`FORMATS` and :func:`render_report` uses it. Each entry names its
renderer as ``module:function`` so importing the registry (the CLI does, for ``--help``) costs
nothing: the renderer modules and their libraries (rich, jinja2, networkx, orjson) load when a
format is used.

Every field that comes from a document (text, title, source, url, ids) is untrusted: each format
escapes it for its own medium (HTML autoescaping, Markdown table cells, CSV formula injection,
XML-invalid characters, terminal control characters). Every renderer returns a string that ends
with exactly one newline, so callers write it as is (``click.echo(out, nl=False)`` or
``Path.write_text(out)``).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable

from ..errors import UsageProblem

__all__ = ["ReportFormat", "FORMATS", "format_names", "format_for_suffix", "render_report"]


@dataclass(frozen=True)
class ReportFormat:
    name: str
    renderer: str  # "module:function" inside this package; the function takes the report dict
    suffixes: tuple[str, ...]
    description: str
    # The HTML report shows each document's full text with the reused spans highlighted; the
    # other formats stay small without it.
    needs_text: bool = False

    def load(self) -> Callable[[dict], str]:
        module, _, func = self.renderer.partition(":")
        return getattr(importlib.import_module(module, __package__), func)

    def __call__(self, report: dict) -> str:
        return self.load()(report)


FORMATS: dict[str, ReportFormat] = {
    f.name: f
    for f in (
        ReportFormat("text", ".text:render_text", (".txt",), "readable tables for the terminal (the default)"),
        ReportFormat("json", ".data:render_json", (".json",), "the full report, report.schema.json"),
        ReportFormat("md", ".markdown:render_markdown", (".md", ".markdown"), "Markdown for notes and tickets"),
        ReportFormat(
            "html", ".page:render_html", (".html", ".htm"),
            "one self-contained interactive page for a person (fetches nothing)", needs_text=True,
        ),
        ReportFormat("csv", ".data:render_csv", (".csv",), "one row per (origin, member) pair, for spreadsheets"),
        ReportFormat("graphml", ".graphs:render_graphml", (".graphml",), "the document reuse graph as GraphML (Gephi, yEd, Cytoscape)"),
        ReportFormat("gexf", ".graphs:render_gexf", (".gexf",), "the document reuse graph as GEXF (Gephi)"),
        ReportFormat(
            "jsonld", ".jsonld:render_jsonld", (".jsonld",),
            "schema.org Claim objects with appearance and firstAppearance (ClaimReview-style)",
        ),
    )
}


def format_names() -> list[str]:
    """Every format name, sorted (for ``click.Choice`` and messages)."""
    return sorted(FORMATS)


def format_for_suffix(suffix: str) -> str | None:
    """The format an output file's extension asks for, if any."""
    suffix = suffix.lower()
    for f in FORMATS.values():
        if suffix in f.suffixes:
            return f.name
    return None


def render_report(report: dict, fmt: str) -> str:
    """Render ``report`` in format ``fmt``; an unknown format raises :class:`UsageProblem`."""
    renderer = FORMATS.get(fmt) if isinstance(fmt, str) else None
    if renderer is None:
        raise UsageProblem(
            f"unknown report format {fmt!r}; choose one of: {', '.join(format_names())}"
        )
    return renderer(report)
