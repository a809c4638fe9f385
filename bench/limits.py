"""Scale limits (docs/hardening.md): peak memory and time of the reading paths at two input sizes, and how they grow.

Each scenario generates its input at a small and a large size (10x apart, or as given), runs one command under GNU
time (wall seconds, peak RSS), and reports both and the growth of each (large / small): time growing like the size
means linear; memory that does not grow means bounded.

  scripts/limits.sh                  every scenario
  scripts/limits.sh NAME ...         these (--list shows them)
  options: --dir DIR (where inputs go; a 1-Gb FASTA needs 2 GB free), --keep (keep the inputs), --threads N
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

BASES = np.frombuffer(b"ACGT", dtype=np.uint8)


def random_bases(rng, n, chunk=1 << 26):
    """n random bases, produced in chunks (a 1-Gb string without a 4-Gb intermediate)."""
    for start in range(0, n, chunk):
        yield BASES[rng.integers(0, 4, min(chunk, n - start))].tobytes()


def write_single_line_fasta(path, n, seed=1):
    rng = np.random.default_rng(seed)
    with open(path, "wb") as f:
        f.write(b">chr1\n")
        for part in random_bases(rng, n):
            f.write(part)
        f.write(b"\n")


def write_genome(path, n, seed=2):
    rng = np.random.default_rng(seed)
    with open(path, "wb") as f:
        f.write(b">chr1\n")
        seq = b"".join(random_bases(rng, n))
        for i in range(0, n, 60):
            f.write(seq[i:i + 60] + b"\n")


def write_lines(path, rows, make, chunk=200_000):
    with open(path, "w") as f:
        for start in range(0, rows, chunk):
            f.write(make(start, min(chunk, rows - start)))


def label_table(path, rows, length=101, seed=3):
    rng = np.random.default_rng(seed)
    with open(path, "w") as f:
        f.write("id\tseq\ty\n")
        for start in range(0, rows, 100_000):
            n = min(100_000, rows - start)
            seqs = BASES[rng.integers(0, 4, (n, length))]
            labels = rng.integers(0, 2, n)
            f.write("".join(f"r{start + i}\t{seqs[i].tobytes().decode()}\t{labels[i]}\n" for i in range(n)))


def score_tables(scores, labels, rows, seed=4):
    rng = np.random.default_rng(seed)
    with open(scores, "w") as s, open(labels, "w") as lab:
        s.write("id\tscore\n")
        lab.write("id\tlabel\n")
        for start in range(0, rows, 200_000):
            n = min(200_000, rows - start)
            y = rng.integers(0, 2, n)
            p = np.clip(rng.normal(0.3 + 0.4 * y, 0.2), 0, 1)
            s.write("".join(f"r{start + i}\t{p[i]:.5f}\n" for i in range(n)))
            lab.write("".join(f"r{start + i}\t{y[i]}\n" for i in range(n)))


def vcf(path, records, genome_length=10_000_000, seed=5):
    rng = np.random.default_rng(seed)
    with open(path, "w") as f:
        f.write(f"##fileformat=VCFv4.2\n##contig=<ID=chr1,length={genome_length}>\n"
                "##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n"
                "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n")
        for start in range(0, records, 200_000):
            n = min(200_000, records - start)
            pos = np.sort(rng.integers(1, genome_length - 10, n))
            ref = BASES[rng.integers(0, 4, n)]
            alt = BASES[rng.integers(0, 4, n)]
            f.write("".join(f"chr1\t{pos[i]}\trs{start + i}\t{chr(ref[i])}\t{chr(alt[i])}\t50\tPASS\tDP={i % 90}\n"
                            for i in range(n)))


def bed(path, intervals, genome_length=10_000_000, width=50, strands=False, seed=6):
    rng = np.random.default_rng(seed)
    with open(path, "w") as f:
        for start in range(0, intervals, 200_000):
            n = min(200_000, intervals - start)
            s = np.sort(rng.integers(0, genome_length - width, n))
            if strands:
                f.write("".join(f"chr1\t{s[i]}\t{s[i] + width}\tr\t0\t{'+-'[i % 2]}\n" for i in range(n)))
            else:
                f.write("".join(f"chr1\t{s[i]}\t{s[i] + width}\n" for i in range(n)))


class Scenario:
    def __init__(self, name, what, sizes, unit, make, command, timeout=1800):
        self.name, self.what, self.sizes, self.unit = name, what, sizes, unit
        self.make, self.command, self.timeout = make, command, timeout


def scenarios(seqdl, bench, threads):
    t = ["--threads", str(threads)]
    g10 = "genome10M.fa"

    def need_genome(d):
        if not os.path.exists(os.path.join(d, g10)):
            write_genome(os.path.join(d, g10), 10_000_000)
            subprocess.run(["samtools", "faidx", os.path.join(d, g10)], check=True)

    return [
        Scenario("fasta-stream", "one single-line FASTA record through seqdl encode (streaming reader)",
                 [100_000_000, 1_000_000_000], "bases",
                 lambda d, n: write_single_line_fasta(os.path.join(d, f"one{n}.fa"), n),
                 lambda d, n: [seqdl, *t, "encode", f"one{n}.fa", "--length", "1000", "-o", "x.npy"]),
        Scenario("fasta-faidx", "the same record as a genome: faidx index built, one region fetched",
                 [100_000_000, 1_000_000_000], "bases",
                 lambda d, n: write_single_line_fasta(os.path.join(d, f"one{n}.fa"), n),
                 lambda d, n: ["sh", "-c", f"rm -f one{n}.fa.fai && exec {seqdl} {' '.join(t)} encode one{n}.fa "
                                            f"--regions chr1:{n // 2}-{n // 2 + 999} -o x.npy"]),
        Scenario("labels-read", "a label table (101-bp sequences) read whole, as train and evaluate --model do",
                 [1_000_000, 10_000_000], "rows",
                 lambda d, n: label_table(os.path.join(d, f"labels{n}.tsv"), n),
                 lambda d, n: [bench, "labels", f"labels{n}.tsv", "seq", "y"]),
        Scenario("labels-evaluate", "seqdl evaluate --scores --labels (ids joined, metrics)",
                 [1_000_000, 10_000_000], "rows",
                 lambda d, n: score_tables(os.path.join(d, f"scores{n}.tsv"), os.path.join(d, f"truth{n}.tsv"), n),
                 lambda d, n: [seqdl, *t, "evaluate", "--scores", f"scores{n}.tsv", "--labels", f"truth{n}.tsv",
                               "-o", "m.tsv"]),
        Scenario("vcf-read", "every allele of a VCF through io::VcfReader (the reading path of seqdl variants)",
                 [100_000, 1_000_000], "records",
                 lambda d, n: vcf(os.path.join(d, f"v{n}.vcf"), n),
                 lambda d, n: [bench, "vcf", f"v{n}.vcf"]),
        Scenario("bed-encode", "BED intervals encoded from a 10-Mb genome (seqdl encode --regions, 10 bp, uint8)",
                 [1_000_000, 10_000_000], "intervals",
                 lambda d, n: (need_genome(d), bed(os.path.join(d, f"i{n}.bed"), n)),
                 lambda d, n: [seqdl, *t, "encode", g10, "--regions", f"i{n}.bed", "--length", "10", "--dtype",
                               "uint8", "-o", "x.npy"]),
        Scenario("bed-coverage", "BED6 reads counted into per-strand coverage (seqdl coverage, bedGraph)",
                 [1_000_000, 10_000_000], "reads",
                 lambda d, n: (need_genome(d), bed(os.path.join(d, f"r{n}.bed"), n, strands=True)),
                 lambda d, n: [seqdl, *t, "coverage", f"r{n}.bed", "--genome", g10, "-o", "c.bedGraph"]),
    ]


def measure(command, cwd, timeout):
    mark = "seqdl-limits"
    start = time.monotonic()
    r = subprocess.run(["/usr/bin/time", "-f", f"{mark} %e %M", *command], cwd=cwd, capture_output=True,
                       timeout=timeout)
    err = r.stderr.decode(errors="replace").splitlines()
    stats = [line for line in err if line.startswith(mark)]
    if r.returncode != 0 or not stats:
        raise RuntimeError(f"{' '.join(command)} failed ({r.returncode}):\n" + "\n".join(err[-5:]))
    _, secs, kb = stats[-1].split()
    return float(secs), int(kb) / 1024, time.monotonic() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("names", nargs="*")
    ap.add_argument("--build-dir", default="build")
    ap.add_argument("--dir")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()
    seqdl = os.path.abspath(os.path.join(args.build_dir, "apps", "seqdl", "seqdl"))
    bench = os.path.abspath(os.path.join(args.build_dir, "bench", "seqdl_bench"))
    all_ = scenarios(seqdl, bench, args.threads)
    if args.list:
        for s in all_:
            print(f"{s.name:16} {s.what}")
        return 0
    chosen = [s for s in all_ if not args.names or s.name in args.names]
    work = args.dir or tempfile.mkdtemp(prefix="seqdl_limits_")
    os.makedirs(work, exist_ok=True)
    print(f"{'scenario':16} {'size':>14} {'time s':>8} {'peak MB':>8}   growth (x size): time, memory")
    try:
        for s in chosen:
            results = []
            for n in s.sizes:
                s.make(work, n)
                secs, mb, _ = measure(s.command(work, n), work, s.timeout)
                results.append((n, secs, mb))
                print(f"{s.name:16} {n:>14,} {secs:>8.2f} {mb:>8.0f}", flush=True)
                if not args.keep:
                    for f in os.listdir(work):
                        if str(n) in f:
                            os.remove(os.path.join(work, f))
            (n0, t0, m0), (n1, t1, m1) = results
            print(f"{s.name:16} {'':>14} {'':>8} {'':>8}   x{n1 / n0:.0f}: time x{t1 / max(t0, 0.01):.1f}, "
                  f"memory x{m1 / m0:.1f}   ({s.what})", flush=True)
    finally:
        if not args.keep and not args.dir:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
