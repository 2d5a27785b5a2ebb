"""Tests for provenance.documents: every input rule and every bad-input case (B1-B12)."""

from __future__ import annotations

import codecs
import glob
import hashlib
import io
import json
import os
import time
from pathlib import Path

import pytest

from provenance import documents, textnorm
from provenance.documents import (
    Document,
    Rejection,
    derive_id,
    document_from_record,
    parse_published,
    read_inputs,
)
from provenance.errors import InputRejected

SEEDS = sorted(glob.glob("/work/shared/corpus/seeds/*.txt"))

JAPANESE = "\u5e02\u9577\u306f\u9053\u8def\u88dc\u4fee\u306e\u4e88\u7b97\u304c\u5343\u4e8c\u767e\u4e07\u5186\u306b\u306a\u308b\u3068\u8ff0\u3079\u305f\u3002\u6628\u5e74\u3088\u308a\u3082\u591a\u3044\u3002"

ARTICLE = (
    "The city council voted on Tuesday to approve the new budget of 12 million dollars, "
    "officials said in a statement released late in the evening.\n\n"
    "Mayor Smith said the budget would fund three new schools and repair forty kilometres "
    "of roads over the next five years."
)


def read(*paths: object, stdin: bytes | None = None) -> list[Document | Rejection]:
    stream = io.BytesIO(stdin) if stdin is not None else None
    return list(read_inputs([str(p) for p in paths], stdin=stream))


def docs(items: list[Document | Rejection]) -> list[Document]:
    return [i for i in items if isinstance(i, Document)]


def rejections(items: list[Document | Rejection]) -> list[Rejection]:
    return [i for i in items if isinstance(i, Rejection)]


def only_doc(items: list[Document | Rejection]) -> Document:
    assert len(items) == 1 and isinstance(items[0], Document), items
    return items[0]


def only_rejection(items: list[Document | Rejection]) -> Rejection:
    assert len(items) == 1 and isinstance(items[0], Rejection), items
    return items[0]


