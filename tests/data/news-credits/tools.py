import json, os, re, sys
DOCS = {}
for l in open(os.environ.get('NEWS_JSONL', '/work/data/news.jsonl'), encoding='utf-8'):
    d = json.loads(l); DOCS[d['id']] = d
ABBR = set("mr mrs ms dr sen rep gov gen lt col capt sgt prof jr sr inc corp co st no vs jan feb mar apr aug sep sept oct nov dec u.s u.n u.k a.m p.m e.g i.e adm maj cmdr gens reps sens rev ft mt d.c pres supt insp det cpl pvt atty messrs".split())
TITLES = set('mr mrs ms dr sen rep gov gen lt col capt sgt prof adm maj cmdr rev st no'.split())
BOUND = re.compile(r'([.!?])(?:("\?)(?=["“]?[A-Z])|(["\'”’)]*)\s+(?=["“‘\'(]?[A-Z0-9]))')
def split(text):
    out = []; start = 0
    for m in BOUND.finditer(text):
        end = m.end(2) if m.group(2) else m.end(3)
        # word before punct
        pre = text[start:m.start(1)]
        w = re.search(r'(?<![A-Za-z.0-9])([A-Za-z.]+)$', pre)
        word = w.group(1).lower() if w else ''
        if m.group(1) == '.' and not m.group(2) and not m.group(3):
            nxt = text[m.end():m.end()+1]
            if nxt in '"“' and word in ABBR and word not in TITLES:
                pass
            elif word in ABBR or re.fullmatch(r'[a-z]', word) or re.fullmatch(r'([a-z]\.)+[a-z]', word):
                continue
        s = text[start:end].strip()
        if s: out.append(s)
        start = m.end()
    s = text[start:].strip()
    if s: out.append(s)
    return out
if __name__ == '__main__':
    did = sys.argv[1]; a = int(sys.argv[2]) if len(sys.argv) > 2 else 0; b = int(sys.argv[3]) if len(sys.argv) > 3 else 999
    d = DOCS[did]; ss = split(d['text'])
    print(d['id'], d['source'], d['title'], len(ss), 'sentences')
    for i, s in enumerate(ss[a:b], a):
        print(f'[{i}] {s}')
