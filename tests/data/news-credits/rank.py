import re, collections
from tools import DOCS, split
cue = re.compile(r"\b(said|says|according to|told|statement|report(?:ed|s)?|announced|wrote|added)\b|https?://", re.I)
rows = []
for d in DOCS.values():
    ss = split(d['text'])
    if len(ss) < 6: continue
    n = sum(1 for s in ss[:25] if cue.search(s) or '"' in s or '“' in s)
    rows.append((d['source'], n / min(len(ss), 25), len(ss), d['id'], (d['title'] or '')[:90]))
by = collections.defaultdict(list)
for r in rows: by[r[0]].append(r)
for s, rs in by.items():
    rs.sort(key=lambda r: -r[1])
    print('=====', s)
    for r in rs[:45]: print(f'{r[3]:>10} {r[1]:.2f} {r[2]:>3} {r[4]}')
