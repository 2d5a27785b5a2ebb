import sys
import unicodedata

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
