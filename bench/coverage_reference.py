"""Reference for the coverage rows: per-base Tn5 insertion counts (+4/-4, strands combined) of a BEDPE/fragment
file with numpy (np.add.at per contig over dense arrays), written as a bedGraph of the non-zero bases.
usage: coverage_reference.py FRAGMENTS.gz CHROM_SIZES OUT.bedGraph"""
import gzip
import sys

import numpy as np


def main(fragments, sizes_path, out):
    sizes = {}
    for line in open(sizes_path):
        f = line.split()
        sizes[f[0]] = int(f[1])
    cols = {"chrom": [], "start": [], "end": []}
    with gzip.open(fragments, "rt") as f:
        for line in f:
            c, s, e = line.split("\t")[:3]
            cols["chrom"].append(c)
            cols["start"].append(int(s))
            cols["end"].append(int(e))
    chrom = np.array(cols["chrom"])
    start, end = np.array(cols["start"]), np.array(cols["end"])
    with open(out, "w") as o:
        for c, n in sizes.items():
            m = chrom == c
            counts = np.zeros(n, dtype=np.int64)
            cuts = np.concatenate([start[m] + 4, end[m] - 5])
            cuts = cuts[(cuts >= 0) & (cuts < n)]
            np.add.at(counts, cuts, 1)
            for p in np.flatnonzero(counts):
                o.write(f"{c}\t{p}\t{p + 1}\t{counts[p]}\n")


if __name__ == "__main__":
    main(*sys.argv[1:4])
