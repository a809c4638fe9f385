#!/usr/bin/python3
"""Reference values for the Tomtom-method unit tests (test_compare_reference.cpp), computed here with numpy from
the method's description in lib/motif/compare.hpp (Gupta et al. 2007, Genome Biology 8:R24), independently of the
C++ code: column similarities from their definitions (Pearson by np.corrcoef), the null's levels, the distribution
of a sum of levels by np.convolve (checked here against brute-force enumeration), p-values, the correction for the
alignments tried, E-values and Benjamini-Hochberg q-values.

Usage: /usr/bin/python3 compare_reference.py OUT.json      (exit status 77 when numpy is missing)
"""
import itertools
import json
import math
import sys

try:
    import numpy as np
except ImportError as e:
    print(f"compare_reference.py: {e}; install python3-numpy", file=sys.stderr)
    sys.exit(77)

rng = np.random.RandomState(20250214)


def random_motif(width, concentration=0.6):
    return rng.dirichlet([concentration] * 4, size=width)


def revcomp(m):
    return m[::-1, ::-1]  # positions reversed; A C G T -> T G C A


# --- column similarities, from their definitions
def pearson(a, b):
    if np.allclose(a, 0.25, atol=1e-12, rtol=0) or np.allclose(b, 0.25, atol=1e-12, rtol=0):
        return 0.0  # undefined for a uniform column; taken as 0
    return float(np.corrcoef(a, b)[0, 1])


def euclidean(a, b):
    return 1.0 - float(np.linalg.norm(a - b)) / math.sqrt(2.0)


def sandelin(a, b):
    return 2.0 - float(np.sum((a - b) ** 2))


SIMILARITY = {"pearson": pearson, "euclidean": euclidean, "sandelin": sandelin}


def sum_tails(pmfs):
    """P(X_1 + ... + X_k >= t) for t = 0..max, by convolution."""
    d = np.array([1.0])
    for p in pmfs:
        d = np.convolve(d, p)
    return np.cumsum(d[::-1])[::-1]


def brute_tails(pmfs):
    """The same by enumerating every combination of levels."""
    top = sum(len(p) - 1 for p in pmfs)
    out = np.zeros(top + 1)
    for combo in itertools.product(*[range(len(p)) for p in pmfs]):
        prob = np.prod([pmfs[i][v] for i, v in enumerate(combo)])
        out[: sum(combo) + 1] += prob
    return out


def tomtom(query, database, similarity, min_overlap, bins):
    s = SIMILARITY[similarity]
    columns = np.vstack([c for m in database for c in (m, revcomp(m))])
    w, n_cols = len(query), len(columns)
    gamma = np.array([[s(query[i], c) for c in columns] for i in range(w)])
    lo, hi = gamma.min(), gamma.max()
    scale = bins / (hi - lo) if hi > lo else 0.0
    level = lambda x: int(math.floor((x - lo) * scale + 0.5))
    levels = np.vectorize(level)(gamma)
    pmfs = [np.bincount(levels[i], minlength=bins + 1) / n_cols for i in range(w)]
    tails = {}
    for f in range(w):
        for l in range(f + 1, w + 1):
            tails[(f, l)] = sum_tails(pmfs[f:l])
    results = []
    for t in database:
        b = len(t)
        need = min(min_overlap, w, b)
        best, n = None, 0
        for strand, target in enumerate((t, revcomp(t))):
            for offset in range(need - w, b - need + 1):
                f, l = max(0, -offset), min(w, b - offset)
                n += 1
                col_scores = [s(query[i], target[i + offset]) for i in range(f, l)]
                score = sum(col_scores)
                total = sum(level(x) for x in col_scores)
                tl = tails[(f, l)]
                p = float(tl[total]) if total < len(tl) else 0.0
                cand = dict(offset=offset, reverse=strand == 1, overlap=l - f, level=total, score=score, p_align=p)
                if best is None:
                    best = cand
                elif abs(p - best["p_align"]) > 1e-9 * max(p, best["p_align"]):  # else a tie (rounding)
                    best = cand if p < best["p_align"] else best
                elif abs(score - best["score"]) > 1e-12:
                    best = cand if score > best["score"] else best
                elif l - f > best["overlap"]:
                    best = cand
        best["n"] = n
        pm = best["p_align"]
        best["p"] = 1.0 if pm >= 1 else min(1.0, -math.expm1(n * math.log1p(-pm)))  # 1 - (1 - pm)^n
        best["e"] = best["p"] * len(database)
        results.append(best)
    # Benjamini-Hochberg over the database
    p = np.array([r["p"] for r in results])
    order = np.argsort(p, kind="stable")
    q = p[order] * len(p) / np.arange(1, len(p) + 1)
    q = np.minimum.accumulate(q[::-1])[::-1]
    for rank, i in enumerate(order):
        results[i]["q"] = float(min(q[rank], 1.0))
    return results


# --- hand-made motifs: random columns, a uniform column, a query copied (noisily, reversed) from the database
database = [random_motif(w) for w in (4, 6, 7, 8, 9, 10, 12, 5, 11, 6)]
database[3][2] = 0.25
noisy = revcomp(database[5][1:9]) * 0.8 + 0.2 * random_motif(8)
queries = {"noisy_copy": noisy / noisy.sum(axis=1, keepdims=True), "short": random_motif(3), "wide": random_motif(14),
           "ebox": np.array([[0.85 if b == c else 0.05 for b in "ACGT"] for c in "GTCACGTGAC"])}
queries["wide"][5] = 0.25

cases = []
for similarity, min_overlap, bins in (("pearson", 5, 100), ("euclidean", 5, 100), ("sandelin", 5, 100),
                                      ("pearson", 2, 37), ("euclidean", 1, 1000)):
    cases.append({"similarity": similarity, "min_overlap": min_overlap, "bins": bins,
                  "results": {name: tomtom(q, database, similarity, min_overlap, bins) for name, q in queries.items()}})

# --- the sum of levels: convolution against brute force, here and (the brute-force values) in the C++ test
dp_columns = [rng.dirichlet([0.5] * 6), np.array([0.0, 0.5, 0.0, 0.5]), rng.dirichlet([1.0] * 5), np.array([1.0])]
dp_tails = brute_tails(dp_columns)
if not np.allclose(dp_tails, sum_tails(dp_columns), rtol=1e-12, atol=0):
    sys.exit("convolution and enumeration disagree")
check_query = random_motif(3)
small = [random_motif(2), random_motif(3)]
cols = np.vstack([c for m in small for c in (m, revcomp(m))])
g = np.array([[pearson(check_query[i], c) for c in cols] for i in range(3)])
lv = np.floor((g - g.min()) * (20 / (g.max() - g.min())) + 0.5).astype(int)
pm = [np.bincount(lv[i], minlength=21) / len(cols) for i in range(3)]
if not np.allclose(brute_tails(pm), sum_tails(pm), rtol=1e-12, atol=0):
    sys.exit("convolution and enumeration disagree on a column null")

out = {"database": [m.tolist() for m in database], "queries": {k: v.tolist() for k, v in queries.items()},
       "cases": cases, "dp": {"columns": [c.tolist() for c in dp_columns], "tails": dp_tails.tolist()}}
with open(sys.argv[1], "w") as f:
    json.dump(out, f)
