"""The report formats: one registry that ``report --format`` offers and ``render_report`` uses.

Each entry names its renderer as ``module:function`` so importing the registry (the CLI does, for
``--help``) costs nothing: renderers and their libraries (jinja2, networkx) load when used.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable


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
        ReportFormat("text", ".render:render_text", (".txt",), "readable tables for the terminal (the default)"),
        ReportFormat("json", ".render:render_json", (".json",), "the full report, report.schema.json"),
        ReportFormat("md", ".render:render_markdown", (".md", ".markdown"), "Markdown for notes and tickets"),
        ReportFormat(
            "html", ".html_report:render_html", (".html", ".htm"),
            "one self-contained interactive page for a person (fetches nothing)", needs_text=True,
        ),
        ReportFormat("csv", ".render:render_csv", (".csv",), "one row per (origin, member) pair, for spreadsheets"),
        ReportFormat("graphml", ".exports:render_graphml", (".graphml",), "the document reuse graph as GraphML (Gephi, yEd, Cytoscape)"),
        ReportFormat("gexf", ".exports:render_gexf", (".gexf",), "the document reuse graph as GEXF (Gephi)"),
        ReportFormat(
            "jsonld", ".exports:render_jsonld", (".jsonld",),
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
