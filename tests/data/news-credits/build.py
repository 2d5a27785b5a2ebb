"""Build labels.jsonl from labels.src (compact hand labels) using tools.split (frozen).

Reads labels.src and writes labels.jsonl in this directory (the directory of build.py).
Split tags: dev -> news-dev, devb -> news-dev-b, devc -> news-dev-c (news-heldout-2 until round 4),
devd -> news-dev-d (news-heldout-3 until round 5), deve -> news-dev-e (news-heldout-4 until round 6),
devf -> news-dev-f (news-heldout-5 until round 7),
devg -> news-dev-g (news-heldout-6 until round 8: labelled while round 7 was developed, measured once),
devh -> news-dev-h (news-heldout-7 until round 9: labelled while round 8 was developed, measured once),
held8 -> news-heldout-8 (labelled while round 9 was developed, kept out of its checkouts, measured once after it)."""
import json
import os
from tools import DOCS, split
HERE = os.path.dirname(os.path.abspath(__file__))
out = []; cur = None
for ln, line in enumerate(open(os.path.join(HERE, 'labels.src'), encoding='utf-8'), 1):
    line = line.rstrip('\n')
    if not line.strip() or line.startswith('//'):
        continue
    if line.startswith('@'):
        _, doc, sp, a, b = line.split()
        ss = split(DOCS[doc]['text']); a, b = int(a), int(b)
        assert b < len(ss) and b - a + 1 <= 20, (doc, a, b)
        cur = {'doc': doc, 'split': {'dev': 'news-dev', 'devb': 'news-dev-b', 'devc': 'news-dev-c', 'devd': 'news-dev-d', 'deve': 'news-dev-e', 'devf': 'news-dev-f', 'devg': 'news-dev-g', 'devh': 'news-dev-h', 'held8': 'news-heldout-8'}[sp], 'ss': ss, 'a': a, 'b': b, 'lab': {}}
        out.append(cur); continue
    note = ''
    if '#' in line:
        line, note = line.split('#', 1); note = note.strip()
    idx, _, rest = line.partition('|')
    idx = int(idx); assert cur['a'] <= idx <= cur['b'], (ln, idx)
    assert idx not in cur['lab'], (ln, 'dup')
    credits, cues = [], []
    for part in [p.strip() for p in rest.split(';') if p.strip()]:
        name, _, cue = part.rpartition('=')
        assert name and cue, (ln, part)
        credits.append(name.strip()); cues.append(cue.strip())
    cur['lab'][idx] = (credits, cues, note)
seen = set()
with open(os.path.join(HERE, 'labels.jsonl'), 'w', encoding='utf-8') as f:
    for c in out:
        assert c['doc'] not in seen, c['doc']; seen.add(c['doc'])
        for i in range(c['a'], c['b'] + 1):
            credits, cues, note = c['lab'].get(i, ([], [], ''))
            rec = {'split': c['split'], 'doc': c['doc'], 'sentence': c['ss'][i], 'credits': credits, 'cues': cues}
            if note: rec['note'] = note
            f.write(json.dumps(rec, ensure_ascii=False) + '\n')
print('wrote', sum(c['b'] - c['a'] + 1 for c in out), 'sentences from', len(out), 'articles')
