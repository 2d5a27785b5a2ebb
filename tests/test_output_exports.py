"""GraphML, GEXF and JSON-LD exports, and the format registry behind ``report --format``."""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx

from provenance.output import FORMATS, format_for_suffix, format_names
from provenance.output.graphs import render_gexf, render_graphml
from provenance.output.jsonld import render_jsonld

from .test_cli import index, run
from .test_cli import corpus  # noqa: F401 - fixture
from .test_output import report  # noqa: F401 - fixture


def _hostile(report: dict) -> dict:
    out = copy.deepcopy(report)
    out["documents"][0]["title"] = "Bell\x07 and <tag> & \x1b[31m \ufffe"
    return out


def test_graphml_reads_back_with_every_document_and_edge(report):  # noqa: F811
    text = render_graphml(_hostile(report))
    ET.fromstring(text.encode("utf-8"))  # well-formed XML despite control characters
    graph = nx.parse_graphml(text)
    assert graph.is_directed()
    assert set(graph.nodes) == {"doc-a", "doc-b", "doc-c"}
    assert graph.nodes["doc-a"]["title"] == "Bell and <tag> & [31m "
    assert graph.nodes["doc-b"]["title"] == "<script>alert(1)</script>"
    assert "url" not in graph.nodes["doc-c"]  # no null attributes
    edge = graph.edges["doc-a", "doc-b"]
    assert edge["shared_claims"] == 2 and edge["verbatim"] == 1 and edge["paraphrase"] == 1
    assert graph.number_of_edges() == 3


def test_gexf_is_well_formed_gephi_xml(report):  # noqa: F811
    text = render_gexf(_hostile(report))
    root = ET.fromstring(text.encode("utf-8"))
    ns = {"g": root.tag.split("}")[0].strip("{")}
    assert root.find("g:graph", ns).get("defaultedgetype") == "directed"
    nodes = root.findall(".//g:node", ns)
    edges = root.findall(".//g:edge", ns)
    assert sorted(n.get("id") for n in nodes) == ["doc-a", "doc-b", "doc-c"]
    assert {(e.get("source"), e.get("target")) for e in edges} == {("doc-a", "doc-b"), ("doc-b", "doc-a"), ("doc-a", "doc-c")}
    graph = nx.read_gexf(__import__("io").BytesIO(text.encode("utf-8")))
    assert graph.nodes["doc-b"]["label"] == "<script>alert(1)</script>"


def test_jsonld_claims_with_first_appearance(report):  # noqa: F811
    data = json.loads(render_jsonld(report))
    assert data["@context"] == "https://schema.org"
    claims = data["@graph"]
    assert [c["@type"] for c in claims] == ["Claim"] * 3
    first = claims[0]
    assert first["text"] == report["clusters"][0]["members"][0]["text"]
    assert first["firstAppearance"] == first["appearance"][0]
    assert first["firstAppearance"]["url"] == "https://wire.example/jobs"
    assert first["firstAppearance"]["publisher"] == {"@type": "Organization", "name": "Wire Service"}
    assert [a["identifier"] for a in first["appearance"]] == ["doc-a", "doc-b", "doc-c"]
    assert "differs: number 3.5% → 4%" in first["appearance"][2]["description"]
    assert first["author"] == {"@type": "Thing", "name": "Bureau of Labor Statistics", "url": "https://bls.example/cps"}
    # A javascript: URL never becomes a url or @id; cluster 3's primary source has only such a URL.
    text = json.dumps(data)
    assert '"url": "javascript' not in text and '"@id": "javascript' not in text
    assert "author" not in claims[2] or "url" not in claims[2]["author"]


def test_registry_names_suffixes_and_text_need():
    assert format_names() == sorted(FORMATS)
    assert {"text", "json", "md", "html", "csv", "graphml", "gexf", "jsonld"} <= set(FORMATS)
    assert format_for_suffix(".GEXF") == "gexf" and format_for_suffix(".jsonld") == "jsonld"
    assert format_for_suffix(".htm") == "html" and format_for_suffix(".xyz") is None
    assert [f.name for f in FORMATS.values() if f.needs_text] == ["html"]
    for f in FORMATS.values():
        assert callable(f.load())


def test_cli_writes_every_format(tmp_path: Path, corpus):  # noqa: F811
    store = tmp_path / "store"
    assert index(store, str(corpus)).exit_code == 0
    for name in format_names():
        res = run("--store", str(store), "report", "--format", name)
        assert res.exit_code == 0, (name, res.output)
        assert res.stdout.strip()
    # The output file's extension picks the format when --format is not given.
    for suffix, check in ((".gexf", "<gexf"), (".graphml", "<graphml"), (".jsonld", '"@graph"')):
        out = tmp_path / f"r{suffix}"
        assert run("--store", str(store), "report", "--output", str(out)).exit_code == 0
        assert check in out.read_text()
    # Only the HTML page carries document texts.
    page = run("--store", str(store), "report", "--format", "html").stdout
    assert "Breaking news today." in page
    # (The JSON names an untitled document by its first line, but carries no document's text.)
    assert all("text" not in d for d in json.loads(run("--store", str(store), "report", "--format", "json").stdout)["documents"])
    help_text = run("report", "--help").stdout
    for name in format_names():
        assert name in help_text


def test_demo_writes_every_format():
    demo = (Path(__file__).resolve().parents[1] / "scripts" / "demo").read_text()
    for name in format_names():
        assert f" {name}:" in demo, f"scripts/demo does not write the {name} report"
