"""Simulated ATAC-like coverage around planted motifs, for the profile-model CLI tests (test_profile_models.py).

A random genome of four contigs (chrA, chrB: train; chrC: valid; chrD: test). At sites at least 700 bp apart a
motif is planted once (weak sites) or twice 16 bp apart (strong sites, three times the reads); Tn5-like cut sites
fall in two bumps 12 bp either side of the site's centre, plus a thin uniform background. The model must learn
where reads fall around the motif (the profile) and how many fall (the counts: strong vs weak sites), which the
average-profile baseline cannot. The summits written are off the site by up to 40 bp (as called summits are), so
that the average profile around them is smeared and only a model that reads the motif can place the reads.
Written: genome.fa (+ .fai), summits.bed (one base per site), insertions.bedGraph (per-base cut counts, strands
combined), reads.bed (the same cuts as 1-bp reads with strands), exclude.bed (one interval on chrA).
"""
import os

import numpy as np

MOTIF = "TGACGTCA"
CHROMS = {"chrA": 90000, "chrB": 90000, "chrC": 45000, "chrD": 45000}


def profile_shape(half=60):
    x = np.arange(-half, half + 1)
    return np.exp(-0.5 * ((x - 12) / 3.0) ** 2) + np.exp(-0.5 * ((x + 12) / 3.0) ** 2)


def simulate(folder, seed=0):
    rng = np.random.default_rng(seed)
    shape = profile_shape()
    shape /= shape.sum()
    genome, cuts, summits = {}, {}, []
    for chrom, n in CHROMS.items():
        seq = np.array(list("ACGT"))[rng.integers(0, 4, n)]
        rate = np.full(n, 0.01)
        pos = 800
        while pos < n - 800:
            strong = rng.random() < 0.5
            starts = [pos - 12, pos + 4] if strong else [pos - 4]
            for s in starts:
                seq[s:s + len(MOTIF)] = list(MOTIF)
            total = rng.gamma(20.0, 3.0 if strong else 1.0)  # mean 60 vs 20 cuts
            rate[pos - 60:pos + 61] += total * shape
            summits.append((chrom, pos + int(rng.integers(-40, 41))))  # called summits are off by up to 40 bp
            pos += int(rng.integers(700, 1100))
        genome[chrom] = "".join(seq)
        cuts[chrom] = rng.poisson(rate)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "genome.fa"), "w") as f:
        for chrom, seq in genome.items():
            f.write(f">{chrom}\n")
            for i in range(0, len(seq), 60):
                f.write(seq[i:i + 60] + "\n")
    with open(os.path.join(folder, "summits.bed"), "w") as f:
        for i, (chrom, p) in enumerate(summits):
            f.write(f"{chrom}\t{p}\t{p + 1}\tsite{i}\n")
    with open(os.path.join(folder, "insertions.bedGraph"), "w") as f:
        for chrom, c in cuts.items():
            for p in np.flatnonzero(c):
                f.write(f"{chrom}\t{p}\t{p + 1}\t{c[p]}\n")
    with open(os.path.join(folder, "reads.bed"), "w") as f:
        for chrom, c in cuts.items():
            for p in np.flatnonzero(c):
                for k in range(c[p]):
                    if (p + k) % 2:
                        f.write(f"{chrom}\t{p}\t{p + 36}\tr\t0\t+\n")
                    else:
                        f.write(f"{chrom}\t{max(p - 35, 0)}\t{p + 1}\tr\t0\t-\n")
    with open(os.path.join(folder, "exclude.bed"), "w") as f:
        f.write("chrA\t20000\t21000\n")
    return {c: np.asarray(v, dtype=np.float64) for c, v in cuts.items()}, genome, summits
