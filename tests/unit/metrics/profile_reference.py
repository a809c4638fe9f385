#!/usr/bin/python3
"""Reference values from scipy/numpy for the profile metrics tests (test_profile_reference.cpp).

Usage: /usr/bin/python3 profile_reference.py OUT.json

Seeded profiles (observed counts, predicted probabilities, predicted log counts, with zero-count profiles, ties
and a constant row) and what scipy.spatial.distance.jensenshannon, scipy.stats.pearsonr/spearmanr and
numpy.nanmedian give for them, computed the way ../shared/bench/reference/bpnet.py computes its test figures.
Exits with status 77 (the test is skipped) when numpy or scipy cannot be imported.
"""
import json
import sys

try:
    import numpy as np
    from scipy.spatial.distance import jensenshannon
    from scipy.stats import pearsonr, spearmanr
except ImportError as e:
    print(f"profile_reference.py: {e}; install python3-scipy and python3-numpy", file=sys.stderr)
    sys.exit(77)

rng = np.random.RandomState(20240611)
n, length = 40, 60
observed = rng.poisson(rng.gamma(0.5, 2.0, (n, 1)) * rng.dirichlet(np.ones(length) * 0.3, n) * 20).astype(np.float64)
observed[3] = 0  # no reads: left out of the profile figures
observed[7, :] = 0
observed[7, 5] = 4  # all reads on one base
logits = rng.normal(0, 1.5, (n, length))
probs = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
probs = probs.astype(np.float32).astype(np.float64)  # seqdl receives float32 probabilities
pred_log_counts = np.round(rng.normal(2, 1, n), 1)  # ties for Spearman
baseline = rng.dirichlet(np.ones(length))

keep = observed.sum(1) > 0
jsd = [float(jensenshannon(o, p)) if k else None for o, p, k in zip(observed, probs, keep)]
base_jsd = [float(jensenshannon(o, baseline)) if k else None for o, k in zip(observed, keep)]
prof_r = [float(pearsonr(p, o)[0]) if k else None for o, p, k in zip(observed, probs, keep)]
true_lc = np.log1p(observed.sum(1))
out = {
    "length": length,
    "observed": observed.tolist(),
    "probabilities": probs.tolist(),
    "predicted_log_counts": pred_log_counts.tolist(),
    "baseline": baseline.tolist(),
    "jsd": jsd,
    "baseline_jsd": base_jsd,
    "profile_pearson": prof_r,
    "counts_pearson": float(pearsonr(pred_log_counts, true_lc)[0]),
    "counts_spearman": float(spearmanr(pred_log_counts, true_lc).correlation),
    "counts_mse": float(np.mean((pred_log_counts - true_lc) ** 2)),
    "jsd_median": float(np.nanmedian(np.array([np.nan if v is None else v for v in jsd]))),
    "profile_pearson_median": float(np.nanmedian(np.array([np.nan if v is None else v for v in prof_r]))),
    "baseline_jsd_median": float(np.nanmedian(np.array([np.nan if v is None else v for v in base_jsd]))),
    "with_counts": int(keep.sum()),
    "spearman_ties": {"a": [1, 2, 2, 3, 3, 3, 0, 5], "b": [0.5, 0.1, 0.3, 0.3, 0.2, 0.9, 0.9, 1.0],
                      "r": float(spearmanr([1, 2, 2, 3, 3, 3, 0, 5], [0.5, 0.1, 0.3, 0.3, 0.2, 0.9, 0.9, 1.0]).correlation)},
    "median_even": float(np.nanmedian([4.0, np.nan, 1.0, 3.0, 2.0])),
}
with open(sys.argv[1], "w") as f:
    json.dump(out, f)
