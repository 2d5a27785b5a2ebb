"""Resolve a credit ("according to The Harbor Ledger", a cited URL) to a stored document.

A URL credits the stored document at that address (basis ``citation``); a name credits the
stored documents whose outlet (``source``) it names (basis ``attribution``); a URL of an outlet's
site that is not a stored page still names that outlet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from ..records import DocRef

__all__ = ["CreditIndex", "norm_name", "norm_url", "url_host"]


def norm_name(name: str | None) -> str:
    """"The Harbor Ledger" and "the harbor ledger's" compare equal."""
    if not name:
        return ""
    s = re.sub(r"['’]s\b", "", name.lower())
    s = re.sub(r"[^\w\s]", " ", s)
    words = s.split()
    while words and words[0] in {"the", "a", "an"}:
        words.pop(0)
    return " ".join(words)


def norm_url(url: str | None) -> str:
    if not url:
        return ""
    u = re.sub(r"^https?://(?:www\.)?", "", url.strip().lower())
    u = re.split(r"[?#]", u, maxsplit=1)[0]
    return u.rstrip("/")


def url_host(url: str | None) -> str:
    return norm_url(url).split("/", 1)[0]


class CreditIndex:
    """Stored documents by URL, by site and by outlet name."""

    def __init__(self, docs: Iterable[DocRef]) -> None:
        self.docs = {d.num: d for d in docs}
        self.by_url: dict[str, int] = {}
        self.by_host: dict[str, list[int]] = {}
        self.by_name: dict[str, list[int]] = {}
        for d in self.docs.values():
            if d.url:
                self.by_url.setdefault(norm_url(d.url), d.num)
                self.by_host.setdefault(url_host(d.url), []).append(d.num)
            if d.source:
                self.by_name.setdefault(norm_name(d.source), []).append(d.num)

    def resolve(self, name: str | None, url: str | None, kind: str | None = None) -> list[tuple[int, str]]:
        """Stored documents a credit points at: (doc num, "citation" | "attribution"), best first."""
        out: list[tuple[int, str]] = []
        if url:
            exact = self.by_url.get(norm_url(url))
            if exact is not None:
                out.append((exact, "citation"))
            else:
                out.extend((n, "citation") for n in self.by_host.get(url_host(url), []))
        if name and kind != "person":
            key = norm_name(name)
            if key:
                out.extend((n, "attribution") for n in self.by_name.get(key, []))
        seen: set[int] = set()
        unique = []
        for n, how in out:
            if n not in seen:
                seen.add(n)
                unique.append((n, how))
        return unique

    def is_own_outlet(self, doc_num: int, name: str | None, url: str | None) -> bool:
        """The credit names the crediting document's own outlet or site ("The Ledger spent ...",
        "told CNN" in a story whose source is ``cnn.com``, "told ABC News" on abcnews.go.com)."""
        d = self.docs.get(doc_num)
        if d is None:
            return False
        if d.source and name and norm_name(name) == norm_name(d.source):
            return True
        sites = _site_names(d)
        # ("ABC" and "ABC News" in an abcnews.go.com story alike)
        if name and (sites | {x.removesuffix("news") for x in sites}) & {_compact(name), _compact(name).removesuffix("news")} - {""}:
            return True
        if name and len(name.split()) > 1 and _compact(name.split()[0]) in _site_names(d) and name.split()[1] in _CHANNELS:
            # "BBC One" in a BBC article: the outlet's own channel.
            return True
        return bool(d.url and url and url_host(url) == url_host(d.url))


# Words that name an outlet's channel after its name ("BBC One", "CNN International").
_CHANNELS = {"One", "Two", "Three", "Four", "Radio", "World", "News", "International", "Television", "TV", "Online"}


def _compact(name: str) -> str:
    """"RTÉ", "Al Jazeera", "The Huffington Post" as a site's label would spell them."""
    folded = unicodedata.normalize("NFKD", norm_name(name))
    return "".join(ch for ch in folded if ch.isalnum() and not unicodedata.combining(ch))


def _site_names(d: DocRef) -> set[str]:
    """The labels of the document's site (from a source written as a domain, or its URL's host),
    less the generic ones: cnn.com -> cnn, europe.chinadaily.com.cn -> europe, chinadaily."""
    hosts = [url_host(d.url)] if d.url else []
    if d.source and re.fullmatch(r"[\w.-]+\.[a-z]{2,}", d.source.strip().lower()):
        hosts.append(d.source.strip().lower())
    return {label for h in hosts for label in h.split(".")[:-1] if label not in _GENERIC_LABELS}


_GENERIC_LABELS = {"www", "com", "co", "org", "net", "news", "go", "edition", "m", "amp", "gov", "ac"}

