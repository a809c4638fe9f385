"""The Snakemake workflow (scripts/workflow/Snakefile) end to end with Debian's snakemake (-c 2), CI-sized: the
bundled example trains a small DeepBind, which scans a genome tiled from the example's own sequences (shards that
split a call), explains its top calls with DeepSHAP, discovers the planted motif and scores a VCF scattered by
region. Every output is checked against the same steps run by hand; a corrupted model stops the workflow in the
rule that reads it with none of that rule's outputs left; a rerun after the fix, after a newer VCF and after a
change of scatter redoes only the jobs that need it."""
import gzip
import os
import re
import shutil
import subprocess

from seqdl_test import SEQDL, SOURCE_DIR, CliTest, PYTHON, main, read_bytes, read_text, write_text

SNAKEMAKE = "/usr/bin/snakemake"
SNAKEFILE = os.path.join(SOURCE_DIR, "scripts", "workflow", "Snakefile")
MERGE_CALLS = os.path.join(SOURCE_DIR, "scripts", "workflow", "merge_calls.awk")
EXAMPLE = os.path.join(SOURCE_DIR, "data", "example")
MODEL_READERS = {"evaluate", "predict_part", "attributions", "filter_motifs", "variants_region"}


def example_sequences(name):
    with gzip.open(os.path.join(EXAMPLE, name), "rt") as f:
        return [line.strip() for line in f if not line.startswith(">")]


def records(path):
    """The records of a bgzipped VCF."""
    with gzip.open(path, "rt") as f:
        return [line for line in f if not line.startswith("#")]


def jobs(log):
    """{jobid: (rule, outputs)} of the jobs a snakemake run started, the ids that finished, and the failed ones."""
    started, finished, failed = {}, set(), set()
    rule = None
    outputs = []
    for line in log.splitlines():
        m = re.match(r"^(?:local)?rule (\w+):$", line) or re.match(r"^Error in rule (\w+):$", line)
        if m:
            rule, outputs = m.group(1), []
            erring = line.startswith("Error")
            continue
        m = re.match(r"^\s+output: (.*)$", line)
        if m and rule:
            outputs = sorted(m.group(1).split(", "))
        m = re.match(r"^\s+jobid: (\d+)$", line)
        if m and rule:
            (failed.add(m.group(1)) if erring else started.__setitem__(m.group(1), (rule, tuple(outputs))))
        m = re.match(r"^Finished job (\d+)\.$", line)
        if m:
            finished.add(m.group(1))
    return started, finished, failed