def jsonl(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


# --- JSON Lines ------------------------------------------------------------------------------


def test_jsonl_good_and_bad_lines(tmp_path: Path) -> None:
    f = tmp_path / "in.jsonl"
    f.write_text(
        jsonl(
            {"id": "a", "text": "First good document.", "title": "T", "source": "Daily", "extra": {"k": [1, 2]}},
            '{"text": "broken" "x": 1}',  # 2: invalid JSON
            "",  # 3: blank, ignored
            {"title": "no text"},  # 4: missing text
            {"text": "wrong title type", "title": 42},  # 5
            {"text": "bad date", "published": "not a date at all"},  # 6
            "[" * 50_000 + "]" * 50_000,  # 7: nested too deeply
            {"id": 7, "text": "Second good document.", "authors": ["A. One", "B. Two"], "published": "2024-03-05"},
            "   ",  # 9: white space, ignored
            {"text": "   \n\t  "},  # 10: empty text
            ["text"],  # 11: not an object
            {"text": "third", "authors": ["ok", 3]},  # 12
            {"text": "fourth", "id": 1.5},  # 13
        ),
        encoding="utf-8",
    )
    items = read(f)
    good = docs(items)
    assert [d.id for d in good] == ["a", "7"]
    assert [d.line for d in good] == [1, 8]
    a, b = good
    assert a.text == "First good document." and a.title == "T" and a.source == "Daily"
    assert a.metadata == {"extra": {"k": [1, 2]}, "format": "jsonl"}
    assert a.origin == str(f)
    assert b.authors == ("A. One", "B. Two") and b.published == "2024-03-05"
    rej = {r.line: r for r in rejections(items)}
    assert sorted(rej) == [2, 4, 5, 6, 7, 10, 11, 12, 13]
    assert all(r.path == str(f) for r in rej.values())
    assert rej[2].reason.startswith("invalid JSON (") and "column" in rej[2].reason and "fix the line" in rej[2].reason
    assert 'missing required field "text"' in rej[4].reason
    assert 'field "title" must be a string, got number' in rej[5].reason
    assert 'field "published"' in rej[6].reason and "ISO 8601" in rej[6].reason
    assert "nested too deeply" in rej[7].reason
    assert rej[10].reason == "empty document, nothing to index"
    assert "got array" in rej[11].reason
    assert 'field "authors"' in rej[12].reason
    assert 'field "id" must be a string or an integer, got number' in rej[13].reason


def test_jsonl_deep_nesting_inside_an_object(tmp_path: Path) -> None:
    f = tmp_path / "deep.ndjson"
    f.write_text('{"text": "x", "meta": ' + "[" * 50_000 + "]" * 50_000 + "}\n" + jsonl({"text": "fine"}))
    items = read(f)
    assert "nested too deeply" in items[0].reason  # type: ignore[union-attr]
    assert isinstance(items[1], Document) and items[1].text == "fine"


def test_jsonl_authors_string_is_one_author_and_text_kept_as_given(tmp_path: Path) -> None:
    f = tmp_path / "a.jsonl"
    f.write_text(jsonl({"text": "  Line one.\r\nLine  two.\u0000  ", "authors": "Doe, Jane", "url": " http://x.test/a "}))
    d = only_doc(read(f))
    assert d.authors == ("Doe, Jane",)
    assert d.text == "  Line one.\nLine  two.  "  # white space kept; CRLF -> LF; NUL removed
    assert d.url == "http://x.test/a"


def test_jsonl_crlf_line_endings_and_utf8_bom(tmp_path: Path) -> None:
    f = tmp_path / "crlf.jsonl"
    f.write_bytes(codecs.BOM_UTF8 + b'{"text": "one"}\r\n\r\n{"text": "two"}\r\n')
    assert [d.text for d in docs(read(f))] == ["one", "two"]


def test_jsonl_utf16_with_bom(tmp_path: Path) -> None:
    f = tmp_path / "u16.jsonl"
    f.write_bytes(codecs.BOM_UTF16_LE + jsonl({"text": "caf\u00e9 one"}, {"text": "two"}).encode("utf-16-le"))
    got = docs(read(f))
    assert [d.text for d in got] == ["caf\u00e9 one", "two"]
    assert [d.line for d in got] == [1, 2]


def test_jsonl_overlong_line_is_rejected_and_rest_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(documents.jsonl, "MAX_LINE_BYTES", 1000)
    f = tmp_path / "long.jsonl"
    f.write_text(jsonl({"text": "short"}, {"text": "x" * 5000}, {"text": "after"}) + json.dumps({"text": "y" * 3000}))
    items = read(f)
    assert [i.text for i in docs(items)] == ["short", "after"]
    assert [(r.line, "longer than" in r.reason) for r in rejections(items)] == [(2, True), (4, True)]


def test_jsonl_overlong_line_at_default_limit_is_rejected(tmp_path: Path) -> None:
    # Real limit (50 MiB) on a line that is just over it: must be rejected without a crash.
    f = tmp_path / "huge.jsonl"
    with f.open("wb") as out:
        out.write(b'{"text": "')
        out.write(b"a" * (documents.jsonl.MAX_LINE_BYTES + 10))
        out.write(b'"}\n{"text": "next"}\n')
    items = read(f)
    assert isinstance(items[0], Rejection) and items[0].line == 1 and "longer than 50 MiB" in items[0].reason
    assert only_doc(items[1:]).text == "next"


def test_jsonl_invalid_utf8_line(tmp_path: Path) -> None:
    f = tmp_path / "bad.jsonl"
    f.write_bytes(b'{"text": "ok"}\n{"text": "' + bytes(range(128, 256)) * 4 + b'"}\n{"text": "also ok"}\n')
    items = read(f)
    assert [d.text for d in docs(items)] == ["ok", "also ok"]
    (r,) = rejections(items)
    assert r.line == 2 and r.reason.startswith("not valid UTF-8 (invalid byte at offset 10 of the line)")


def test_jsonl_legacy_encoded_line_is_decoded(tmp_path: Path) -> None:
    f = tmp_path / "sjis.jsonl"
    f.write_bytes(('{"text": "' + JAPANESE + '"}\n').encode("shift_jis"))
    d = only_doc(read(f))
    assert d.text == JAPANESE and d.metadata["encoding"] == "cp932"


def test_jsonl_lone_surrogate_escape_rejected(tmp_path: Path) -> None:
    f = tmp_path / "sur.jsonl"
    f.write_text('{"text": "a\\ud800b"}\n')
    r = only_rejection(read(f))
    assert r.line == 1 and "invalid JSON" in r.reason


def test_stdin_dash_reads_jsonl() -> None:
    data = jsonl({"text": "From stdin.", "id": "s1"}, "oops")
    items = read("-", stdin=data.encode())
    d = docs(items)[0]
    assert d.id == "s1" and d.origin == "<stdin>" and d.line == 1
    r = rejections(items)[0]
    assert r.path == "<stdin>" and r.line == 2


def test_unknown_keys_kept_as_metadata_and_non_serialisable_dropped() -> None:
    d = document_from_record({"text": "Hello there.", "lang": "en", "score": 3, "obj": object()}, "x", None)
    assert d.metadata == {"lang": "en", "score": 3}


def test_document_from_record_raises_input_rejected() -> None:
    with pytest.raises(InputRejected) as exc:
        document_from_record({"text": 5}, "file.jsonl", 3)
    assert exc.value.path == "file.jsonl" and exc.value.line == 3
    assert "must be a string" in exc.value.reason
    with pytest.raises(InputRejected):
        document_from_record({"text": "x", "id": True}, "f", 1)
    with pytest.raises(InputRejected):
        document_from_record({"text": "x", "id": "  "}, "f", 1)


def test_document_is_hashable_and_frozen() -> None:
    d = document_from_record({"text": "Some text."}, "o", None)
    assert hash(d) == hash(document_from_record({"text": "Some text."}, "o", None))
    with pytest.raises(AttributeError):
        d.text = "other"  # type: ignore[misc]


# --- Dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("2024-03-05", "2024-03-05"),
        ("2024-03-05T14:00:00Z", "2024-03-05T14:00:00+00:00"),
        ("2024-03-05T14:00:00+01:00", "2024-03-05T14:00:00+01:00"),
        ("2024-03-05T14:00:00", "2024-03-05T14:00:00"),  # no offset given: none made up
        ("2017-02-07T00:00:00", "2017-02-07T00:00:00"),  # kept as given; provenance.dates reads it as a day
        ("May 2015", "2015-05"),  # a month stays a month: neither refused nor made a day
        ("2015", "2015"),
        ("2015-05", "2015-05"),
        ("26 May 2015", "2015-05-26"),
        ("May 26, 2015", "2015-05-26"),
        ("Tue, 05 Mar 2024 14:00:00 GMT", "2024-03-05T14:00:00+00:00"),
        ("Mar 5 2024 10:00 EST", "2024-03-05T10:00:00-05:00"),
        ("13/05/2024", "2024-05-13"),
    ],
)
def test_parse_published_accepts(value: object, expected: str | None) -> None:
    assert parse_published(value) == expected


