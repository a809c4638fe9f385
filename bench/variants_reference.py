"""Plain PyTorch baseline for `seqdl variants` (there is no reference script for variant effects): the REF and ALT
windows of every VCF allele built from the genome by the rule seqdl documents (the allele's first base at index
window // 2; ALT = the same left flank + ALT + the genome after the REF allele, cut to the window; N off the contig),
one-hot encoded with a numpy lookup table, run through a TorchScript model in batches of windows (one forward each),
and written as a TSV of ref, alt, diff and log2 ratio per task (probabilities, sigmoid). Timed from after the imports
to the written output, as seqdl times itself from its start to its output.

usage: variants_reference.py GENOME.fa CALLS.vcf[.gz] --weights MODEL.pt --window 600 [--threads 2] [--batch 256]
           --out effects.tsv
prints: "<n> alleles in <s> s (<rate> alleles/s)"
"""
import argparse
import gzip
import time

import numpy as np
import torch


def read_fasta(path):
    seqs, name, parts = {}, None, []
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        for line in f:
            if line.startswith(">"):
                if name is not None:
                    seqs[name] = "".join(parts)
                name, parts = line[1:].split()[0], []
            else:
                parts.append(line.strip())
    if name is not None:
        seqs[name] = "".join(parts)
    return seqs


def read_alleles(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        for line in f:
            if line.startswith("#"):
                continue
            c = line.split("\t", 8)
            for alt in c[4].split(","):
                yield c[0], int(c[1]), c[2], c[3], alt


def fetch(seq, a, b):
    if a >= 0 and b <= len(seq):
        return seq[a:b]
    return "N" * max(0, -a) + seq[max(a, 0):min(b, len(seq))] + "N" * max(0, b - max(len(seq), a))


TABLE = np.zeros((256, 4), dtype=np.float32)
for _i, _b in enumerate(b"ACGT"):
    TABLE[_b, _i] = TABLE[_b + 32, _i] = 1.0


def one_hot(windows):
    codes = np.frombuffer("".join(windows).encode(), dtype=np.uint8).reshape(len(windows), -1)
    return torch.from_numpy(np.ascontiguousarray(TABLE[codes].transpose(0, 2, 1)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("genome")
    ap.add_argument("vcf")
    ap.add_argument("--weights", required=True)
    ap.add_argument("--window", type=int, required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    start = time.perf_counter()
    torch.set_num_threads(a.threads)
    model = torch.jit.load(a.weights).eval()
    genome = read_fasta(a.genome)
    width, centre = a.window, a.window // 2
    n = 0
    with open(a.out, "w") as out, torch.no_grad():
        batch_alleles, batch_windows = [], []

        def flush():
            x = one_hot(batch_windows)
            p = torch.sigmoid(model(x)).numpy()
            ref, alt = p[0::2], p[1::2]
            log2 = np.log2((alt + 1e-6) / (ref + 1e-6))
            for i, (chrom, pos, vid, r, al) in enumerate(batch_alleles):
                vals = "\t".join(f"{ref[i, t]:.6g}\t{alt[i, t]:.6g}\t{alt[i, t] - ref[i, t]:.6g}\t{log2[i, t]:.6g}"
                                 for t in range(p.shape[1]))
                out.write(f"{chrom}\t{pos}\t{vid}\t{r}\t{al}\t{vals}\n")
            batch_alleles.clear()
            batch_windows.clear()

        for chrom, pos, vid, ref, alt in read_alleles(a.vcf):
            seq = genome[chrom]
            p = pos - 1
            ref_w = fetch(seq, p - centre, p - centre + width)
            alt_w = (ref_w[:centre] + alt + fetch(seq, p + len(ref), p + len(ref) + width - centre))[:width]
            batch_alleles.append((chrom, pos, vid, ref, alt))
            batch_windows += [ref_w, alt_w]
            n += 1
            if len(batch_windows) >= a.batch:
                flush()
        if batch_windows:
            flush()
    secs = time.perf_counter() - start
    print(f"{n} alleles in {secs:.2f} s ({n / secs:.2f} alleles/s)")


if __name__ == "__main__":
    main()
