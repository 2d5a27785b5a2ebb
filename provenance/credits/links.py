"""Credits that are no cue's subject: the outlet an interview was given to ("told Iran
International"), agency credit lines ("(dpa, AP)"), footnote markers linked to their reference
list, and inline URLs (each lent to the named credit of its sentence). Used by :mod:`.extract`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from ..records import Credit
from .patterns import NAME, NOT_NAMES, TOLD, clean_name, source_kind

# Short links say nothing of who is credited until followed, which provenance never does.
SHORTENERS = {"t.co", "bit.ly", "goo.gl", "ow.ly", "tinyurl.com", "buff.ly", "dlvr.it", "fb.me", "trib.al", "ift.tt",
              "pic.twitter.com", "lnkd.in", "youtu.be", "j.mp", "is.gd", "shar.es", "wp.me", "amzn.to"}
URL = re.compile(r"https?://[^\s<>\"”’)\]]+[^\s<>\"”’)\].,;:!?]")
MARKER = re.compile(r"(?<=[\w.,;:!?”\"’)])\[(?P<n>\d{1,3})\]|(?P<sup>[¹²³⁴⁵⁶⁷⁸⁹⁰]+)")
REF_LINE = re.compile(r"^[ \t]*\[(?P<n>\d{1,3})\][ \t]*(?P<body>.+)$", re.MULTILINE)
SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")

if TYPE_CHECKING:
    from .extract import _Scan

__all__ = ["credit_line_credits", "footnote_credits", "interview_credits", "lend_urls", "reference_entries", "url_credits"]


def interview_credits(scan: _Scan) -> list[tuple[int, Credit]]:
    """"X told Iran International" credits the speaker (a cue above) and the outlet."""
    found = []
    for m in TOLD.finditer(scan.text):
        s, e = m.span("outlet")
        # "Fox News' Tucker Carlson", "NBC's "Meet the Press"": the outlet, not its programme;
        # "Australia's ABC News": the outlet, not where it is.
        raw, *owned = re.split(r"['’]s?(?:\s|$)", m.group("outlet"), maxsplit=1)
        if owned and owned[0] and source_kind(raw) != "outlet" and source_kind(owned[0]) == "outlet":
            s, raw = s + len(m.group("outlet")) - len(owned[0]), owned[0]
        outlet = clean_name(raw, scan.text[s + len(raw):s + len(raw) + 40])
        if not outlet or outlet.split()[0] in NOT_NAMES or scan.in_reference_list(m.start()):
            continue
        if source_kind(outlet) != "outlet" and not m.group("medium") and not _station(outlet, m.group(0)):
            # ("told broadcaster ITV": the word before the name says it is an outlet)
            continue
        found.append((m.start(), Credit("interview", outlet, "outlet", s, s + len(outlet))))
    return found


# A North American broadcaster's call letters ("told KDVR", "WCVB-TV").
_CALL_LETTERS = re.compile(r"[KWC][A-Z]{2,3}(?:-(?:TV|FM|AM|DT))?")


def _station(name: str, cue: str) -> bool:
    """Is ``name`` an outlet by its form: call letters, or initials one gives an interview to
    ("in an interview with TMZ"; a person is never written in capitals, an interviewer is
    named with the outlet: "Fox News' Tucker Carlson")."""
    if _CALL_LETTERS.fullmatch(name):
        return True
    return "interview" in cue and re.fullmatch(r"[A-Z]{2,6}", name) is not None


# A credit line: editors' initials and the agencies ("jbh/gsw (dpa, AP)", "rs/rt-(AFP/dpa)"), or "Information from: X,".
CREDIT_LINE = re.compile(r"(?<![\w/])[a-z]{2,4}(?:/[a-z]{2,4})+[ \t]*-?\((?P<agencies>[A-Za-z][\w.\-]*(?:[,/][ \t]*[A-Za-z][\w.\-]*){0,5})\)"
                         rf"|\bInformation[ \t]+from:[ \t]*(?P<source>{NAME})")
# "The Associated Press contributed to this report.": an agency's share of the story (a staff
# reporter who contributed is the outlet's own, not a source).
CONTRIBUTED = re.compile(r"(?:^|(?<=[.!?\n\"”’])[ \t]*)(?:The[ \t]+)?(?P<agency>[A-Z][\w.&]*(?:[ \t]+[A-Z][\w.&]*){0,3})[ \t]+"
                         r"(?:also[ \t]+)?contributed[ \t]+to[ \t]+this[ \t]+(?:report|story|article)")
# A wire dateline: "BADEN BADEN, Germany, March 18 (Reuters) - ...": the agency that filed it.
WIRE_DATELINE = re.compile(r"(?:^|(?<=[.!?\n]))[ \t]*[A-Z]{2,}[A-Z .'\-]*,[^()\n]{0,40}?\d{1,2}[ \t]+"
                           r"\((?P<agency>[A-Z][\w.]*(?:[ \t]+[A-Z][\w.]*){0,2})\)[ \t]*[-–—]")


def credit_line_credits(scan: _Scan) -> list[tuple[int, Credit]]:
    """Agencies an article credits in its credit line: "jbh/gsw (dpa, AP)" (editors' initials,
    then the agencies), "Information from: Morning Sun", "The Associated Press contributed to
    this report", a wire dateline's "(Reuters) -"."""
    found = []
    # (each only where its words occur: a scan from every sentence start costs)
    for pattern, word in ((CONTRIBUTED, r"contributed[ \t]+to[ \t]+this"), (WIRE_DATELINE, r"\)[ \t]*[-–—]")):
        for m in pattern.finditer(scan.text) if re.search(word, scan.text) else ():
            s, e = m.span("agency")
            if source_kind(m.group("agency")) == "outlet" and scan.claim(s, e):
                found.append((m.start("agency"), Credit("credit line", m.group("agency"), "outlet", s, e)))
    for m in CREDIT_LINE.finditer(scan.text):
        group = "agencies" if m.group("agencies") else "source"
        s = m.start(group)
        for part in re.finditer(r"[^,/]+", m.group(group)):
            name = part.group(0).strip()
            if not name:
                continue
            start = s + part.start() + (len(part.group(0)) - len(part.group(0).lstrip()))
            found.append((m.start(), Credit("credit line", name, "outlet", start, start + len(name))))
    return found


