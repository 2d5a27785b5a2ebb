"""Web-page debris inside a line: share widgets, "READ MORE: <headline>" link captions, sign-up
and newsletter lines, a media player's notice.

None of it is a claim, and scraped articles glue it to real sentences ("READ MORE: <headline>
<next sentence>", "Share this with <lead sentence>"), where it used to turn the sentence into a
"boilerplate" claim that reports hid. It is found per line, before the line is cut into
sentences, and left out of every segment: the sentence it was glued to stays whole and every
offset stays exact. What is recognised is what the debris *is* (a widget's words, a caption's
label, an imperative that sells a newsletter), never how often it repeats.
"""

from __future__ import annotations

import re

# A caption label: what follows is the linked story's headline, with no full stop of its own.
_CAPTION_LABEL = re.compile(
    r"(?:READ MORE|Read [Mm]ore|RELATED|Related|SEE ALSO|See [Aa]lso|ALSO READ|Also [Rr]ead|WATCH|LISTEN|MORE)"
    r"[ \t]*:[ \t]*-?[ \t]*(?=\S)"
)
_NETWORKS = (
    r"Facebook|Twitter|Google\+|Whatsapp|WhatsApp|Tumblr|linkedin|LinkedIn|stumble|StumbleUpon|Digg"
    r"|reddit|Reddit|Newsvine|Pinterest|Email|E-mail|Messenger|Telegram|Flipboard|Pocket"
)
# A share bar flattened into text: three or more networks in a row ("Send Facebook Twitter
# Google+ Whatsapp ... Permalink http://dw.com/p/2XgaU").
_SHARE_BAR = re.compile(rf"(?:(?:Send|Share)[ \t]+)?(?:(?:{_NETWORKS})[ \t]+){{2,}}(?:{_NETWORKS})(?:[ \t]+Permalink[ \t]+\S+)?")
# "Share this with" whose buttons were stripped, "Share this slide:", "Share this article".
_SHARE_LABEL = re.compile(r"Share this(?:[ \t]+(?:with|slide|article|story|page|post))?[ \t]*:?")
_PLAYER = re.compile(r"Media playback is (?:not supported|unsupported) on (?:this|your) device\.?")
# A sentence that sells something rather than says something: imperatives of sign-up boxes,
# newsletters, social links and tip lines, from the sentence start to its end (or the line's).
_PROMOTION = re.compile(
    r"(?:Sign[ -]?up\b|Subscribe\b|Click here\b|Follow us\b|Like us on\b|Never miss\b|Don['’]t miss\b"
    r"|Want more (?:updates|news|stories)\b|Get (?:our|the latest \w+ (?:sent|delivered))\b"
    r"|Download (?:our|the \w+) app\b|Join (?:our|us on)\b|Do you have information you want to share\b"
    r"|Have a (?:story|news) tip\b|If you have a story suggestion\b|Share this\b)"
)
_SENTENCE_END = re.compile(r"[.!?](?:[\"'”’)\]]*)(?=\s|\Z)")
# Where a label or promotion may start: at the line start, or after a sentence end (perhaps
# followed by the "-" a scraper left of a dash).
_AFTER_END = re.compile(r"[.!?:\"'”’)\]][ \t]*-?[ \t]*\Z")

_WORDS = re.compile(r"\S+")
_FUNCTION = frozenset(
    "a an the of in on at to for from by with and or as into over under about after before than "
    "via vs over amid against between its his her their our your my is are was be new more less "
    "says say said".split()  # a name follows these inside a headline ("Erdogan says Germany")
)
# Capitalised words that usually open a sentence rather than continue a headline.
_OPENERS = frozenset(
    "the a an in on at as after before but and so yet it he she they we this that these those there "
    "then when while since although though however indeed meanwhile according despite still even also "
    "more many most some his her their our if what who why how where last earlier later now today "
    "yesterday for with from by back like unlike under over during".split()
)
_MID_SENTENCE_CAPITAL = re.compile(r"(?<=[a-z,] )([A-Z][\w'’\-]*)")
_CAPTION_MAX_WORDS = 30
_STRONG_WITHIN = 16  # a headline is rarely longer; a marked start further on is inside the sentence
_TITLE_PROBE = 6  # words read to tell a Title Case headline from a sentence-case one


def debris_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Debris inside the line [start, end), as ordered, non-overlapping spans."""
    spans: list[tuple[int, int]] = []
    for pattern in (_SHARE_BAR, _PLAYER):
        spans.extend(m.span() for m in pattern.finditer(text, start, end))
    for m in _CAPTION_LABEL.finditer(text, start, end):
        if _at_sentence_start(text, start, m.start()):
            spans.append((m.start(), _caption_end(text, m.end(), end)))
    for m in _PROMOTION.finditer(text, start, end):
        if _at_sentence_start(text, start, m.start()):
            spans.append((m.start(), _promotion_end(text, m, end)))
    return _merge(spans)


def _at_sentence_start(text: str, line_start: int, pos: int) -> bool:
    return pos == line_start or bool(_AFTER_END.search(text, max(line_start, pos - 8), pos))


def _promotion_end(text: str, m: re.Match, end: int) -> int:
    """End of a promotion sentence. "Share this with" before a capital is a share button whose
    icons were stripped: only those words are debris, the story's lead follows."""
    if m.group().startswith("Share this"):
        label = _SHARE_LABEL.match(text, m.start(), end)
        after = label.end() if label else m.end()
        rest = text[after:end].lstrip()
        if label and (not rest or not rest[0].islower()):
            return after
    found = _SENTENCE_END.search(text, m.end(), end)
    return found.end() if found else end


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        elif s < e:
            out.append((s, e))
    return out


