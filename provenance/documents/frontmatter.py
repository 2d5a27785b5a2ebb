"""``---``-delimited ``key: value`` front matter at the top of a text or Markdown file.

A small subset of YAML: quoted values, inline lists ``[a, "b"]``, ``- item`` lists and ``#``
comments; a key given twice keeps its later value.
"""

from __future__ import annotations

import logging
import re

import orjson

from ..errors import InputRejected

log = logging.getLogger(__package__)  # log lines say "provenance.documents", whichever step logs

_FM_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_.-]*)\s*:\s*(.*)$")
_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")
_LIST_ITEM = re.compile(r"""\s*("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^,]*)\s*(?:,|$)""")


def _split_front_matter(text: str, origin: str) -> tuple[dict[str, object], str]:
    """Split ``---``-delimited ``key: value`` front matter off the top of a text file.

    Returns (fields, body). The body is everything after the closing ``---`` line, leading
    blank lines removed. Supports quoted values, inline lists ``[a, "b"]`` and YAML-style
    ``- item`` lists; ``authors`` may also be comma- or semicolon-separated.
    """
    block = _front_matter_block(text, origin)
    if block is None:
        return {}, text
    lines, close_end = block
    fields = _parse_front_matter(lines, origin)
    body = _LEADING_BLANK_LINES.sub("", text[close_end:], count=1)
    return fields, body


def _front_matter_block(text: str, origin: str) -> tuple[list[str], int] | None:
    """The lines between the opening and closing ``---``, and where the closing line ends;
    None when the text has no front matter."""
    first_end = text.find("\n")
    first = text if first_end < 0 else text[:first_end]
    if first.rstrip() != "---":
        return None
    # Find the closing line before parsing, so an unclosed block gets the precise message.
    lines: list[str] = []
    pos = first_end + 1
    close_end = -1
    while first_end >= 0 and pos <= len(text):
        end = text.find("\n", pos)
        line_str = text[pos:] if end < 0 else text[pos:end]
        if line_str.rstrip() == "---":
            close_end = len(text) if end < 0 else end + 1
            break
        lines.append(line_str)
        if end < 0:
            break
        pos = end + 1
    if close_end < 0:
        raise InputRejected(
            origin, None, "front matter opened with --- at line 1 is never closed; add a closing --- line or remove the opening one"
        )
    return lines, close_end


def _parse_front_matter(lines: list[str], origin: str) -> dict[str, object]:
    """The fields of the block's lines (the first of them is line 2 of the file)."""
    fields: dict[str, object] = {}
    list_key: str | None = None
    for offset, raw in enumerate(lines):
        lineno = offset + 2
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if list_key is not None and (stripped == "-" or stripped.startswith("- ")):
            item = _unquote(stripped[1:].strip())
            if item:
                items = fields[list_key]
                assert isinstance(items, list)
                items.append(item)
            continue
        m = _FM_KEY.match(stripped)
        if not m:
            raise InputRejected(
                origin, None, f"front matter line {lineno} is not 'key: value' ({stripped[:40]!r}); fix it or remove the front matter"
            )
        key = m.group(1).lower()
        value = (m.group(2) or "").strip()
        if key == "text":
            raise InputRejected(origin, None, f"front matter line {lineno} sets 'text'; the text is what follows the front matter, remove that line")
        if key in fields:
            log.warning("%s: front matter key %r given twice; the later value (line %d) wins", origin, key, lineno)
        if not value:
            fields[key] = []
            list_key = key
            continue
        list_key = None
        fields[key] = _front_matter_value(key, value)
    for key, value in fields.items():
        if value == []:
            fields[key] = None  # "key:" with nothing after it
    return fields


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        if value[0] == '"':
            try:
                loaded = orjson.loads(value)
                if isinstance(loaded, str):
                    return loaded
            except orjson.JSONDecodeError:
                pass
            return value[1:-1]
        return value[1:-1].replace("''", "'")
    return value


def _split_list(inner: str) -> list[str]:
    items = []
    pos = 0
    while pos < len(inner):
        m = _LIST_ITEM.match(inner, pos)
        if not m or m.end() == pos:
            break
        item = _unquote(m.group(1).strip())
        if item:
            items.append(item)
        pos = m.end()
    return items


def _front_matter_value(key: str, value: str) -> object:
    if value.startswith("[") and value.endswith("]"):
        return _split_list(value[1:-1])
    unquoted = _unquote(value)
    if key == "authors" and unquoted == value:
        # Unquoted authors may be a comma- or semicolon-separated list.
        return [a.strip() for a in re.split(r"[;,]", value) if a.strip()]
    return unquoted