@pytest.mark.parametrize("value", ["yesterday", "2024-02-30", "May", "2015-13", "03/05/2024", 20240305, ["2024"]])
def test_parse_published_rejects(value: object) -> None:
    with pytest.raises(ValueError) as exc:
        parse_published(value)
    assert str(exc.value)


# --- Text and Markdown ----------------------------------------------------------------------


def test_front_matter(tmp_path: Path) -> None:
    f = tmp_path / "post.md"
    f.write_text(
        "---\n"
        "id: post-1\n"
        'title: "A: quoted title"\n'
        "source: 'Daily Planet'\n"
        "published: 26 May 2015\n"
        "authors: Lois Lane, Clark Kent\n"
        "url: https://example.test/post#frag\n"
        "# a comment\n"
        "category: news\n"
        "---\n"
        "\n\n"
        "# Heading\n\nBody text here.\n"
    )
    d = only_doc(read(f))
    assert d.id == "post-1"
    assert d.title == "A: quoted title"
    assert d.source == "Daily Planet"
    assert d.published == "2015-05-26"
    assert d.authors == ("Lois Lane", "Clark Kent")
    assert d.url == "https://example.test/post#frag"
    assert d.metadata == {"category": "news", "format": "markdown"}
    assert d.text == "# Heading\n\nBody text here.\n"
    assert d.line is None