class Workflow(CliTest):
    def setUp(self):
        super().setUp()
        if not os.path.exists(SNAKEMAKE) or shutil.which("bcftools") is None or shutil.which("tabix") is None:
            self.skipTest("needs Debian's snakemake, bcftools and tabix (scripts/setup.sh)")

    def make_inputs(self):
        """A genome of example sequences (chr1: runs of 10 positives and 10 negatives, long enough for the scan to
        split it into chunks; chr2: every third a positive) and a VCF of SNVs and deletions on it."""
        pos, neg = example_sequences("pos.fa.gz"), example_sequences("neg.fa.gz")
        chroms = {"chr1": "".join(pos[i % 1000] if (i // 10) % 2 == 0 else neg[i % 1000] for i in range(3000)),
                  "chr2": "".join((pos if i % 3 == 0 else neg)[i] for i in range(300))}
        with open(self.path("g.fa"), "w") as f:
            for name, seq in chroms.items():
                f.write(f">{name}\n" + "\n".join(seq[i:i + 60] for i in range(0, len(seq), 60)) + "\n")
        subprocess.run(["samtools", "faidx", self.path("g.fa")], check=True)
        lines = ["##fileformat=VCFv4.2"] + [f"##contig=<ID={n},length={len(s)}>" for n, s in chroms.items()]
        lines.append("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO")
        for name, seq in chroms.items():
            # chr1 300,000-600,000 has no variants: its region goes through the empty path.
            for p in range(150, min(len(seq), 300000), 1999):
                ref = seq[p - 1:p + 2] if p % 3 == 0 else seq[p - 1]
                alt = ref[0] if len(ref) > 1 else "ACGT"[("ACGT".index(ref) + 1) % 4]
                lines.append(f"{name}\t{p}\t{name}_{p}\t{ref}\t{alt}\t.\tPASS\t.")
        write_text(self.path("v.vcf"), "\n".join(lines) + "\n")
        subprocess.run(["bgzip", "-f", self.path("v.vcf")], check=True)
        subprocess.run(["tabix", "-p", "vcf", self.path("v.vcf.gz")], check=True)
        write_text(self.path("config.yaml"), f"""seqdl: {SEQDL}
out: {self.path("res")}
table: {EXAMPLE}/labels.tsv.gz
sequence_column: sequence
label_columns: label
arch: deepbind
length: 200
train_options: "--rc-augment --epochs 6"
genome: {self.path("g.fa")}
scatter: shard
shards: 3
stride: 10
top_calls: 100
saliency_options: "--references 5"
discover_options: "--min-seqlets 10 --min-pattern-seqlets 5"
motif_db: {EXAMPLE}/motifs.meme
vcf: {self.path("v.vcf.gz")}
variant_region_size: 150000
""")

    def snakemake(self, *args):
        r = subprocess.run([SNAKEMAKE, "-s", SNAKEFILE, "-c", "2", *args, "--configfile", self.path("config.yaml")],
                           capture_output=True, text=True, cwd=self.tmp)
        return r

    def res(self, *parts):
        return os.path.join(self.tmp, "res", *parts)

    def test_whole_pipeline(self):
        self.make_inputs()
        # The model alone first, kept aside; then corrupted: every rule that reads it must fail cleanly.
        r = self.snakemake(self.res("model.seqdl"))
        self.assertEqual(r.returncode, 0, r.stderr[-3000:])
        good = self.path("good.seqdl")
        shutil.copy2(self.res("model.seqdl"), good)
        with open(self.res("model.seqdl"), "r+b") as f:
            f.seek(100)
            f.write(b"garbage")
        shutil.copystat(good, self.res("model.seqdl"))  # same time: only the content is wrong
        broken = self.snakemake()
        self.assertNotEqual(broken.returncode, 0)
        started, finished, failed = jobs(broken.stderr)
        self.assertTrue(failed, broken.stderr[-3000:])
        for jobid in failed:
            rule, outputs = started[jobid]
            self.assertIn(rule, MODEL_READERS)
            self.assertIn(f"Error in rule {rule}:", broken.stderr)
            for out in outputs:
                self.assertFalse(os.path.exists(os.path.join(self.tmp, out)), f"{rule} left {out}")
        self.assertNotIn("train", [rule for rule, _ in started.values()])
        logs = [read_text(os.path.join(root, f)) for root, _, files in os.walk(self.res("logs")) for f in files]
        self.assertTrue(any("model.seqdl has a corrupt" in text or "model.seqdl" in text and "error" in text
                            for text in logs), "the failing rule's log names the model")
        self.assertFalse(os.path.exists(self.res("evaluate", "metrics.tsv")))

        # The fix: the good model back, same time stamp. The rerun redoes what failed or never ran, not training,
        # and none of the jobs that finished.
        shutil.copy2(good, self.res("model.seqdl"))
        fixed = self.snakemake()
        self.assertEqual(fixed.returncode, 0, fixed.stderr[-3000:])
        rerun, _, _ = jobs(fixed.stderr)
        rules = [rule for rule, _ in rerun.values()]
        self.assertNotIn("train", rules)
        done_before = {started[j] for j in finished if j in started and started[j][0] != "all"}
        self.assertFalse(done_before & set(rerun.values()), "jobs that had finished ran again")
        for rule in ("evaluate", "predict_part", "gather_track", "gather_calls", "top_calls", "attributions",
                     "motifs_discover", "filter_motifs", "motifs_compare", "variants_region", "gather_variants"):
            self.assertIn(rule, rules)
        for rule in ("train", "evaluate", "attributions", "motifs_discover", "gather_variants"):
            self.assertTrue(os.path.exists(self.res("benchmarks", rule + ".tsv")) or
                            os.path.isdir(self.res("benchmarks", rule)), rule)
        noop = self.snakemake()
        self.assertIn("Nothing to be done", noop.stdout + noop.stderr)

        self.check_against_hand(self.res("model.seqdl"))

        # A newer VCF (one record fewer) redoes the variant rules alone; one only touched is the same (Snakemake
        # compares checksums) and redoes nothing.
        os.utime(self.path("v.vcf.gz"))
        self.assertIn("Nothing to be done", self.snakemake("-n").stdout)
        before = len(records(self.res("variants", "effects.vcf.gz")))
        with gzip.open(self.path("v.vcf.gz"), "rt") as f:
            lines = f.readlines()
        write_text(self.path("v.vcf"), "".join(lines[:-1]))
        subprocess.run(["bgzip", "-f", self.path("v.vcf")], check=True)
        subprocess.run(["tabix", "-f", "-p", "vcf", self.path("v.vcf.gz")], check=True)
        again = self.snakemake()
        self.assertEqual(again.returncode, 0, again.stderr[-3000:])
        self.assertEqual({rule for rule, _ in jobs(again.stderr)[0].values()} - {"all"},
                         {"part_bed", "variants_region", "gather_variants"})
        self.assertEqual(len(records(self.res("variants", "effects.vcf.gz"))), before - 1)

        # Scatter by contig: the scan and what follows from it run again, with the same results.
        calls, track = read_bytes(self.res("genome", "calls.bed")), self.bigwig_values(self.res("genome", "label.bw"))
        by_contig = self.snakemake("--config", "scatter=contig")
        self.assertEqual(by_contig.returncode, 0, by_contig.stderr[-3000:])
        ran = {rule for rule, _ in jobs(by_contig.stderr)[0].values()} - {"all"}
        self.assertTrue({"predict_part", "gather_track", "gather_calls"} <= ran, ran)
        self.assertFalse(ran & {"train", "evaluate", "variants_region", "gather_variants"}, ran)
        self.assertTrue({"top_calls", "attributions", "motifs_discover", "filter_motifs", "motifs_compare"} <= ran, ran)
        self.assertEqual(read_bytes(self.res("genome", "calls.bed")), calls)
        self.assert_close(self.bigwig_values(self.res("genome", "label.bw")), track, 0)

    def check_against_hand(self, model):
        g = self.path("g.fa")
        hand = self.path("hand")
        os.makedirs(hand)
        # evaluate
        self.hand("evaluate", "--model", model, "--table", self.res("splits", "valid.tsv"), "-o",
                   f"{hand}/metrics.tsv")
        self.assertEqual(read_text(self.res("evaluate", "metrics.tsv")), read_text(f"{hand}/metrics.tsv"))
        self.assertTrue(os.path.getsize(self.res("evaluate", "report.html")) > 1000)
        # predict: one unsharded scan; the shards by hand split a call that the workflow joined again
        scan = ["--model", model, "--genome", g, "--stride", 10, "--threshold", 0.5]
        self.hand("predict", *scan, "-o", f"{hand}/whole.bed")
        self.hand("predict", *scan, "-o", f"{hand}/whole.bw")
        self.assertEqual(read_text(self.res("genome", "calls.bed")), read_text(f"{hand}/whole.bed"))
        shards = ""
        for k in (1, 2, 3):
            shards += self.hand("predict", *scan, "--shard", f"{k}/3", "--format", "bed", "-o", "-").stdout.decode()
        self.assertNotEqual(shards, read_text(f"{hand}/whole.bed"), "no call crosses a shard boundary: untested")
        # bigWig from the bedGraph's 6 significant digits
        self.assert_close(self.bigwig_values(self.res("genome", "label.bw")), self.bigwig_values(f"{hand}/whole.bw"),
                          5e-6)
        # top calls: the strongest first, each window on its contig
        peaks = [line.split("\t") for line in read_text(self.res("genome", "top_calls.narrowPeak")).splitlines()]
        values = [float(p[6]) for p in peaks]
        self.assertEqual(values, sorted(values, reverse=True))
        whole_peaks = [float(line.split("\t")[4]) for line in read_text(f"{hand}/whole.bed").splitlines()]
        self.assertEqual(values[0], max(whole_peaks))
        # attributions, motifs, comparison
        attr = self.res("genome", "attributions")
        self.hand("--seed", 1, "saliency", "--model", model, "--method", "deepshap", "--target", "label", "--genome", g,
                   "--regions", self.res("genome", "top_calls.narrowPeak"), "--references", 5, "--hypothetical",
                   f"{hand}/hyp.npy", "--onehot", f"{hand}/x.npy", "--contributions", f"{hand}/contrib.npy", "-o",
                   f"{hand}/contrib.bw")
        for mine, theirs in (("hyp.npy", "hypothetical.npy"), ("x.npy", "onehot.npy"),
                             ("contrib.npy", "contributions.npy")):
            self.assertEqual(read_bytes(f"{hand}/{mine}"), read_bytes(os.path.join(attr, theirs)), theirs)
        self.hand("--seed", 1, "motifs", "discover", "--onehot", f"{hand}/x.npy", "--attributions", f"{hand}/hyp.npy",
                   "--contributions", f"{hand}/contrib.npy", "--coords", self.res("genome", "top_windows.bed"),
                   "--min-seqlets", 10, "--min-pattern-seqlets", 5, "-o", f"{hand}/motifs")
        for name in ("patterns.meme", "patterns.tsv", "seqlets.tsv", "sites.bed"):
            self.assertEqual(read_text(f"{hand}/motifs/{name}"), read_text(self.res("genome", "motifs", name)), name)
        self.hand("--seed", 1, "motifs", "compare", f"{hand}/motifs/patterns.meme", "--db", f"{EXAMPLE}/motifs.meme",
                   "--top", 3, "-o", f"{hand}/matches.tsv")
        matches = read_text(self.res("genome", "motifs_vs_db.tsv"))
        self.assertEqual(matches, read_text(f"{hand}/matches.tsv"))
        self.hand("--seed", 1, "motifs", "extract", "--model", model, "--sequences", g, "--regions",
                  self.res("genome", "top_windows.bed"), "--summary", f"{hand}/filters.tsv", "-o",
                  f"{hand}/filters.meme")
        self.assertEqual(read_text(f"{hand}/filters.meme"), read_text(self.res("genome", "filters.meme")))
        self.hand("--seed", 1, "motifs", "compare", f"{hand}/filters.meme", "--db", f"{EXAMPLE}/motifs.meme",
                  "--top", 3, "-o", f"{hand}/filter_matches.tsv")
        self.assertEqual(read_text(self.res("genome", "filters_vs_db.tsv")), read_text(f"{hand}/filter_matches.tsv"))
        # the planted motif is found
        best = [line.split("\t") for line in matches.splitlines()[1:]]
        self.assertTrue(any(row[2] == "CTCF_like" and float(row[10]) < 0.05 for row in best), matches)
        # variants: one run over the whole VCF has the same records
        self.hand("variants", "--model", model, "--genome", g, "--vcf", self.path("v.vcf.gz"), "-o",
                   f"{hand}/effects.vcf.gz")

        # LibTorch's float sums depend on the batch, and each region is its own batch of windows: the scores agree
        # to float rounding, everything else exactly.
        gathered, whole = records(self.res("variants", "effects.vcf.gz")), records(f"{hand}/effects.vcf.gz")
        self.assertGreater(len(gathered), 100)
        self.assertEqual(len(gathered), len(whole))
        for mine, theirs in zip(gathered, whole):
            a, b = mine.split("\t"), theirs.split("\t")
            self.assertEqual(a[:7], b[:7])
            info_a = dict(kv.split("=") for kv in a[7].split(";"))
            info_b = dict(kv.split("=") for kv in b[7].split(";"))
            self.assertEqual(sorted(info_a), sorted(info_b))
            for key, value in info_a.items():
                if key.startswith("SEQDL_") and key != "SEQDL_STATUS":
                    self.assertAlmostEqual(float(value), float(info_b[key]), delta=1e-5, msg=f"{a[2]} {key}")
                else:
                    self.assertEqual(value, info_b[key], key)
        region = subprocess.run(["tabix", self.res("variants", "effects.vcf.gz"), "chr2:1-60000"], capture_output=True,
                                text=True, check=True).stdout
        self.assertEqual(region.splitlines(), [r.rstrip("\n") for r in gathered if r.startswith("chr2\t")])

    def hand(self, *args):
        """A step by hand as the workflow runs it: one thread (LibTorch's sums depend on the thread count)."""
        return self.seqdl("--threads", 1, *args)

    def bigwig_values(self, path):
        code = ("import pyBigWig, sys, json\nb = pyBigWig.open(sys.argv[1])\n"
                "print(json.dumps({c: b.values(c, 0, n) for c, n in b.chroms().items()}))")
        import json
        return json.loads(subprocess.run([PYTHON, "-c", code, path], capture_output=True, text=True,
                                         check=True).stdout)

    def assert_close(self, a, b, rtol):
        import numpy as np
        self.assertEqual(sorted(a), sorted(b))
        for c in a:
            x, y = np.array(a[c], dtype=float), np.array(b[c], dtype=float)
            self.assertFalse(np.isnan(x).any() or np.isnan(y).any(), c)
            np.testing.assert_allclose(x, y, rtol=rtol, atol=1e-7 if rtol else 0, err_msg=c)


class MergeCalls(CliTest):
    """merge_calls.awk on hand-made shard outputs: touching calls of one contig and task are joined, the higher
    peak (the first on a tie) and its offset kept; everything else passes unchanged."""

    def merge(self, text):
        return subprocess.run(["awk", "-f", MERGE_CALLS], input=text, capture_output=True, text=True,
                              check=True).stdout

    def test_joins_touching_calls(self):
        shard1 = "c\t0\t10\tt\t0.9\t.\t0\nc\t20\t30\tt\t0.7\t.\t5\n"
        shard2 = "c\t30\t50\tt\t0.95\t.\t10\nc\t60\t70\tt\t0.6\t.\t0\n"
        shard3 = "c\t70\t80\tt\t0.6\t.\t3\nd\t80\t90\tt\t0.8\t.\t0\n"
        self.assertEqual(self.merge(shard1 + shard2 + shard3),
                         "c\t0\t10\tt\t0.9\t.\t0\nc\t20\t50\tt\t0.95\t.\t20\nc\t60\t80\tt\t0.6\t.\t0\n"
                         "d\t80\t90\tt\t0.8\t.\t0\n")

    def test_other_contig_or_task_not_joined(self):
        text = "c\t0\t10\ta\t0.9\t.\t0\nc\t10\t20\tb\t0.9\t.\t0\nd\t20\t30\tb\t0.9\t.\t0\n"
        self.assertEqual(self.merge(text), text)
        self.assertEqual(self.merge(""), "")


if __name__ == "__main__":
    main()
