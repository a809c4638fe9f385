#!/usr/bin/python3
"""Reference values for the `seqdl motifs discover` unit tests (test_discover_reference.cpp), computed here with numpy
and scikit-learn from the documented definitions, independently of the C++ code.

Usage: /usr/bin/python3 discover_reference.py OUT.json      (exit status 77 when numpy or sklearn is missing)
"""
import json
import sys

try:
    import numpy as np
    from sklearn.isotonic import IsotonicRegression
except ImportError as e:
    print(f"discover_reference.py: {e}; install python3-sklearn and python3-numpy", file=sys.stderr)
    sys.exit(77)

rng = np.random.RandomState(20251130)
out = {}


# --- Laplace fit: centre m = the median; per side b = max over q in 0.05..0.50 of quantile_q(distances from m on
# that side) / -ln(1 - q), numpy's linear quantiles.
def side_scale(mags):
    if len(mags) == 0:
        return 0.0
    qs = 0.05 * np.arange(1, 11)
    return float(np.max(np.quantile(mags, qs) / -np.log(1 - qs)))


values = np.concatenate([np.abs(rng.laplace(0, 0.7, 2000)), -np.abs(rng.laplace(0, 1.3, 1500)), 6 + rng.rand(60),
                         np.zeros(5)]).astype(np.float32)
def laplace_fit(values):
    v = values.astype(np.float64)
    m = float(np.median(v))
    return m, side_scale(v[v > m] - m), side_scale(m - v[v < m])


m, bp, bn = laplace_fit(values)
out["laplace"] = {"values": values.tolist(), "location": m, "positive": bp, "negative": bn}
shifted = values + np.float32(1.5)  # a shift of every window, as attributions of a positive prediction give
m, bp, bn = laplace_fit(shifted)
out["laplace_shifted"] = {"values": shifted.tolist(), "location": m, "positive": bp, "negative": bn}

# --- Isotonic regression with ties and weights (scikit-learn).
x = np.round(rng.rand(300) * 40) / 4  # many ties
y = (rng.rand(300) < x / 10).astype(float) + 0.1 * rng.randn(300)
w = 0.5 + rng.rand(300)
fitted = IsotonicRegression(increasing=True).fit_transform(x, y, sample_weight=w)
out["isotonic"] = {"x": x.tolist(), "y": y.tolist(), "w": w.tolist(), "fitted": fitted.tolist()}


# --- Isotonic FDR threshold: observed (label 1) against m = len(observed) Laplace quantiles (label 0), unit weights;
# threshold = smallest observed value whose fitted P(observed) >= 1 / (1 + fdr).
def threshold(observed, scale, fdr):
    m = len(observed)
    null = -scale * np.log(1 - (np.arange(m) + 0.5) / m)
    xs = np.concatenate([observed, null])
    ys = np.concatenate([np.ones(m), np.zeros(m)])
    p = IsotonicRegression(increasing=True).fit_transform(xs, ys)
    ok = p[:m] >= 1 / (1 + fdr)
    return float(observed[ok].min()) if ok.any() else None


obs = np.concatenate([rng.exponential(1.0, 2000), 5 + 3 * rng.rand(150)])
out["threshold"] = {"observed": obs.tolist(), "scale": 1.0, "fdr": 0.2, "expected": threshold(obs, 1.0, 0.2),
                    "fdr_small": 0.01, "expected_small": threshold(obs, 1.0, 0.01)}


# --- Seqlet calling on window sums: fit, thresholds, clamp to [min, max] fraction, greedy per row.
def call(sums, window, flank, fdr, lo, hi):
    flat = sums.ravel().astype(np.float64)
    m, bp, bn = laplace_fit(sums.ravel())
    pos, neg = flat[flat > m] - m, m - flat[flat < m]
    tp = threshold(pos, bp, fdr) if len(pos) and bp > 0 else None
    tn = threshold(neg, bn, fdr) if len(neg) and bn > 0 else None
    tp = np.inf if tp is None else tp
    tn = np.inf if tn is None else tn

    def passing_window(v):
        return (v > 0 and v - m >= tp) or (v < 0 and m - v >= tn)

    passing = np.mean([passing_window(v) for v in flat])
    if passing < lo or passing > hi:
        t = float(np.quantile(np.abs(flat - m), 1 - (lo if passing < lo else hi)))
        tp = tn = t
    seqlets = []
    for r, row in enumerate(sums.astype(np.float64)):
        cands = [(abs(v), k) for k, v in enumerate(row) if passing_window(v)]
        cands.sort(key=lambda c: (-c[0], c[1]))
        blocked = np.zeros(len(row), bool)
        picked = []
        for _, k in cands:
            if blocked[k]:
                continue
            picked.append([r, k, k + window + 2 * flank, float(row[k])])
            blocked[max(0, k - window + 1):k + window] = True
        seqlets += sorted(picked, key=lambda s: s[1])
    return tp, tn, seqlets


rows, starts = 30, 80
sums = rng.laplace(0, 1.0, (rows, starts)).astype(np.float32)
for r in range(rows):
    for _ in range(2):
        k = rng.randint(starts)
        sums[r, max(0, k - 5):k + 5] += np.float32((8 + 4 * rng.rand()) * (1 if rng.rand() < 0.7 else -1))