@pytest.mark.parametrize(
    "authors_block",
    ['authors: [Lois Lane, "Kent, Clark"]\n', "authors:\n  - Lois Lane\n  - 'Kent, Clark'\n"],
)
def test_front_matter_author_lists(tmp_path: Path, authors_block: str) -> None:
    f = tmp_path / "a.txt"
    f.write_text("---\n" + authors_block + "---\nText.\n")
    assert only_doc(read(f)).authors == ("Lois Lane", "Kent, Clark")


def test_front_matter_never_closed(tmp_path: Path) -> None:
    f = tmp_path / "open.md"
    f.write_text("---\ntitle: x\n\nSome text that goes on.\n")
    r = only_rejection(read(f))
    assert r.reason.startswith("front matter opened with --- at line 1 is never closed")
    assert r.path == str(f) and r.line is None


def test_front_matter_bad_line_and_bad_date(tmp_path: Path) -> None:
    f = tmp_path / "bad.md"
    f.write_text("---\ntitle: x\nthis is not a key value line\n---\nText.\n")
    assert "front matter line 3" in only_rejection(read(f)).reason
    g = tmp_path / "date.md"
    g.write_text("---\npublished: someday\n---\nText.\n")
    assert 'field "published"' in only_rejection(read(g)).reason


def test_front_matter_only_is_empty(tmp_path: Path) -> None:
    f = tmp_path / "fm.txt"
    f.write_text("---\ntitle: only metadata\n---\n\n")
    assert only_rejection(read(f)).reason == "empty document, nothing to index"


def test_text_without_front_matter_is_kept_whole(tmp_path: Path) -> None:
    f = tmp_path / "plain.txt"
    f.write_text("--- not front matter\nkey: value\n", encoding="utf-8")
    d = only_doc(read(f))
    assert d.text == "--- not front matter\nkey: value\n"
    assert d.metadata == {"format": "text"}


@pytest.mark.parametrize("path", SEEDS)
def test_seed_corpus_documents_have_text(path: str) -> None:
    d = only_doc(list(read_inputs([path])))
    assert d.text.strip()
    assert d.id == derive_id(d.text)
    assert d.content_hash == hashlib.sha256(textnorm.normalise(d.text).encode()).hexdigest()


def test_seed_corpus_exists() -> None:
    assert SEEDS, "no seed corpus found"


# --- HTML ----------------------------------------------------------------------------------

HTML = """<!DOCTYPE html><html><head><title>Big News Today</title>
<meta property="og:site_name" content="Daily Planet">
<meta name="author" content="Lois Lane; Clark Kent">
<meta property="article:published_time" content="2024-03-05T14:00:00Z">
<link rel="canonical" href="https://planet.example/news/big">
<style>body { color: red; } .stylesecret { display: none }</style>
<script>var scriptsecret = 1;</script>
</head><body>
<nav><a href="/">Home</a> <a href="javascript:alert(1)" onclick="x()">Menu</a></nav>
<article><h1>Big News Today</h1>
<p>The city council voted on Tuesday to approve the new budget of 12 million dollars, officials said in a statement released late in the evening.</p>
<script>document.write("inlinescriptsecret")</script>
<style>.inlinestylesecret{}</style>
<!-- commentsecret -->
<p>Mayor Smith said the budget would fund three new schools and repair forty kilometres of roads over the next five years, according to the statement.</p>
</article></body></html>"""


def test_html_text_and_metadata(tmp_path: Path) -> None:
    f = tmp_path / "page.html"
    f.write_text(HTML, encoding="utf-8")
    d = only_doc(read(f))
    assert "approve the new budget of 12 million dollars" in d.text
    assert "three new schools" in d.text
    for secret in ("scriptsecret", "stylesecret", "inlinescriptsecret", "inlinestylesecret", "commentsecret", "color: red"):
        assert secret not in d.text
    assert d.title == "Big News Today"
    assert d.published == "2024-03-05"
    assert d.source == "Daily Planet"
    assert d.authors == ("Lois Lane", "Clark Kent")
    assert d.url == "https://planet.example/news/big"
    assert d.metadata["format"] == "html"


