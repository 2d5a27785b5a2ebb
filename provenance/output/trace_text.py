"""The terminal answer of ``trace``: the query, its origin (or the possible ones), the primary
source, the chain from the origin and the matches, wrapped to the width (plain text)."""

from __future__ import annotations

from typing import Any

from ..records import RELATED
from .common import differences_phrase, end_with_newline, fmt_sim, short_date, shorten, tied_phrase
from .text import _plain, _wrap

__all__ = ["render_trace_text"]


def render_trace_text(result: dict, width: int = 100) -> str:
    """A readable terminal answer for one trace result: the query, the origin, the primary
    source, the chain from the origin, then the matches (related ones last)."""
    lines = _trace_query_lines(result, width)
    matches = result.get("matches") or []
    lines.append("")
    if not matches:
        lines.append("No match in the store.")
        return end_with_newline("\n".join(lines))
    lines += _trace_origin_lines(result, width)
    lines += _trace_primary_source_lines(result.get("primary_source"))
    spread = _spread_line(result)
    if spread:
        lines += _wrap(spread, "", width)
    lines.append("")
    lines += _trace_matches_lines(matches, width)
    return end_with_newline("\n".join(lines))


def _trace_query_lines(result: dict, width: int) -> list[str]:
    lines: list[str] = []
    if result.get("id") is not None:
        lines.append(f"Query {_plain(result.get('id'))}:")
        lines += _wrap(f"“{_plain(result.get('query'))}”", "  ", width)
    else:
        lines += _wrap(f"Query: “{_plain(result.get('query'))}”", "", width)
    claims = [c for c in result.get("query_claims") or [] if _plain(c)]
    if len(claims) > 1:
        lines.append(f"  (split into {len(claims)} claims)")
    return lines


def _trace_origin_lines(result: dict, width: int) -> list[str]:
    origin = result.get("origin")
    if not origin:
        return _trace_possible_lines(result, width)
    source = _plain(origin.get("source")) or "unknown source"
    date = _plain(origin.get("published")) or "undated"
    head = f"{source}, {date} (doc {_plain(origin.get('doc_id'))}"
    if origin.get("basis"):
        head += f", basis: {_plain(origin.get('basis'))}"
    head += ")"
    if result.get("cluster_id") is not None:
        head += f", cluster {_plain(result.get('cluster_id'))}"
    if origin.get("basis") == "tie" and origin.get("tied"):
        # No witness can be named the origin: say so, then the one the differences are measured against.
        lines = _wrap(f"Origin: a tie between {_plain(tied_phrase(origin))}: their dates cannot say which came first", "", width)
        lines += _wrap(f"compared with {head}", "  ", width)
    else:
        lines = _wrap(f"Origin: {head}", "", width)
    if origin.get("text"):
        lines += _wrap(f"“{_plain(origin.get('text'))}”", "  ", width)
    return lines + _trace_differences_lines(origin, "  Your text differs: ", width)


def _trace_possible_lines(result: dict, width: int) -> list[str]:
    """No stored claim is the same claim: say so, then the nearest ones' origins and primary
    sources as possible, each with what kept it apart."""
    possible = result.get("possible_origins") or []
    if not possible:
        return ["Origin: not traced (no stored claim states the same claim)."]
    lines = _wrap("Origin: not traced: no stored claim states the same claim. Possible origins of the "
                  "closest related claims (not the same claim; check before relying on them):", "", width)
    for n, p in enumerate(possible, 1):
        o = p.get("origin") or {}
        head = f"{_plain(o.get('source')) or 'unknown source'}, {_plain(o.get('published')) or 'undated'} (doc {_plain(o.get('doc_id'))})"
        lines += _wrap(f"{n}. possible origin: {head}", "  ", width)
        lines += _wrap(f"“{_plain(o.get('text'))}”", "     ", width)
        ps = p.get("primary_source") or {}
        if ps.get("name") or ps.get("url"):
            lines += _wrap("possible primary source: " + " ".join(x for x in (_plain(ps.get("name")), f"<{_plain(ps.get('url'))}>" if ps.get("url") else "") if x), "     ", width)
        if p.get("doc_id") != o.get("doc_id") or p.get("text") != o.get("text"):
            lines += _wrap(f"via the related claim in doc {_plain(p.get('doc_id'))}: “{_plain(p.get('text'))}”", "     ", width)
        lines += _wrap(f"not taken: {_plain(p.get('reason'))}", "     ", width)
    return lines


