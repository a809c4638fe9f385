"""Plain numpy baseline for the compare row: Tomtom's method as lib/motif/compare.hpp describes it (Pearson column
correlations against every database column of both strands, 100 levels per column, the null's tails by
np.convolve for every range of query columns, the best alignment's p-value corrected for the alignments tried,
E = p x database size), vectorised where numpy allows. Writes query, best target and its E-value per query, so
that the row can check that both sides agree. There is no MEME-suite Tomtom on this machine."""
import argparse
import math
import time

import numpy as np


def read_meme(path):
    motifs = []
    for line in open(path):
        parts = line.split()
        if parts and parts[0] == "MOTIF":
            motifs.append((parts[1], []))
        elif motifs and len(parts) == 4:
            try:
                motifs[-1][1].append([float(v) for v in parts])
            except ValueError:
                pass
    return [(i, np.array(rows)) for i, rows in motifs]


def unit_rows(m):
    z = m - 0.25
    n = np.linalg.norm(z, axis=1, keepdims=True)
    return np.divide(z, n, out=np.zeros_like(z), where=n > 1e-12)


def compare(query, database, starts, columns, bins=100, min_overlap=5):
    w = len(query)
    gamma = unit_rows(query) @ columns.T  # w x N
    lo, hi = gamma.min(), gamma.max()
    levels = np.floor((gamma - lo) * (bins / (hi - lo)) + 0.5).astype(np.int64)
    pmfs = [np.bincount(row, minlength=bins + 1) / columns.shape[0] for row in levels]
    tails = {}
    for f in range(w):
        d = np.array([1.0])
        for l in range(f + 1, w + 1):
            d = np.convolve(d, pmfs[l - 1])
            tails[f, l] = np.cumsum(d[::-1])[::-1]
    best = []
    for (tid, t), start in zip(database, starts):
        b = len(t)
        need = min(min_overlap, w, b)
        p_min, n = 1.0, 0
        for strand in range(2):
            base = start + strand * b
            for offset in range(need - w, b - need + 1):
                f, l = max(0, -offset), min(w, b - offset)
                i = np.arange(f, l)
                total = int(levels[i, base + i + offset].sum())
                tl = tails[f, l]
                p_min = min(p_min, tl[total] if total < len(tl) else 0.0)
                n += 1
        p = 1.0 if p_min >= 1 else -math.expm1(n * math.log1p(-p_min))
        best.append((p, tid))
    best.sort()
    return best[0][1], best[0][0] * len(database)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("queries")
    ap.add_argument("database")
    ap.add_argument("out")
    args = ap.parse_args()
    start = time.perf_counter()
    queries, database = read_meme(args.queries), read_meme(args.database)
    starts, cols = [], []
    for _, m in database:
        starts.append(sum(len(c) for c in cols))
        cols += [m, m[::-1, ::-1]]
    columns = unit_rows(np.vstack(cols))
    with open(args.out, "w") as out:
        for qid, q in queries:
            target, evalue = compare(q, database, starts, columns)
            out.write(f"{qid}\t{target}\t{evalue:.6g}\n")
    seconds = time.perf_counter() - start
    print(f"{len(queries)} queries against {len(database)} motifs in {seconds:.2f} s")


if __name__ == "__main__":
    main()