def test_html_without_meta_tags(tmp_path: Path) -> None:
    f = tmp_path / "bare.htm"
    f.write_text(f"<html><body><div><p>{ARTICLE}</p></div></body></html>")
    d = only_doc(read(f))
    assert "approve the new budget" in d.text
    assert d.published is None and d.title is None
    # A date in the prose is not the publication date.
    g = tmp_path / "prose-date.html"
    g.write_text(f"<html><body><article><p>Back on 12 January 2019 the vote failed. {ARTICLE}</p></article></body></html>")
    assert only_doc(read(g)).published is None


def test_html_without_article_text(tmp_path: Path) -> None:
    f = tmp_path / "empty.html"
    f.write_text("<html><head><title>x</title><script>var a = 1;</script></head><body></body></html>")
    assert only_rejection(read(f)).reason == "no article text found in the HTML"


def test_html_declared_legacy_charset(tmp_path: Path) -> None:
    f = tmp_path / "latin.html"
    html = f'<html><head><meta charset="iso-8859-1"></head><body><p>Le caf\u00e9 \u00e9tait tr\u00e8s chaud. {ARTICLE}</p></body></html>'
    f.write_bytes(html.encode("latin-1"))
    d = only_doc(read(f))
    assert "Le caf\u00e9 \u00e9tait tr\u00e8s chaud." in d.text
    assert d.metadata["encoding"] == "cp1252"


# --- Decoding (B1, B2, B3, B4, B8, B9) -------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("utf8-bom.txt", lambda s: codecs.BOM_UTF8 + s.encode("utf-8")),
        ("utf16le.txt", lambda s: codecs.BOM_UTF16_LE + s.encode("utf-16-le")),
        ("utf16be.txt", lambda s: codecs.BOM_UTF16_BE + s.encode("utf-16-be")),
        ("utf32.txt", lambda s: codecs.BOM_UTF32_LE + s.encode("utf-32-le")),
    ],
)
def test_bom_files_decode_like_plain_utf8(tmp_path: Path, name: str, encode) -> None:  # type: ignore[no-untyped-def]
    text = "Caf\u00e9 \u201cquoted\u201d \u2014 na\u00efve r\u00e9sum\u00e9.\nSecond line.\n"
    plain = tmp_path / "plain.txt"
    plain.write_bytes(text.encode("utf-8"))
    other = tmp_path / name
    other.write_bytes(encode(text))
    a, b = only_doc(read(plain)), only_doc(read(other))
    assert not b.text.startswith("\ufeff")
    assert b.text == a.text == text
    assert b.content_hash == a.content_hash and b.id == a.id


def test_latin1_file_is_decoded_correctly_or_rejected_clearly(tmp_path: Path) -> None:
    text = "Le caf\u00e9 \u00e9tait tr\u00e8s chaud, d\u00e9j\u00e0 servi \u00e0 la fran\u00e7aise. O\u00f9 est le gar\u00e7on?\n"
    f = tmp_path / "latin1.txt"
    f.write_bytes(text.encode("latin-1"))
    (item,) = read(f)
    if isinstance(item, Document):  # never mojibake
        assert item.text == text and item.metadata["encoding"]
    else:
        assert item.reason.startswith("not valid UTF-8 (invalid byte at offset 6) and ")
        assert item.reason.endswith("; re-encode the file as UTF-8")
    # Today's policy: Western code pages are near-ties for charset-normalizer, so this is refused
    # (naming the candidates) rather than guessed.
    assert isinstance(item, Rejection) and "legacy encoding is uncertain (" in item.reason


def test_unambiguous_legacy_encoding_is_decoded(tmp_path: Path) -> None:
    f = tmp_path / "sjis.txt"
    f.write_bytes(JAPANESE.encode("shift_jis"))
    d = only_doc(read(f))
    assert d.text == JAPANESE and d.metadata == {"format": "text", "encoding": "cp932"}


