#!/usr/bin/env python3
"""Redo a dxindex sample draw from its published seed and list (issue 17).

Input (a JSON file): {"seed": "...", "size": N or 0, "share_bp": S or 0,
"units": [{"code": "...", "stratum": "..."}, ...]}. Prints the drawn codes,
one a line, stratum by stratum (strata in name order), each in key order.
With "k": K > 0 and each unit's applicable "indicators", a drawn code is
followed by a tab and its K indicators (seed|code|indicator order).
"""
import hashlib, json, sys

d = json.load(open(sys.argv[1], encoding="utf-8"))
key = lambda *parts: hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()
strata = {}
for u in d["units"]:
    strata.setdefault(u["stratum"], []).append(u["code"])
names = sorted(strata, key=lambda s: s.encode("utf-8"))  # Go sorts strings by bytes
order = {s: sorted(strata[s], key=lambda c: (key(d["seed"], c), c.encode("utf-8"))) for s in names}
total = sum(len(order[s]) for s in names)
if d.get("share_bp"):
    quota = {s: -(-d["share_bp"] * len(order[s]) // 10000) for s in names}
else:
    n = d["size"]
    quota = {s: n * len(order[s]) // total for s in names}
    left = n - sum(quota.values())
    for s in sorted(names, key=lambda s: -(n * len(order[s]) % total)):  # stable: name order on ties
        if left > 0 and quota[s] < len(order[s]):
            quota[s] += 1
            left -= 1
inds = {u["code"]: u.get("indicators", []) for u in d["units"]}
k = d.get("k", 0)
for s in names:
    for c in order[s][: quota[s]]:
        if k > 0:
            drawn = sorted(inds[c], key=lambda i: (key(d["seed"], c, i), i.encode("utf-8")))[:k]
            print(c + "\t" + ",".join(drawn))
        else:
            print(c)
