"""seqdl predict end to end: values checked against independent PyTorch computations (the reference scan
script on a TorchScript export, and our weights loaded into the reference architectures), every output format,
shards, records, and rejected inputs."""
import os
import subprocess
import sys

import numpy as np

from seqdl_model import read_archive
from seqdl_test import (CliTest, PYTHON, REFERENCE_DIR, fasta_dict, fixture, main, one_hot, read_text, shared,
                        torch_modules, write_text)

sys.path.insert(0, REFERENCE_DIR)


def read_bedgraph(path):
    rows = [l.split("\t") for l in read_text(path).splitlines() if l and not l.startswith("track")]
    return [(r[0], int(r[1]), int(r[2])) for r in rows], np.array([float(r[3]) for r in rows])


class PredictMatchesReferences(CliTest):
    def test_torchscript_scan_equals_predict_genome_py(self):
        torch, archs = torch_modules()
        genome = shared("korflab_1pct_genomes", "dmelanogaster", "dmelanogaster_r6_1pct.fa")
        torch.manual_seed(0)
        model = archs.build("deepbind", tasks=1).eval()
        pt = self.path("deepbind.pt")
        torch.jit.script(model).save(pt)
        ref = self.path("ref.bedGraph")
        subprocess.run([PYTHON, os.path.join(REFERENCE_DIR, "predict_genome.py"), genome, "--arch", "deepbind",
                        "--weights", pt, "--stride", "25", "--threads", "2", "--out", ref], check=True,
                       capture_output=True)
        ours = self.path("ours.bedGraph")
        self.seqdl("--threads", 2, "predict", "--model", pt, "--window", 101, "--genome", genome, "--stride", 25,
                   "--edges", "skip", "--logits", "-o", ours)
        ref_pos, ref_val = read_bedgraph(ref)
        our_pos, our_val = read_bedgraph(ours)
        self.assertEqual(our_pos, ref_pos)
        self.assertGreater(len(ref_pos), 50000)
        np.testing.assert_allclose(our_val, ref_val, rtol=1e-5, atol=1e-6)

    def check_scan_against_pytorch(self, arch, length, stride):
        model = self.train_tiny(arch, length)
        torch, ref = self.export_to_reference(model, arch)
        genome = shared("korflab_1pct_genomes", "celegans", "celegans_WS282_1pct.fa")
        region = "II:20001-26000"
        out = self.path(f"{arch}.bedGraph")
        self.seqdl("--threads", 2, "predict", "--model", model, "--genome", genome, "--regions", region,
                   "--stride", stride, "--edges", "skip", "--logits", "-o", out)
        positions, values = read_bedgraph(out)
        chrom = fasta_dict(genome)["II"]
        # Bins of `stride` bases tile the region from its first base; each window takes its flanks from the
        # genome around the region (--edges skip only drops windows that would run off the contig).
        offset = (length - stride) // 2
        bins = list(range(20000, 26000, stride))
        x = torch.from_numpy(np.stack([one_hot(chrom[b - offset:b - offset + length]) for b in bins]))
        with torch.no_grad():
            expected = ref(x)[:, 0].numpy()
        self.assertEqual([p[1] for p in positions], bins)
        np.testing.assert_allclose(values, expected, rtol=1e-4, atol=1e-5)

    def test_deepbind_shared_trunk_equals_the_reference_architecture(self):
        self.check_scan_against_pytorch("deepbind", 101, 1)

    def test_basset_shared_trunk_equals_the_reference_architecture(self):
        self.check_scan_against_pytorch("basset", 600, 48)