def test_undetectable_encoding_is_rejected(tmp_path: Path) -> None:
    f = tmp_path / "noise.txt"
    f.write_bytes(b"ok " + bytes(range(128, 256)) * 4)
    r = only_rejection(read(f))
    assert r.reason == (
        "not valid UTF-8 (invalid byte at offset 3) and no other encoding detected; re-encode the file as UTF-8"
    )


def test_binary_file_rejected(tmp_path: Path) -> None:
    f = tmp_path / "image.txt"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 10)
    assert only_rejection(read(f)).reason == "binary file, not indexed"
    g = tmp_path / "nul.md"
    g.write_bytes(b"text" + b"\x00" * 10 + b"more")
    assert only_rejection(read(g)).reason == "binary file, not indexed"
    h = tmp_path / "bin.jsonl"
    h.write_bytes(b'{"text": "x"}\n\x00\x01\x02')
    assert only_rejection(read(h)).reason == "binary file, not indexed"


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  ", "\u200b\u200d\n".encode()])
def test_empty_files_rejected(tmp_path: Path, content: bytes) -> None:
    f = tmp_path / "empty.txt"
    f.write_bytes(content)
    assert only_rejection(read(f)).reason == "empty document, nothing to index"


def test_empty_jsonl_file_yields_nothing(tmp_path: Path) -> None:
    f = tmp_path / "empty.jsonl"
    f.write_bytes(b"\n\n")
    assert read(f) == []


def test_nul_characters_removed(tmp_path: Path) -> None:
    f = tmp_path / "nul.jsonl"
    f.write_text(jsonl({"text": "a\u0000b c", "title": "t\u0000"}))
    d = only_doc(read(f))
    assert d.text == "ab c" and d.title == "t"


def test_zero_width_characters_do_not_change_hash() -> None:
    a = document_from_record({"text": "The budget was approved."}, "o", None)
    b = document_from_record({"text": "The bud\u200bget was\u200d approved.\ufeff"}, "o", None)
    assert a.content_hash == b.content_hash and a.id == b.id
    assert b.text != a.text  # the stored text is kept as given


# --- Ids ------------------------------------------------------------------------------------


def test_derive_id_stable_and_same_across_formats(tmp_path: Path) -> None:
    assert derive_id(ARTICLE) == derive_id(ARTICLE)
    assert derive_id(ARTICLE).startswith("doc-") and len(derive_id(ARTICLE)) == 20
    assert derive_id(ARTICLE) == derive_id("  " + ARTICLE.replace(" ", "  ") + "\n")
    t = tmp_path / "a.txt"
    t.write_text(ARTICLE)
    t2 = tmp_path / "copy-of-a.md"
    t2.write_text(ARTICLE)
    j = tmp_path / "a.jsonl"
    j.write_text(jsonl({"text": ARTICLE}))
    ids = {d.id for d in docs(read(t, t2, j))}
    assert ids == {derive_id(ARTICLE)}
    assert only_doc(read(t)).id == only_doc(read(t)).id


def test_given_id_wins(tmp_path: Path) -> None:
    j = tmp_path / "a.jsonl"
    j.write_text(jsonl({"text": ARTICLE, "id": 123}, {"text": ARTICLE, "id": "x-1"}))
    assert [d.id for d in docs(read(j))] == ["123", "x-1"]


# --- Paths and folders (B11, B12) -----------------------------------------------------------


def make_tree(root: Path) -> None:
    (root / "b" / "deeper").mkdir(parents=True)
    (root / "a").mkdir()
    (root / "z.txt").write_text("Zed text.")
    (root / "b" / "deeper" / "d.md").write_text("Deep text.")
    (root / "b" / "c.jsonl").write_text(jsonl({"text": "C one."}, {"text": "C two."}))
    (root / "a" / "page.html").write_text(f"<html><body><p>{ARTICLE}</p></body></html>")
    (root / "a" / "notes.pdf").write_bytes(b"%PDF-1.4 whatever")
    (root / "a" / "data.json").write_text("{}")
    (root / "a" / "README").write_text("no extension")
    (root / ".hidden").mkdir()
    (root / ".hidden" / "secret.txt").write_text("hidden")
    (root / "B.TXT").write_text("Upper-case extension.")


