"""Decide whether two claims are the same claim, and how it was reused.

Given two claim texts and the cosine of their embeddings (unit vectors from
all-MiniLM-L6-v2), :func:`classify` answers one of

* ``"verbatim"``: the same words up to case, punctuation and white space
  (``verbatim_key(a) == verbatim_key(b)``), whatever the cosine;
* ``"near-verbatim"``: the same claim, copied with small edits
  (lexical similarity >= ``near_verbatim_lexical``);
* ``"paraphrase"``: the same claim in other words;
* ``None``: not the same claim.

The same-claim rule
-------------------
Two claims are the same claim when their meaning is at least loosely alike and a blend of
meaning and wording clears a threshold::

    cosine >= same_min_cosine  and
    w * cosine + (1 - w) * lexical >= same_score_threshold      (w = same_cosine_weight)

The embedding cosine alone misses copies whose wording barely changed but whose cosine the
model puts lower than a loose paraphrase's (and vice versa); shared wording is strong extra
evidence, so the lexical similarity is blended in. The parameters were chosen by a
deterministic grid search maximising accuracy on the MRPC *train* split (see
``scripts/calibrate_mrpc.py``); the library itself never reads benchmark files. Shipped:
``cosine >= 0.50 and 0.55 * cosine + 0.45 * lexical >= 0.665``. The floor costs no train
accuracy (the search takes the highest floor among equally accurate rules); without it the
blend alone could call a pair "same" from cosine 0.39 up, and the FAISS pre-filter
(``candidate_cosine``) would have to keep all those neighbours.

Known limits: MiniLM gives a sentence and its negation or a changed number a high cosine, and
they share most of their wording, so "raised the rate" vs "cut the rate" is called the same
claim (near-verbatim); and a paraphrase that shares few words and gets a modest cosine (0.5-0.6)
is missed. MRPC accuracy is about 0.75, against about 0.90 for fine-tuned cross-encoders.

Lexical similarity
------------------
:func:`lexical_similarity` is rapidfuzz's ``fuzz.ratio / 100`` (normalised Indel similarity,
``2 * LCS / (len(a) + len(b))`` over characters) on the ``verbatim_key`` forms. It was chosen
over token-based measures because

* a small edit costs in proportion to its length: one word changed in a 20-word sentence
  scores about 0.97, two words about 0.95, while a reworded sentence scores 0.4-0.6, which is
  exactly the near-verbatim / paraphrase line;
* it is order-sensitive, so a shuffled rewording does not look like a copy (``token_set_ratio``
  scores a sentence contained in a longer one as 1.0, and ``token_sort_ratio`` ignores order);
* it is symmetric and fast (bit-parallel LCS, microseconds per pair);
* blended with the cosine it gave the best MRPC train accuracy of the measures tried
  (character ratio 0.7505; word-level Jaccard 0.7485; word Indel 0.7463;
  token_sort 0.7466; token_set 0.7456).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from functools import lru_cache

from rapidfuzz import fuzz

from .textnorm import verbatim_key

__all__ = [
    "RELATIONS",
    "MatchSettings",
    "DEFAULT_SETTINGS",
    "lexical_similarity",
    "same_claim_score",
    "is_same_claim",
    "classify",
    "lowest_same_cosine",
]

RELATIONS = ("verbatim", "near-verbatim", "paraphrase")


def lowest_same_cosine(same_cosine_weight: float, same_score_threshold: float, same_min_cosine: float) -> float:
    """The lowest cosine at which the same-claim rule can answer "same" (lexical at most 1)."""
    w = same_cosine_weight
    if w <= 0.0:
        # The cosine does not enter the score: only the floor bounds it.
        return same_min_cosine
    bound = (same_score_threshold - (1.0 - w)) / w
    return max(same_min_cosine, bound)


@dataclass(frozen=True)
class MatchSettings:
    """Thresholds of the matcher. All cosines are of unit vectors, in [-1, 1]."""

    candidate_cosine: float
    """FAISS neighbours below this cosine are never considered. It is at most the lowest cosine
    at which the same-claim rule can say "same" and at most ``related_cosine``, so the
    pre-filter loses nothing."""
    related_cosine: float
    """``trace`` lists weaker neighbours at or above this cosine as relation "related"."""
    near_verbatim_lexical: float
    """Lexical similarity at or above which a same-claim pair is "near-verbatim"."""
    same_cosine_weight: float
    """w in ``w * cosine + (1 - w) * lexical`` (the lexical weight is ``1 - w``)."""
    same_score_threshold: float
    """The blended score at or above which a pair is the same claim."""
    same_min_cosine: float
    """Below this cosine a pair is never the same claim, however much wording it shares."""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValueError(f"MatchSettings.{f.name} must be a finite number, not {value!r}")
        if not 0.0 <= self.same_cosine_weight <= 1.0:
            raise ValueError("MatchSettings.same_cosine_weight must lie in [0, 1]")
        if not 0.0 <= self.near_verbatim_lexical <= 1.0:
            raise ValueError("MatchSettings.near_verbatim_lexical must lie in [0, 1]")
        if self.candidate_cosine > self.lowest_same_cosine + 1e-9:
            raise ValueError(
                f"MatchSettings.candidate_cosine ({self.candidate_cosine}) is above the lowest "
                f"cosine at which the rule can say 'same' ({self.lowest_same_cosine:.4f}); the "
                "pre-filter would drop same-claim pairs"
            )
        if self.candidate_cosine > self.related_cosine + 1e-9:
            raise ValueError(
                "MatchSettings.candidate_cosine must not exceed related_cosine, or related "
                "neighbours would be filtered out before trace sees them"
            )

    @property
    def lowest_same_cosine(self) -> float:
        """The lowest cosine at which :func:`is_same_claim` can return True."""
        return lowest_same_cosine(self.same_cosine_weight, self.same_score_threshold, self.same_min_cosine)


# Calibrated with (run from the repository root; about 2-4 minutes on 2 CPU cores)
#     .venv/bin/python scripts/calibrate_mrpc.py
# (all-MiniLM-L6-v2, grid search on MRPC train only, 4,076 pairs; `--check` reproduces it).
# Measured on MRPC test (1,725 pairs) at these settings:
#     accuracy 0.7467, precision 0.7649, recall 0.8936, F1 0.8243
#     (train: accuracy 0.7505, precision 0.7692, recall 0.9008, F1 0.8298;
#      cosine alone >= 0.685, best on train: test accuracy 0.7200, P 0.7459, R 0.8779, F1 0.8066;
#      always "same": test accuracy 0.6649, F1 0.7987).
# related_cosine: 95% of MRPC train pairs (same news event, different outlets, paraphrase or
#     not) reach it (5th percentile 0.510, floored to 0.05). candidate_cosine: the lower of
#     the rule's lowest "same" cosine and related_cosine.
# near_verbatim_lexical is chosen by hand from examples, not by the grid: one or two words
#     changed in a 20-word sentence score 0.95-0.98, a one-word edit in a 9-word sentence
#     0.91-0.94, a reordered clause 0.91; reworded sentences score 0.45-0.6. Only about 8% of
#     MRPC paraphrase pairs reach 0.90 (and 0.2% of non-paraphrases).
DEFAULT_SETTINGS = MatchSettings(
    candidate_cosine=0.50,
    related_cosine=0.50,
    near_verbatim_lexical=0.90,
    same_cosine_weight=0.55,
    same_score_threshold=0.665,
    same_min_cosine=0.50,
)


@lru_cache(maxsize=1 << 16)
def _key(text: str) -> str:
    return verbatim_key(text)


def lexical_similarity(a: str, b: str) -> float:
    """Character-level similarity of the ``verbatim_key`` forms, in [0, 1].

    ``fuzz.ratio / 100``: 1.0 for texts equal up to case, punctuation and white space;
    symmetric. Two texts with no words at all (empty keys) score 1.0.
    """
    ka, kb = _key(a), _key(b)
    if ka == kb:
        return 1.0
    return fuzz.ratio(ka, kb) / 100.0


def same_claim_score(cosine: float, lexical: float, settings: MatchSettings = DEFAULT_SETTINGS) -> float:
    """The blended score ``w * cosine + (1 - w) * lexical`` the same-claim rule thresholds."""
    w = settings.same_cosine_weight
    return w * cosine + (1.0 - w) * lexical


def is_same_claim(cosine: float, lexical: float, settings: MatchSettings = DEFAULT_SETTINGS) -> bool:
    """True when a pair with this cosine and lexical similarity is the same claim."""
    if cosine < settings.same_min_cosine:
        return False
    return same_claim_score(cosine, lexical, settings) >= settings.same_score_threshold


def classify(
    a: str, b: str, cosine: float, settings: MatchSettings = DEFAULT_SETTINGS
) -> tuple[str | None, float]:
    """``(relation, lexical)`` for claims ``a`` and ``b`` whose embeddings have ``cosine``.

    relation is "verbatim", "near-verbatim", "paraphrase" or None (not the same claim);
    lexical is :func:`lexical_similarity` of the two.
    """
    if _key(a) == _key(b):
        return "verbatim", 1.0
    lexical = lexical_similarity(a, b)
    if not is_same_claim(cosine, lexical, settings):
        return None, lexical
    if lexical >= settings.near_verbatim_lexical:
        return "near-verbatim", lexical
    return "paraphrase", lexical