def footnote_credits(scan: _Scan) -> list[tuple[int, Credit]]:
    """Footnote markers linked to their reference entries."""
    found = []
    for m in MARKER.finditer(scan.text):
        if scan.in_reference_list(m.start()):
            continue
        n = m.group("n") or m.group("sup").translate(SUPERSCRIPT)
        entry = scan.refs.get(n)
        if entry is None:
            continue
        found.append((m.start(), Credit("footnote", entry["name"], "document", m.start(), m.end(), document=entry["title"], url=entry["url"], marker=n)))
    return found


def url_credits(scan: _Scan) -> list[tuple[int, Credit]]:
    """Inline URLs (not those of reference entries: their markers carry them)."""
    found = []
    for m in URL.finditer(scan.text):
        if scan.in_reference_list(m.start()) or _url_line_of_reference(scan.text, m.start(), scan.ref_lines):
            continue
        if _host(m.group(0)).lower() in SHORTENERS:
            # A t.co or bit.ly link is not a source: only a named outlet or a full URL is.
            continue
        found.append((m.start(), Credit("url", _host(m.group(0)), "document", m.start(), m.end(), url=m.group(0))))
    return found


def _url_line_of_reference(text: str, pos: int, ref_lines: set[tuple[int, int]]) -> bool:
    if not ref_lines:
        return False
    line_start = text.rfind("\n", 0, pos) + 1
    prev_end = line_start - 1
    return any(e == prev_end or e == line_start for _, e in ref_lines)


def _host(url: str) -> str:
    m = re.match(r"https?://(?:www\.)?([^/:?#]+)", url)
    return m.group(1) if m else url


def lend_urls(text: str, out: list[Credit]) -> None:
    """A URL in the same sentence as a named credit is that credit's address (same line only:
    a sentence never spans a line break here)."""
    starts = [a.start for a in out]
    for a in [x for x in out if x.cue == "url"]:
        # Within the URL's line and a sentence's reach of it.
        line_start = max(text.rfind("\n", max(0, a.start - _SENTENCE_REACH), a.start) + 1, a.start - _SENTENCE_REACH)
        line_end = text.find("\n", a.start, a.start + _SENTENCE_REACH)
        line_end = min(len(text), a.start + _SENTENCE_REACH) if line_end < 0 else line_end
        for j in range(bisect.bisect_left(starts, line_start), bisect.bisect_left(starts, line_end)):
            b = out[j]
            if b.url is None and b.cue not in {"url", "footnote"} and _same_sentence(text, a.start, b.start):
                out[j] = replace(b, url=a.url)


# How far a credit and a URL of the same sentence can lie apart.
_SENTENCE_REACH = 1000


def _same_sentence(text: str, a: int, b: int) -> bool:
    lo, hi = min(a, b), max(a, b)
    between = text[lo:hi]
    return "\n" not in between and not re.search(r"[.!?][\"”’]?\s+[A-Z“\"]", between)


def reference_entries(text: str) -> dict[str, dict]:
    """Reference-list entries ``[13] Author, "Title," Outlet, date,`` with the URL on the same
    or the next line: number -> {name, title, url, line_start, line_end}."""
    out: dict[str, dict] = {}
    for m in REF_LINE.finditer(text):
        body = m.group("body").strip()
        url_m = URL.search(body)
        line_end = m.end()
        url = url_m.group(0) if url_m else None
        if url is None:
            nxt = text[m.end() + 1:].split("\n", 1)[0]
            url_n = URL.match(nxt.strip())
            if url_n:
                url = url_n.group(0)
                line_end = m.end() + 1 + len(nxt)
        title_m = re.search(r"[“\"](?P<t>[^”\"]+?)[,.]?[”\"]", body)
        title = title_m.group("t").strip(" ,.") if title_m else None
        name = None
        if title_m:
            after = body[title_m.end():].lstrip(" ,")
            outlet = re.split(r",|\s\d{4}\b", after, maxsplit=1)[0].strip()
            if outlet and not re.match(r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\b", outlet) and not outlet.startswith("http"):
                name = outlet
            if name is None:
                before = body[:title_m.start()].strip(" ,")
                name = before or None
        if name is None:
            name = re.split(r",", body, maxsplit=1)[0].strip() or _host(url or "")
        out[m.group("n")] = {"name": name, "title": title, "url": url, "line_start": m.start(), "line_end": line_end}
    return out