class PredictOutputs(CliTest):
    def setUp(self):
        super().setUp()
        self.genome = shared("korflab_1pct_genomes", "celegans", "celegans_WS282_1pct.fa")
        table = self.path("t.tsv")
        rng = np.random.default_rng(2)
        write_text(table, "id\tseq\ty\n" + "".join(f"r{i}\t{''.join(rng.choice(list('ACGT'), 101))}\t{i % 2}\n"
                                                     for i in range(40)))
        self.model = self.path("m.seqdl")
        self.seqdl("train", "--arch", "deepbind", "--table", table, "--sequence-column", "seq", "--label-columns", "y",
                   "--epochs", 1, "--valid-fraction", 0, "-o", self.model)

    def test_bigwig_matches_bedgraph(self):
        import pyBigWig
        bg, bw = self.path("s.bedGraph"), self.path("s.bw")
        args = ["predict", "--model", self.model, "--genome", self.genome, "--regions", "I:1-20000", "--regions",
                "III", "--stride", 10]
        self.seqdl(*args, "-o", bg)
        self.seqdl(*args, "-o", bw)
        positions, values = read_bedgraph(bg)
        f = pyBigWig.open(bw)
        self.assertEqual(f.chroms("I"), 150724)
        got = []
        for chrom in ("I", "III"):
            got += f.intervals(chrom) or []
        self.assertEqual([(s, e) for s, e, _ in got], [(p[1], p[2]) for p in positions])
        np.testing.assert_allclose([v for _, _, v in got], values, rtol=1e-5)
        # Every base of the scanned regions has a value (edges pad).
        self.assertEqual(positions[0][1], 0)
        self.assertEqual(sum(e - s for _, s, e in positions), 20000 + 137838)

    def test_tsv_npy_bed_and_stdout(self):
        common = ["predict", "--model", self.model, "--genome", self.genome, "--regions", "I:1001-3000", "--stride", 5]
        tsv = read_text(self.seqdl(*common, "-o", self.path("s.tsv")) and self.path("s.tsv")).splitlines()
        self.assertEqual(tsv[0], "chrom\tstart\tend\ty")
        self.seqdl(*common, "-o", self.path("s.npy"))
        arr = np.load(self.path("s.npy"))
        self.assertEqual(arr.shape, (len(tsv) - 1, 1))
        np.testing.assert_allclose(arr[:, 0], [float(l.split("\t")[3]) for l in tsv[1:]], rtol=1e-5)
        stdout = self.seqdl(*common, "--format", "bedgraph", "-o", "-").stdout.decode().splitlines()
        self.assertEqual(len(stdout), len(tsv) - 1)
        # BED calls: maximal runs of adjacent bins at or above the threshold, scored by their peak.
        values = np.array([float(l.split("\t")[3]) for l in tsv[1:]])
        threshold = float(np.median(values))
        self.seqdl(*common, "--threshold", threshold, "-o", self.path("c.bed"))
        calls = [l.split("\t") for l in read_text(self.path("c.bed")).splitlines()]
        expected, run = [], None
        for line, v in zip(tsv[1:], values):
            _, s, e, _ = line.split("\t")
            if v >= threshold:
                run = [int(s) if run is None else run[0], int(e), max(v, run[2]) if run else v]
            elif run:
                expected.append(run)
                run = None
        if run:
            expected.append(run)
        self.assertEqual([(int(c[1]), int(c[2])) for c in calls], [(a, b) for a, b, _ in expected])
        np.testing.assert_allclose([float(c[4]) for c in calls], [p for _, _, p in expected], rtol=1e-5)

    def test_shards_concatenate_to_the_whole(self):
        args = ["predict", "--model", self.model, "--genome", self.genome, "--stride", 50]
        whole = self.seqdl(*args, "-o", "-", "--format", "bedgraph").stdout
        parts = b"".join(self.seqdl(*args, "--shard", f"{k}/3", "-o", "-", "--format", "bedgraph").stdout
                         for k in (1, 2, 3))
        self.assertEqual(parts, whole)

    def test_thread_count_does_not_change_the_order(self):
        args = ["predict", "--model", self.model, "--genome", self.genome, "--regions", "X", "--stride", 3]
        self.seqdl("--threads", 1, *args, "-o", self.path("a.bedGraph"))
        self.seqdl("--threads", 2, *args, "-o", self.path("b.bedGraph"))
        pa, va = read_bedgraph(self.path("a.bedGraph"))
        pb, vb = read_bedgraph(self.path("b.bedGraph"))
        self.assertEqual(pa, pb)
        np.testing.assert_allclose(va, vb, rtol=1e-5)

    def test_records_sequences_intervals_and_reads(self):
        seqs = self.seqdl("predict", "--model", self.model, "--sequences", fixture("tiny.fa"), "-o", "-").stdout
        lines = seqs.decode().splitlines()
        self.assertEqual(lines[0], "id\ty")
        self.assertEqual([l.split("\t")[0] for l in lines[1:]], ["seq1", "seq2", "seq3"])
        bed = self.path("i.bed")
        write_text(bed, "I\t1000\t1100\tp1\nII\t500\t900\tp2\nX\t0\t10\tp3\n")
        out = self.seqdl("predict", "--model", self.model, "--genome", self.genome, "--intervals", bed, "-o",
                         "-").stdout.decode().splitlines()
        self.assertEqual(out[0], "id\tchrom\tstart\tend\ty")
        self.assertEqual([l.split("\t")[:4] for l in out[1:]],
                         [["p1", "I", "1000", "1100"], ["p2", "II", "500", "900"], ["p3", "X", "0", "10"]])
        # The interval's prediction is the model on the window centred on it (here read back with encode).
        reads = self.seqdl("predict", "--model", self.model, "--bam", shared("samtools_ex1", "ex1.bam"), "--region",
                           "seq1:1-200", "-o", "-").stdout.decode().splitlines()
        view = subprocess.run(["samtools", "view", "-c", "-F", "0x900", shared("samtools_ex1", "ex1.bam"),
                               "seq1:1-200"], capture_output=True, text=True).stdout
        self.assertEqual(len(reads) - 1, int(view))


