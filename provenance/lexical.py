"""Lexical retrieval for ``trace``: a safe FTS5 query from free text, and fusion with the dense
search.

Dense search (MiniLM cosines) finds paraphrases but ranks a rare shared name or figure no higher
than a common word; BM25 does the opposite. ``trace`` asks both and ranks every candidate by

    score = cosine + LEXICAL_WEIGHT * bm25 / best_bm25

where ``best_bm25`` is the best BM25 score any stored claim got for that query, so the lexical
part lies in [0, 1] whatever the query's length, and a claim only the lexical side found still
gets its own cosine (computed from its stored vector). ``LEXICAL_WEIGHT`` was tuned on the
CheckThat! 2022 2A train and dev queries only (``scripts/evaluate.py --tune``); the README's
"Accuracy" section has the test figures.
"""

from __future__ import annotations

import re

__all__ = ["BM25_WEIGHTS", "LEXICAL_WEIGHT", "LEXICAL_DEPTH", "fts_query", "fused_score"]

# bm25() column weights: claim text, document title. Equal weights were best on CheckThat!
# train+dev (``scripts/evaluate.py --tune`` tries 0.5 and 1 for the title): a fact-check's title
# often names the claim in the words people use for it.
BM25_WEIGHTS = (1.0, 1.0)

# Weight of the normalised BM25 score next to the cosine (tuned on CheckThat! train+dev).
LEXICAL_WEIGHT = 0.3

# BM25 candidates fetched per query.
LEXICAL_DEPTH = 50

# At most this many distinct words go into one FTS query: a pasted article must not turn into
# a query that scores every row of a large store.
MAX_QUERY_TERMS = 64

# Words so common that OR-ing them in only makes SQLite score most rows for nothing; BM25 would
# give them almost no weight anyway.
_STOPWORDS = frozenset(
    """a an and are as at be been but by for from has have he her his i if in into is it its of on or
    our she so that the their them they this to was were will with you your we not no""".split()
)
_WORD = re.compile(r"\w+", re.UNICODE)
# Links are not claim words: "https", "twitter", "com" and a URL's random path would only match
# claims that mention a website. (Dropping them gained MAP@5 0.891 -> 0.892 on CheckThat! train+dev.)
_URL = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S*|\b\S+\.(?:com|org|net|ly|co)/\S*", re.IGNORECASE)


def fts_query(text: str) -> str:
    """An FTS5 MATCH expression that ORs the words of ``text``, each as a quoted string.

    Quoting makes every word a plain phrase: FTS5 operators (AND, OR, NOT, NEAR), column filters
    (``title:``), prefixes (``*``), ``^`` and parentheses in user text are searched as words or
    dropped, never interpreted. Links are left out. Empty when ``text`` has no searchable word.
    """
    seen: dict[str, None] = {}
    for word in _WORD.findall(_URL.sub(" ", text).lower()):
        # "_" is a word character for the regex but a separator for FTS5's unicode61 tokenizer.
        for part in word.split("_"):
            if part and part not in _STOPWORDS and part not in seen:
                seen[part] = None
                if len(seen) >= MAX_QUERY_TERMS:
                    break
        if len(seen) >= MAX_QUERY_TERMS:
            break
    return " OR ".join('"' + w.replace('"', '""') + '"' for w in seen)


def fused_score(cosine: float, bm25: float, best_bm25: float, weight: float = LEXICAL_WEIGHT) -> float:
    """``cosine + weight * bm25 / best_bm25`` (the lexical part is 0 when nothing matched)."""
    if best_bm25 <= 0.0 or bm25 <= 0.0:
        return float(cosine)
    return float(cosine) + weight * min(1.0, bm25 / best_bm25)
