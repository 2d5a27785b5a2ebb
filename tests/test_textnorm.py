import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.textnorm import normalise, strip_invisible, verbatim_key


def test_invisible_class_matches_unicode_categories():
    expected = "".join(
        chr(cp)
        for cp in range(sys.maxunicode + 1)
        if unicodedata.category(chr(cp)) in ("Cf", "Cc") and chr(cp) not in "\n\t"
    )
    assert strip_invisible(expected) == ""
    keep = "a\n\tb é 漢"
    assert strip_invisible(keep) == keep


def test_normalise_folds_quotes_spaces_and_footnotes():
    assert normalise("  The \u201cU.S.\u201d\u200b border \u2014 is\u00a0 open.[13] ") == 'The "U.S." border - is open.'


def test_verbatim_key_ignores_case_and_punctuation():
    assert verbatim_key("The U.S. border, is OPEN!") == verbatim_key("the u.s. border is open")
    assert verbatim_key("40,000 gallons") != verbatim_key("400,000 gallons")


# Characters that meet at a piece's seam: white space of several kinds, invisible ones that
# vanish next to it, combining marks, footnote brackets, compatibility forms NFKC unfolds.
_SEAM_ALPHABET = " \t\n\u00a0\u3000\u200b\u200d\ufeff\u0301\u00b4ab1[]\u201c\u2014\uff21."


@given(st.text(alphabet=_SEAM_ALPHABET, max_size=80), st.integers(min_value=1, max_value=9))
@settings(max_examples=400, deadline=None)
def test_normalising_in_pieces_gives_the_same_text(text, piece):
    # A huge text is normalised in pieces to bound memory; forced tiny pieces must not change it.
    assert normalise(text, piece=piece) == normalise(text, piece=10**9)


def test_a_long_line_of_words_normalises_without_holding_every_word():
    import tracemalloc

    text = "word " * 400_000  # 2 MB, 400 k white space runs
    tracemalloc.start()
    try:
        out = normalise(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert out == text.strip()
    # One collapse over the whole text held about 15x the text; pieces hold a few times it.
    assert peak < 4 * len(text), peak