def _trace_primary_source_lines(ps: dict | None) -> list[str]:
    if not (ps and (ps.get("name") or ps.get("url"))):
        return []
    parts = [p for p in (_plain(ps.get("name")), _plain(ps.get("url"))) if p]
    if len(parts) == 2:
        line = f"Primary source: {parts[0]} <{parts[1]}>"
    else:
        line = f"Primary source: {parts[0]}"
    return [line] + _trace_source_detail(ps)


def _trace_source_detail(ps: dict) -> list[str]:
    """How the primary source was found: the document or footnote naming it, to whom it spoke,
    the cue ("according to"), which stored documents credit it."""
    bits = []
    if ps.get("document") and ps.get("cue") != "footnote":
        bits.append(_plain(ps.get("document")))
    elif ps.get("marker"):
        bits.append(f"footnote [{_plain(ps.get('marker'))}]" + (f": {shorten(_plain(ps.get('document')), 80)}" if ps.get("document") else ""))
    if ps.get("via"):
        bits.append(f"given to {_plain(ps.get('via'))}")
    if ps.get("cue"):
        bits.append(f"cue “{_plain(ps.get('cue'))}”")
    if ps.get("credited_by"):
        bits.append("credited by " + ", ".join(_plain(d) for d in ps.get("credited_by")))
    return [f"  ({'; '.join(bits)})"] if bits else []


def _spread_line(result: dict) -> str:
    """The documents that carry the claim: the origin, then the real matches of its cluster (not
    the related ones), earliest first: the chain a reader follows from the origin to the latest
    copy."""
    origin = result.get("origin") or {}
    cluster_id = result.get("cluster_id")
    seen: dict[str, dict] = {}
    for m in result.get("matches") or []:
        if m.get("relation") == RELATED or m.get("doc_id") is None:
            continue
        if cluster_id is not None and m.get("cluster_id") != cluster_id:
            continue
        if origin and m.get("doc_id") == origin.get("doc_id"):
            continue
        seen.setdefault(_plain(m.get("doc_id")), m)
    if not seen or not origin.get("doc_id"):
        return ""

    def key(m: dict) -> tuple:
        date = short_date(_plain(m.get("published")))
        return (date == "", date)

    def step(m: dict) -> str:
        return f"{_plain(m.get('source')) or _plain(m.get('doc_id'))} ({short_date(_plain(m.get('published'))) or 'undated'})"

    tied = {t.get("doc_id") for t in origin.get("tied") or [] if isinstance(t, dict)}
    later = [m for m in sorted(seen.values(), key=key) if m.get("doc_id") not in tied]
    if tied:
        # Tied witnesses cannot be put in a chain: no one of them is known to come first.
        head = f"Tied first (order unknown): {_plain(tied_phrase(origin))}"
        return head + ("; then " + " → ".join(step(m) for m in later) if later else "")
    return "Chain from the origin: " + " → ".join([step(origin)] + [step(m) for m in later])


def _trace_matches_lines(matches: list[dict], width: int) -> list[str]:
    """The matches numbered in order, the same claims first, then the related ones."""
    strong = [m for m in matches if m.get("relation") != RELATED]
    # Related claims were picked by their fused score; a reader sees their similarity, so they
    # are listed in its order.
    related = sorted((m for m in matches if m.get("relation") == RELATED), key=lambda m: -_number(m.get("similarity")))
    lines = []
    if strong:
        lines.append("Matches:")
        for n, m in enumerate(strong, 1):
            lines += _trace_match_lines(n, m, width)
    else:
        lines.append("No close match; related claims only.")
    if related:
        lines.append("--- related ---")
        for n, m in enumerate(related, len(strong) + 1):
            lines += _trace_match_lines(n, m, width)
    return lines


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("-inf")


def _trace_match_lines(n: int, m: dict, width: int) -> list[str]:
    source = _plain(m.get("source")) or "unknown source"
    date = short_date(_plain(m.get("published"))) or "undated"
    head = (
        f"{n:>2}. {_plain(m.get('relation')):<13} {fmt_sim(m.get('similarity'), '-'):>5}  "
        f"{source}, {date}  [doc {_plain(m.get('doc_id'))}]"
    )
    # A quote unit is shown with the sentence that quotes it.
    within = (m.get("enclosing") or {}).get("text")
    return (
        _wrap(head, "", width)
        + _wrap(f"“{_plain(m.get('text'))}”", "    ", width)
        + (_wrap(f"quoted in: “{_plain(within)}”", "    ", width) if within else [])
        + _trace_differences_lines(m, "    Differs from the origin: ", width)
    )


def _trace_differences_lines(record: dict, prefix: str, width: int) -> list[str]:
    phrase = differences_phrase(record)
    return _wrap(prefix + _plain(phrase), "    ", width) if phrase else []