tp, tn, seqlets = call(sums, 7, 3, 0.2, 0.03, 0.2)
out["calling"] = {"rows": rows, "starts": starts, "sums": sums.ravel().tolist(), "window": 7, "flank": 3, "fdr": 0.2,
                  "min_fraction": 0.03, "max_fraction": 0.2, "positive_threshold": tp, "negative_threshold": tn,
                  "seqlets": seqlets}
quiet = (rng.laplace(0, 1.0, (rows, starts)) * 0.01).astype(np.float32)
tp, tn, seqlets = call(quiet, 7, 3, 0.2, 0.03, 0.2)  # pure noise: clamped to the minimum
out["calling_clamped"] = {"sums": quiet.ravel().tolist(), "positive_threshold": tp, "negative_threshold": tn,
                          "count": len(seqlets)}
lifted = sums + np.float32(2.0)  # every window lifted: the same windows stand out above the median
tp, tn, seqlets = call(lifted, 7, 3, 0.2, 0.03, 0.2)
out["calling_lifted"] = {"sums": lifted.ravel().tolist(), "positive_threshold": tp, "negative_threshold": tn,
                         "seqlets": seqlets}


# --- Continuous Jaccard over the union of the two extents (zero-padded), y placed at x's position `offset`.
def jaccard(x, y, offset):
    lo, hi = min(0, offset), max(len(x), offset + len(y))
    a = np.zeros((hi - lo, 4))
    b = np.zeros((hi - lo, 4))
    a[-lo:-lo + len(x)] = x
    b[offset - lo:offset - lo + len(y)] = y
    num = np.sum(np.sign(a) * np.sign(b) * np.minimum(np.abs(a), np.abs(b)))
    den = np.sum(np.maximum(np.abs(a), np.abs(b)))
    return float(num / den)


x = rng.randn(9, 4)
y = rng.randn(6, 4)
y[:, :] += 0.8 * x[2:8][::-1, ::-1]  # y resembles the reverse complement of x[2:8]
offsets = list(range(-5, 9))
need = 4
best = None
for strand, yy in ((0, y), (1, y[::-1, ::-1])):
    for o in range(need - len(yy), len(x) - need + 1):
        j = jaccard(x, yy, o)
        if best is None or j > best[0]:
            best = (j, o, strand)
out["jaccard"] = {"x": x.ravel().tolist(), "wx": 9, "y": y.ravel().tolist(), "wy": 6,
                  "offsets": offsets, "values": [jaccard(x, y, o) for o in offsets],
                  "min_overlap": need, "best": list(best)}


# --- CWM averaging: members placed at offsets (seqlet position 0 on pattern position `offset`), some reversed;
# per pattern position the mean over the members covering it; PPM = base counts / bases known.
width, count = 7, 5
contrib = rng.randn(count, width, 4)
hypothetical = rng.randn(count, width, 4)
bases = rng.randint(0, 5, (count, width))  # 4 = no base
members = [(0, 0, 0), (1, 2, 1), (2, -1, 0), (3, 1, 1), (4, 3, 0)]  # (seqlet, offset, reverse)
lo = min(o for _, o, _ in members)
hi = max(o + width for _, o, _ in members)
sum_c = np.zeros((hi - lo, 4))
sum_h = np.zeros((hi - lo, 4))
counts = np.zeros((hi - lo, 4))
cover = np.zeros(hi - lo)
for s, o, rev in members:
    c, h, b = contrib[s], hypothetical[s], bases[s]
    if rev:
        c, h = c[::-1, ::-1], h[::-1, ::-1]
        b = np.where(b[::-1] < 4, 3 - b[::-1], 4)
    sl = slice(o - lo, o - lo + width)
    sum_c[sl] += c
    sum_h[sl] += h
    cover[sl] += 1
    for q, base in enumerate(b):
        if base < 4:
            counts[o - lo + q, base] += 1
known = counts.sum(axis=1, keepdims=True)
out["cwm"] = {"width": width, "contribution": contrib.ravel().tolist(), "hypothetical": hypothetical.ravel().tolist(),
              "bases": bases.ravel().tolist(), "members": members,
              "cwm": (sum_c / cover[:, None]).ravel().tolist(), "hypothetical_cwm": (sum_h / cover[:, None]).ravel().tolist(),
              "ppm": np.where(known > 0, counts / np.maximum(known, 1), 0.25).ravel().tolist(),
              "coverage": cover.tolist(), "shift": -lo}


# --- Perplexity kernel: p_j ~ exp(-beta (d_j - min d)), beta by bisection until exp(entropy) = perplexity.
def kernel(d, perplexity):
    d = np.asarray(d)
    lo_b, hi_b = 0.0, 1e6
    for _ in range(200):
        beta = (lo_b + hi_b) / 2
        p = np.exp(-beta * (d - d.min()))
        p /= p.sum()
        h = -np.sum(p[p > 0] * np.log(p[p > 0]))
        if h > np.log(perplexity):
            lo_b = beta
        else:
            hi_b = beta
    return p


d = rng.rand(25) * 0.8
out["kernel"] = {"distances": d.tolist(), "perplexity": 6.0, "p": kernel(d, 6.0).tolist()}

with open(sys.argv[1], "w") as f:
    json.dump(out, f)
