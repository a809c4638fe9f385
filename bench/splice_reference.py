"""Plain-PyTorch baselines for per-position splice models (SpliceAI), the way Python pipelines usually run them.

  splice_reference.py export MODEL.seqdl OUT.pt
      seqdl's spliceai80 / spliceai400 / spliceai2k weights in a PyTorch SpliceAI (any residual units, skip every
      `group` units, written from the paper as archs.py's SpliceAI80), saved as TorchScript.
  splice_reference.py scan GENOME.fa --weights M.pt [--threads N] [--out scores.npz]
      per-base acceptor and donor probabilities of every contig, both strands: one window of the model's input per
      output block (windows advance by the output length, N-padded at contig ends), batched; the minus strand from
      reverse-complemented windows flipped back. Prints bases/s (contig bases over the scan's wall time).
  splice_reference.py variants GENOME.fa VCF --weights M.pt --genes genes.tsv [--distance 50] [--out deltas.tsv]
      SpliceAI's delta scores of each SNV/indel on the strand of every gene (chrom, start, end, strand, id: 0-based
      half-open) it lies in: REF and ALT windows of context + 2 x distance + 1 bases (SpliceAI's own layout), the
      variant's first base in the middle, reverse-complemented for '-' genes. Prints alleles/s.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "cli"))

TABLE = np.zeros((256, 4), dtype=np.float32)
for _i, _b in enumerate(b"ACGT"):
    TABLE[_b, _i] = TABLE[_b + 32, _i] = 1.0
COMPLEMENT = bytes.maketrans(b"ACGTNacgtn", b"TGCANtgcan")


class Residual(nn.Module):
    def __init__(self, ch, k, d):
        super().__init__()
        self.body = nn.Sequential(
            nn.BatchNorm1d(ch), nn.ReLU(), nn.Conv1d(ch, ch, k, dilation=d, padding=d * (k - 1) // 2),
            nn.BatchNorm1d(ch), nn.ReLU(), nn.Conv1d(ch, ch, k, dilation=d, padding=d * (k - 1) // 2))

    def forward(self, x):
        return x + self.body(x)


class SpliceAI(nn.Module):
    """Jaganathan et al. 2019: a 1x1 stem, residual units (BN, ReLU, dilated conv, twice), a 1x1 skip convolution
    from the stem and after every `group` units, summed, `context` / 2 positions cropped each side, 1x1 to classes."""

    def __init__(self, units, group=4, context=80, channels=32, tasks=3):
        super().__init__()
        self.context = context
        self.stem = nn.Conv1d(4, channels, 1)
        self.skip0 = nn.Conv1d(channels, channels, 1)
        self.blocks = nn.ModuleList()
        self.is_skip = []
        for i, (k, d) in enumerate(units):
            self.blocks.append(Residual(channels, k, d))
            self.is_skip.append(False)
            if (i + 1) % group == 0 or i + 1 == len(units):
                self.blocks.append(nn.Conv1d(channels, channels, 1))
                self.is_skip.append(True)
        self.out = nn.Conv1d(channels, tasks, 1)

    def forward(self, x):
        h = self.stem(x)
        skip = self.skip0(h)
        for i, block in enumerate(self.blocks):
            if self.is_skip[i]:
                skip = skip + block(h)
            else:
                h = block(h)
        c = self.context // 2
        return self.out(skip[:, :, c:skip.shape[2] - c])


def from_seqdl(path):
    """A SpliceAI module with the weights of a seqdl spliceai_tower model, and its input length."""
    from seqdl_model import read_archive
    header, tensors = read_archive(path)
    spec = header["spec"] if "spec" in header else json.loads(header["metadata"]["spec"])
    tower = spec["layers"][0]
    model = SpliceAI([tuple(u) for u in tower["units"]], tower.get("group", 4), tower["context"], tower["channels"],
                     header["tasks"]).eval()
    ours = [(t["name"], tensors[t["name"]]) for t in header["tensors"] if not t["name"].endswith("num_batches_tracked")]
    params = [n for n, _ in model.named_parameters()]
    buffers = [n for n, _ in model.named_buffers() if not n.endswith("num_batches_tracked")]
    state = model.state_dict()
    if len(ours) != len(params) + len(buffers):
        raise SystemExit(f"{path}: {len(ours)} tensors, the reference has {len(params) + len(buffers)}")
    for (name, value), ref_name in zip(ours, params + buffers):
        if tuple(value.shape) != tuple(state[ref_name].shape):
            raise SystemExit(f"{name} {value.shape} does not fit {ref_name} {tuple(state[ref_name].shape)}")
        state[ref_name] = torch.from_numpy(value.copy())
    model.load_state_dict(state)
    return model, header["input_length"]


def read_fasta(path):
    out, name, parts = {}, None, []
    with open(path, "rb") as f:
        for line in f:
            if line.startswith(b">"):
                if name is not None:
                    out[name] = b"".join(parts)
                name, parts = line[1:].split()[0].decode(), []
            else:
                parts.append(line.strip())
    if name is not None:
        out[name] = b"".join(parts)
    return out


def padded(seq, start, end):
    left, right = max(0, -start), max(0, end - len(seq))
    return b"N" * left + seq[max(0, start):min(len(seq), end)] + b"N" * right


def revcomp(s):
    return s.translate(COMPLEMENT)[::-1]


def probabilities(model, windows):
    x = torch.from_numpy(np.stack([TABLE[np.frombuffer(w, dtype=np.uint8)].T for w in windows]))
    return torch.softmax(model(x), dim=1).numpy()


def scan(args):
    model = torch.jit.load(args.weights).eval()
    length = args.window
    genome = read_fasta(args.genome)
    with torch.inference_mode():
        out = model(torch.zeros(1, 4, length))
    P = out.shape[2]
    half = (length - P) // 2
    start, bases, results = time.perf_counter(), 0, {}
    with torch.inference_mode():
        for chrom, seq in genome.items():
            n = len(seq)
            tracks = np.zeros((2, 2, n), dtype=np.float32)  # strand, class (acceptor, donor), position
            for strand in (0, 1):
                s = seq if strand == 0 else revcomp(seq)
                starts = list(range(0, n, P))
                for b in range(0, len(starts), args.batch):
                    chunk = starts[b:b + args.batch]
                    p = probabilities(model, [padded(s, q - half, q - half + length) for q in chunk])
                    for q, v in zip(chunk, p):
                        m = min(P, n - q)
                        if strand == 0:
                            tracks[0, :, q:q + m] = v[1:3, :m]
                        else:  # S position q + j is genomic n - 1 - q - j
                            tracks[1, :, n - q - m:n - q] = v[1:3, :m][:, ::-1]
            bases += n
            results[chrom] = tracks
    secs = time.perf_counter() - start
    if args.out:
        np.savez(args.out, **results)
    print(f"{bases} bases (both strands) in {secs:.2f} s: {bases / secs:.1f} bases/s")


def variants(args):
    model = torch.jit.load(args.weights).eval()
    genome = read_fasta(args.genome)
    with torch.inference_mode():
        context = args.window - model(torch.zeros(1, 4, args.window)).shape[2]
    d = args.distance
    W = context + 2 * d + 1
    c = W // 2
    genes = []
    for line in open(args.genes):
        chrom, s, e, strand, gid = line.split()[:5]
        genes.append((chrom, int(s), int(e), strand, gid))
    alleles = []
    for line in open(args.vcf):
        if line.startswith("#"):
            continue
        f = line.rstrip("\n").split("\t")
        for alt in f[4].split(","):
            alleles.append((f[0], int(f[1]) - 1, f[3], alt))
    start, rows = time.perf_counter(), []
    with torch.inference_mode():
        for chrom, p, ref, alt in alleles:
            seq = genome[chrom]
            hits = [g for g in genes if g[0] == chrom and g[1] < p + len(ref) and g[2] > p]
            for strand in sorted({g[3] for g in hits}):
                r = padded(seq, p - c, p - c + W)
                a = (r[:c] + alt.encode() + padded(seq, p + len(ref), p + len(ref) + W))[:W]
                if strand == "-":
                    r, a = revcomp(r), revcomp(a)
                y = probabilities(model, [r, a])[:, 1:3, :]
                if strand == "-":
                    y = y[:, :, ::-1]
                # SNVs and same-length changes line up position by position; indels compare the REF-aligned prefix.
                delta = y[1] - y[0]
                ag, dg = delta[0].argmax(), delta[1].argmax()
                al, dl = (-delta[0]).argmax(), (-delta[1]).argmax()
                for g in hits:
                    if g[3] == strand:
                        rows.append((chrom, p + 1, ref, alt, g[4], delta[0][ag], -delta[0][al], delta[1][dg],
                                     -delta[1][dl], ag - d, al - d, dg - d, dl - d))
    secs = time.perf_counter() - start
    if args.out:
        with open(args.out, "w") as f:
            for r in rows:
                f.write("\t".join(map(str, r)) + "\n")
    print(f"{len(alleles)} alleles in {secs:.2f} s ({len(alleles) / secs:.2f} alleles/s)")


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="command", required=True)
    e = sub.add_parser("export")
    e.add_argument("model")
    e.add_argument("out")
    s = sub.add_parser("scan")
    s.add_argument("genome")
    v = sub.add_parser("variants")
    v.add_argument("genome")
    v.add_argument("vcf")
    v.add_argument("--genes", required=True)
    v.add_argument("--distance", type=int, default=50)
    for p in (s, v):
        p.add_argument("--weights", required=True)
        p.add_argument("--window", type=int, default=5080, help="the model's input length")
        p.add_argument("--batch", type=int, default=16)
        p.add_argument("--threads", type=int, default=2)
        p.add_argument("--out")
    args = ap.parse_args()
    if args.command == "export":
        model, _ = from_seqdl(args.model)
        torch.jit.script(model).save(args.out)
        return
    torch.set_num_threads(args.threads)
    scan(args) if args.command == "scan" else variants(args)


if __name__ == "__main__":
    main()