def _caption_end(text: str, pos: int, end: int) -> int:
    """Where a caption's headline ends and the glued sentence begins (``pos`` is just after the
    label). A headline has no full stop, so its end is read from how it is written:

    * an opening double quotation mark or a word that opens sentences ("The", "But",
      "According") within a headline's length ends it, and so does a "?" or "!";
    * else, in a sentence-case headline, a capitalised word after a lower-case content word
      ("...in Syrian cities | In a press conference", "...model for North Korea | But none");
    * in a Title Case headline, a name the document uses elsewhere after words it does not
      ("...About Electric Cars | Vellmore Regional Transit paid"), else the capitalised word
      before the first lower-case one.

    Never inside a single-quoted phrase, after a comma or colon, or after a dash. When nothing
    marks the end, only the label is debris: the rest stays in the claim rather than lose a
    sentence. Measured on the 409 "READ MORE" captions of the news sample by eye, not tuned
    to a figure; a headline ending in a name before a sentence opening with one ("...in Greece
    Kuriakos Katsadoros, a psychiatrist") cannot be told apart and is cut late.
    """
    words = [(m.start(), m.end(), m.group()) for _, m in zip(range(_CAPTION_MAX_WORDS), _WORDS.finditer(text, pos, end))]
    if len(words) < 3:
        return pos
    names = _document_names(text, pos, words[-1][1])
    if _title_case([w for _, _, w in words[:_TITLE_PROBE]], names):
        found = _marked_end(words, title=True)
        found = found if found is not None else _title_end(words, names)
    else:
        found = _marked_end(words, title=False)
    return words[found][0] if found is not None else pos


def _boundaries(words: list[tuple[int, int, str]]):
    """(index, previous word, word, next word) of each place a sentence could begin: not inside
    a single-quoted phrase, not after a comma, colon or dash, not before the third word."""
    quoted = False
    for i in range(1, len(words)):
        prev, word = words[i - 1][2], words[i][2]
        if prev[:1] in "'‘" and not prev.endswith(("'", "’")):
            quoted = True
        elif prev.endswith(("'", "’")) and (quoted or not prev.endswith(("s'", "s’"))):
            quoted = False
        if i < 2 or quoted or prev.endswith((",", ":", ";")) or prev in ("-", "–", "—"):
            continue
        yield i, prev, word, (words[i + 1][2] if i + 1 < len(words) else "")


def _marked_end(words: list[tuple[int, int, str]], title: bool) -> int | None:
    """The glued sentence's first word: a marked start (sentence end, opening quotation mark,
    opener) within _STRONG_WITHIN words, else (sentence case) a capital after a content word."""
    loose = None
    for i, prev, word, nxt in _boundaries(words):
        if title and _lower_content(word):
            return None  # past a Title Case headline: its end is read from the names
        if _ends_sentence(prev):
            # A headline ending in "?" or "!"; past a loose start it is the sentence's own end.
            return loose if loose is not None else i
        quote = word[0] in "\"“" and _bare(prev).lower() not in _FUNCTION | {"that"}
        if i <= _STRONG_WITHIN and (quote or _opens(word, prev, nxt, title)):
            return i
        if loose is None and not title and _capital(word) and _lower_content(prev):
            loose = i
    return loose


def _title_end(words: list[tuple[int, int, str]], names: set[str]) -> int | None:
    """In a Title Case headline: a name the document uses elsewhere after words it does not,
    else the capitalised word before the first lower-case one."""
    for i, prev, word, _ in _boundaries(words):
        if _capital(word) and _bare(word) in names and _bare(prev) not in names:
            return i
    for i, _, word, nxt in _boundaries(words):
        if _capital(word) and nxt[:1].islower():
            return i
    return None


def _bare(word: str) -> str:
    return word.strip("\"'“”‘’.,;:!?()[]").removesuffix("'s").removesuffix("’s")


def _capital(word: str) -> bool:
    w = _bare(word)
    return bool(w) and w[0].isupper()


def _lower_content(word: str) -> bool:
    w = _bare(word)
    return bool(w) and (w[0].islower() or w[0].isdigit()) and w.lower() not in _FUNCTION


def _ends_sentence(word: str) -> bool:
    return bool(re.search(r"[.!?][\"'”’)]*\Z", word)) and len(_bare(word)) > 1


def _opens(word: str, prev: str, nxt: str, title: bool) -> bool:
    """A capitalised sentence opener ("The", "But") not continuing a phrase ("of The")."""
    w = _bare(word)
    if not w or not w[0].isupper() or w.lower() not in _OPENERS or _bare(prev).lower() in _FUNCTION:
        return False
    # Title Case capitalises "In" and "The" inside a headline too: there the opener must be
    # followed by a lower-case word, as a sentence's would be.
    return not title or (bool(nxt) and nxt[0].islower())


def _title_case(words: list[str], names: set[str]) -> bool:
    """Title Case: the lower-case words among the first few are only function words, and at
    least three capitalised ones are not names ("Blow for Hillary Clinton as FBI reopens" is
    sentence case)."""
    alpha = [_bare(w) for w in words if _bare(w)[:1].isalpha()]
    common = [w for w in alpha if w[0].isupper() and w not in names]
    return len(common) >= 3 and all(w[0].isupper() or w.lower() in _FUNCTION for w in alpha)


def _document_names(text: str, skip_start: int, skip_end: int) -> set[str]:
    """Words the document capitalises in mid-sentence (after a lower-case word or a comma)
    outside the caption being read: names, as opposed to words a headline capitalises."""
    found: set[str] = set()
    for s, e in ((0, skip_start), (skip_end, len(text))):
        found.update(_bare(m.group(1)) for m in _MID_SENTENCE_CAPITAL.finditer(text, s, e))
    return found
