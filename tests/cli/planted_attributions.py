"""Synthetic inputs for `seqdl motifs discover`: random sequences with motifs planted, and hypothetical contributions
that are motif-shaped at the planted sites and small noise elsewhere (what a model that learnt the motifs would give).

    planted_attributions.py MOTIFS.meme OUT_PREFIX --motif MA0139.1 --motif MA0138.2 --negative MA0083.3 \
        --sequences 400 --length 200 [--seed 1] [--noise 0.1] [--onehot-dtype float32|uint8]

writes OUT_PREFIX.onehot.npy and OUT_PREFIX.hyp.npy ([n, 4, length]), OUT_PREFIX.sites.tsv (row, start, end, motif,
strand, sign) and OUT_PREFIX.ids.txt (chr1:start-end ids: row i lies at chr1:(i*1000+1)-(i*1000+length)).

At a site of motif M (probabilities p, oriented to the site's strand) the hypothetical contribution of base b at each
position is sign * amplitude * (p_b - 0.25) / 0.75 (positive motifs sign +1, --negative motifs -1; amplitude drawn
per site from U(0.6, 1.4)), plus Gaussian noise of SD --noise on every channel everywhere. Each sequence holds 0, 1
or 2 sites (probabilities 0.25, 0.5, 0.25), motifs drawn uniformly, so motifs appear alone and mixed. Depends only on
numpy; used by tests/cli/test_motifs_discover.py and bench/rows_discover.py.
"""
import argparse

import numpy as np


def read_meme(path):
    """{id: [rows of A C G T probabilities]} of a MEME minimal-format file (an independent small reader)."""
    motifs, current = {}, None
    with open(path) as f:
        for line in f:
            parts = line.split()
            if not parts:
                continue
            if parts[0] == "MOTIF":
                current = motifs.setdefault(parts[1], [])
                if len(parts) > 2:
                    motifs.setdefault(parts[2], current)
            elif current is not None and len(parts) == 4:
                try:
                    current.append([float(v) for v in parts])
                except ValueError:
                    pass
    return motifs


def planted(motifs, n, length, seed=1, noise=0.1, negative=()):
    """motifs: list of (name, rows); negative: names among them planted with negative contributions.
    Returns onehot [n, 4, L] float32, hyp [n, 4, L] float32 and the sites [(row, start, end, name, strand, sign)]."""
    rng = np.random.default_rng(seed)
    seq = rng.integers(0, 4, size=(n, length))
    hyp = rng.normal(0.0, noise, size=(n, 4, length)).astype(np.float32)
    sites = []
    for i in range(n):
        count = rng.choice([0, 1, 2], p=[0.25, 0.5, 0.25])
        taken = []
        for _ in range(count):
            name, rows = motifs[rng.integers(len(motifs))]
            p = np.asarray(rows, dtype=np.float64)
            w = len(p)
            for _attempt in range(50):
                start = int(rng.integers(0, length - w + 1))
                if all(start + w + 5 <= s or e + 5 <= start for s, e in taken):
                    break
            else:
                continue
            taken.append((start, start + w))
            strand = "+" if rng.random() < 0.5 else "-"
            if strand == "-":
                p = p[::-1, ::-1]  # reverse complement: positions reversed, A<->T and C<->G (A C G T order)
            p = p / p.sum(axis=1, keepdims=True)
            bases = np.array([rng.choice(4, p=row) for row in p])
            seq[i, start:start + w] = bases
            sign = -1.0 if name in negative else 1.0
            amplitude = rng.uniform(0.6, 1.4)
            hyp[i, :, start:start + w] += (sign * amplitude * (p.T - 0.25) / 0.75).astype(np.float32)
            sites.append((i, start, start + w, name, strand, int(sign)))
    onehot = np.zeros((n, 4, length), dtype=np.float32)
    np.put_along_axis(onehot, seq[:, None, :], 1.0, axis=1)
    return onehot, hyp, sites


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("meme")
    ap.add_argument("prefix")
    ap.add_argument("--motif", action="append", default=[])
    ap.add_argument("--negative", action="append", default=[])
    ap.add_argument("--sequences", type=int, default=400)
    ap.add_argument("--length", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--noise", type=float, default=0.1)
    ap.add_argument("--onehot-dtype", default="float32", choices=["float32", "uint8"])
    a = ap.parse_args()
    db = read_meme(a.meme)
    chosen = [(m, db[m]) for m in a.motif + a.negative]
    onehot, hyp, sites = planted(chosen, a.sequences, a.length, a.seed, a.noise, set(a.negative))
    np.save(a.prefix + ".onehot.npy", onehot.astype(a.onehot_dtype))
    np.save(a.prefix + ".hyp.npy", hyp)
    with open(a.prefix + ".sites.tsv", "w") as f:
        f.write("row\tstart\tend\tmotif\tstrand\tsign\n")
        for s in sites:
            f.write("\t".join(map(str, s)) + "\n")
    with open(a.prefix + ".ids.txt", "w") as f:
        for i in range(a.sequences):
            f.write(f"chr1:{i * 1000 + 1}-{i * 1000 + a.length}\n")


if __name__ == "__main__":
    main()