class PredictRejects(CliTest):
    def setUp(self):
        super().setUp()
        self.model = self.path("m.seqdl")
        self.seqdl("train", "--arch", "deepbind", "--class", f"a={fixture('tiny.fa')}", "--class",
                   f"b={fixture('tiny.fa')}", "--valid-fraction", 0, "--epochs", 1, "-o", self.model)

    def reject(self, *args, pattern, out="x.bedGraph"):
        path = self.path(out)
        self.assert_error("predict", "--model", self.model, *args, "-o", path, command="predict", pattern=pattern,
                          outputs=[path])

    def test_sequences_too_short_for_the_window(self):
        genome = write_text(self.path("g.fa"), ">c\n" + "ACGT" * 10 + "\n")
        self.reject("--genome", genome, "--edges", "skip", pattern=r"no 101-bp window fits")

    def test_unknown_contig_in_regions(self):
        genome = write_text(self.path("g.fa"), ">c\n" + "ACGT" * 100 + "\n")
        self.reject("--genome", genome, "--regions", "chrZ:1-100", pattern=r"unknown contig 'chrZ'")

    def test_unindexed_fasta_in_a_read_only_folder(self):
        ro = self.path("ro")
        os.mkdir(ro)
        genome = write_text(os.path.join(ro, "g.fa"), ">c\n" + "ACGT" * 100 + "\n")
        os.chmod(ro, 0o555)
        os.chmod(self.model, 0o644)
        out = self.path("x.bedGraph")
        r = self.run_unprivileged("predict", "--model", self.model, "--genome", genome, "-o", out)
        err = r.stderr.decode()
        self.assertEqual(r.returncode, 2, err)
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertRegex(err, r"^seqdl predict: error: .*g\.fa has no index .* folder is not writable")
        self.assertFalse(os.path.exists(out))
        self.assertFalse(os.path.exists(genome + ".fai"))

    def test_torchscript_with_another_interface(self):
        torch, _ = torch_modules()

        class Wrong(torch.nn.Module):
            def forward(self, x):
                return x.transpose(1, 2).reshape(x.shape[0], -1, 4).sum(1)  # expects [batch, length, 4]

        class Tuple(torch.nn.Module):
            def forward(self, x):
                return x.sum(), x.mean()

        genome = write_text(self.path("g.fa"), ">c\n" + "ACGT" * 100 + "\n")
        for name, module in (("wrong.pt", torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(4 * 50, 2))),
                             ("tuple.pt", Tuple())):
            torch.jit.script(module).save(self.path(name))
            self.assert_error("predict", "--model", self.path(name), "--window", 101, "--genome", genome, "-o",
                              self.path("x.tsv"), command="predict", pattern=name.replace(".", r"\."),
                              outputs=[self.path("x.tsv")])
        self.assert_error("predict", "--model", self.path("wrong.pt"), "--genome", genome, "-o", self.path("x.tsv"),
                          command="predict", pattern=r"does not record its input length: give --window")

    def test_option_errors(self):
        genome = write_text(self.path("g.fa"), ">c\n" + "ACGT" * 100 + "\n")
        self.reject("--genome", genome, "--stride", 500, pattern=r"--stride 500 is longer than the model's window")
        self.reject("--genome", genome, "--shard", "4/3", pattern=r"--shard")
        self.reject("--genome", genome, "--task", "nope", pattern=r"--task 'nope'")
        self.reject("--sequences", fixture("tiny.fa"), "--genome", genome, pattern=r"predict on one input")
        self.reject("--sequences", fixture("tiny.fa"), pattern=r"bedGraph and bigWig are tracks")
        self.assert_error("predict", "--model", fixture("tiny.fa"), "--genome", genome, "-o", self.path("x.tsv"),
                          command="predict", pattern=r"tiny\.fa")


if __name__ == "__main__":
    main()
