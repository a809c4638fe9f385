"""Plain-PyTorch baseline for whole-genome prediction with a BPNet profile model, the way Python pipelines run it.

  profile_reference.py GENOME.fa --prefix OUT [--channels 2] [--batch 64] [--threads N] [--seed 0]

The model is ../shared/bench/reference/bpnet.py's BPNet (2114 in, 1000 out, 64 filters, 8 dilated layers) with its
profile and counts heads widened to `--channels` outputs (2: the + and - strand of a stranded model), random weights
(speed does not depend on them). The genome is tiled by the output length: one input window per output block,
N-padded (all-zero one-hot) where it runs off a contig end. Each block's predicted counts are softmax(profile) x
(exp(log counts) - 1), written per channel as a bigWig with pyBigWig (OUT.plus.bw, OUT.minus.bw; OUT.c<k>.bw beyond
two). Prints "N bases in S s: R bases/s" over the whole run (reading the FASTA, the scan and the writing).
"""
import argparse
import os
import sys
import time

import numpy as np
import pyBigWig
import torch
from torch import nn

REFERENCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench", "reference")
sys.path.insert(0, REFERENCE)
from bpnet import BPNet  # noqa: E402  (the reference's architecture, not a copy)
from splice_reference import read_fasta  # noqa: E402  (same folder: name -> bases as bytes)

TABLE = np.zeros((256, 4), dtype=np.float32)
for _i, _b in enumerate(b"ACGT"):
    TABLE[_b, _i] = TABLE[_b + 32, _i] = 1.0


def stranded_bpnet(channels):
    model = BPNet()
    filters = model.stem.out_channels
    model.profile = nn.Conv1d(filters, channels, model.profile.kernel_size[0], padding=model.profile.padding[0])
    model.counts = nn.Linear(filters, channels)
    return model.eval()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("genome")
    ap.add_argument("--prefix", required=True)
    ap.add_argument("--channels", type=int, default=2)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    start = time.perf_counter()
    model = stranded_bpnet(args.channels)
    in_len, out_len = 2114, 1000
    left = (in_len - out_len) // 2
    genome = read_fasta(args.genome)
    names = ["plus", "minus"] if args.channels == 2 else [f"c{k}" for k in range(args.channels)]
    writers = [pyBigWig.open(f"{args.prefix}.{n}.bw", "w") for n in names]
    for w in writers:
        w.addHeader([(c, len(s)) for c, s in genome.items()])
    bases = 0
    with torch.inference_mode():
        for chrom, seq in genome.items():
            n = len(seq)
            codes = np.frombuffer(seq, dtype=np.uint8)
            padded = np.zeros(n + in_len + out_len, dtype=np.uint8)  # code 0 encodes as all-zero, like N
            padded[left:left + n] = codes
            tracks = np.zeros((args.channels, (n + out_len - 1) // out_len * out_len), dtype=np.float32)
            starts = np.arange(0, n, out_len)
            for b in range(0, len(starts), args.batch):
                chunk = starts[b:b + args.batch]
                idx = chunk[:, None] + np.arange(in_len)  # block q's input starts at q - left, i.e. at q in `padded`
                x = torch.from_numpy(np.ascontiguousarray(TABLE[padded[idx]].transpose(0, 2, 1)))
                logits, log_counts = model(x)
                counts = torch.softmax(logits, -1) * torch.clamp_min(torch.expm1(log_counts), 0).unsqueeze(-1)
                for k, q in enumerate(chunk):
                    tracks[:, q:q + out_len] = counts[k].numpy()
            for w, track in zip(writers, tracks):
                w.addEntries(chrom, 0, values=track[:n].astype(np.float64), span=1, step=1)
            bases += n
    for w in writers:
        w.close()
    secs = time.perf_counter() - start
    print(f"{bases} bases in {secs:.2f} s: {bases / secs:.1f} bases/s")


if __name__ == "__main__":
    main()