def test_folder_walk_order_and_skips(tmp_path: Path) -> None:
    make_tree(tmp_path)
    first = read(tmp_path)
    assert not rejections(first)
    rel = [(os.path.relpath(d.origin, tmp_path), d.line) for d in docs(first)]
    assert rel == [
        ("B.TXT", None),
        ("a/page.html", None),
        ("b/c.jsonl", 1),
        ("b/c.jsonl", 2),
        ("b/deeper/d.md", None),
        ("z.txt", None),
    ]
    assert read(tmp_path) == first  # deterministic


def test_explicit_unsupported_file_rejected(tmp_path: Path) -> None:
    make_tree(tmp_path)
    r = only_rejection(read(tmp_path / "a" / "notes.pdf"))
    assert "unsupported file type '.pdf'" in r.reason and ".jsonl" in r.reason
    assert ".jsonl" in only_rejection(read(tmp_path / "a" / "data.json")).reason
    assert "(no extension)" in only_rejection(read(tmp_path / "a" / "README")).reason


def test_missing_path_rejected_and_rest_read(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Good text.")
    items = read(tmp_path / "nope.txt", good)
    r = items[0]
    assert isinstance(r, Rejection) and r.path == str(tmp_path / "nope.txt") and "no such file" in r.reason
    assert isinstance(items[1], Document)


def test_rejection_path_is_joined_from_given_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bad.jsonl").write_text("nope\n")
    r = only_rejection(list(read_inputs(["in"])))
    assert r.path == os.path.join("in", "bad.jsonl") and r.line == 1
    assert str(r) == f"{r.path}:1: {r.reason}"


def test_symlink_loops_do_not_hang(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "t.txt").write_text("Real text.")
    os.symlink("..", root / "sub" / "up")  # loop back to an enclosing folder
    os.symlink("self.txt", root / "self.txt")  # link to itself
    os.symlink("missing.txt", root / "broken.txt")
    outside = tmp_path / "outside.txt"
    outside.write_text("Outside text.")
    os.symlink(outside, root / "out.txt")
    os.symlink("sub/t.txt", root / "inside-link.txt")
    start = time.monotonic()
    items = read(root)
    assert time.monotonic() - start < 5
    by_name = {os.path.basename(i.path if isinstance(i, Rejection) else i.origin): i for i in items}
    assert "loop" in by_name["up"].reason  # type: ignore[union-attr]
    assert "loop" in by_name["self.txt"].reason  # type: ignore[union-attr]
    assert "broken symbolic link" in by_name["broken.txt"].reason  # type: ignore[union-attr]
    assert "outside the walked folder" in by_name["out.txt"].reason  # type: ignore[union-attr]
    assert isinstance(by_name["inside-link.txt"], Document)
    assert isinstance(by_name["t.txt"], Document)
    # Named explicitly, a link is followed (the user asked for it); a looping one is rejected.
    assert only_doc(read(root / "out.txt")).text == "Outside text."
    assert "loop" in only_rejection(read(root / "self.txt")).reason


def test_fifo_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert "not a regular file" in only_rejection(read(fifo)).reason
    assert "not a regular file" in only_rejection(read(tmp_path)).reason


def test_deep_folder_tree(tmp_path: Path) -> None:
    d = tmp_path
    for _ in range(60):
        d = d / "d"
    d.mkdir(parents=True)
    (d / "x.txt").write_text("Deep down.")
    assert only_doc(read(tmp_path)).text == "Deep down."


def test_single_string_instead_of_list_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        list(read_inputs(str(tmp_path)))  # type: ignore[arg-type]


# --- Large inputs (L6) ----------------------------------------------------------------------


def test_large_file_without_line_breaks(tmp_path: Path) -> None:
    f = tmp_path / "big.txt"
    f.write_bytes(b"word " * 400_000)  # 2 MB, no line break (20 MB works too, just slower)
    d = only_doc(read(f))
    assert len(d.text) == 2_000_000


def test_file_over_size_limit_rejected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(documents.decode, "MAX_FILE_BYTES", 100)
    f = tmp_path / "big.txt"
    f.write_text("x" * 200)
    assert "larger than" in only_rejection(read(f)).reason
