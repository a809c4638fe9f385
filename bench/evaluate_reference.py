"""Plain Python baseline for the evaluate rows: read a scores TSV and a labels TSV (id, value; same order) with
numpy and compute scikit-learn's average_precision_score and roc_auc_score, optionally with a percentile
bootstrap of both (resampling with replacement, as seqdl evaluate --bootstrap does)."""
import argparse
import time

import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("scores")
    ap.add_argument("labels")
    ap.add_argument("--bootstrap", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    start = time.perf_counter()
    scores = np.loadtxt(args.scores, skiprows=1, usecols=1, dtype=np.float64)
    labels = np.loadtxt(args.labels, skiprows=1, usecols=1, dtype=np.int8)
    auprc, auroc = average_precision_score(labels, scores), roc_auc_score(labels, scores)
    line = f"AUPRC {auprc:.6f} AUROC {auroc:.6f}"
    if args.bootstrap:
        rng = np.random.default_rng(args.seed)
        reps = []
        for _ in range(args.bootstrap):
            idx = rng.integers(0, len(scores), len(scores))
            y, s = labels[idx], scores[idx]
            if 0 < y.sum() < len(y):
                reps.append((average_precision_score(y, s), roc_auc_score(y, s)))
        lo, hi = np.percentile(np.array(reps), [2.5, 97.5], axis=0)
        line += f" AUPRC interval [{lo[0]:.4f}, {hi[0]:.4f}] AUROC interval [{lo[1]:.4f}, {hi[1]:.4f}]"
    seconds = time.perf_counter() - start
    print(f"{line}\n{len(scores)} scores in {seconds:.2f} s ({len(scores) / seconds:.1f} scores/s)")


if __name__ == "__main__":
    main()
