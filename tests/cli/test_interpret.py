"""seqdl saliency and ism end to end: numbers checked against PyTorch (autograd, and the reference ISM script
on a TorchScript export of the same weights), the explanations located on known motifs (the E-box in USF1
peaks, planted motifs in a simulated set), and rejected inputs."""
import gzip
import os
import re
import subprocess
import sys

import numpy as np

from seqdl_test import CliTest, PYTHON, REFERENCE_DIR, SOURCE_DIR, fixture, main, one_hot, read_text, shared, write_text

sys.path.insert(0, REFERENCE_DIR)


def usf1_positives(n, path):
    rows = []
    with gzip.open(shared("deepbind_encode_chipseq", "USF1_H1-hESC_USF-1_HudsonAlpha_B.seq.gz"), "rt") as f:
        next(f)
        for line in f:
            fold, event, seq, bound = line.rstrip("\n").split("\t")
            if bound == "1" and "CACGTG" in seq:
                rows.append((event, seq))
            if len(rows) == n:
                break
    write_text(path, "".join(f">{e}\n{s}\n" for e, s in rows))
    return rows


class Interpret(CliTest):
    def tiny_model(self, arch, length, name="m"):
        table = self.path(f"{name}.tsv")
        rng = np.random.default_rng(4)
        write_text(table, "id\tseq\ty\n" + "".join(f"r{i}\t{''.join(rng.choice(list('ACGT'), length))}\t{i % 2}\n"
                                                     for i in range(32)))
        model = self.path(f"{name}.seqdl")
        self.seqdl("--threads", 2, "train", "--arch", arch, "--table", table, "--sequence-column", "seq",
                   "--label-columns", "y", "--epochs", 1, "--batch", 8, "--valid-fraction", 0, "-o", model)
        script = self.path(f"{name}.pt")
        subprocess.run([PYTHON, os.path.join(SOURCE_DIR, "bench", "export_torchscript.py"), model, arch, script],
                       check=True, capture_output=True)
        return model, script

    def random_fasta(self, n, length, name="seqs.fa"):
        rng = np.random.default_rng(5)
        seqs = ["".join(rng.choice(list("ACGT"), length)) for _ in range(n)]
        write_text(self.path(name), "".join(f">s{i}\n{s}\n" for i, s in enumerate(seqs)))
        return self.path(name), seqs

    def test_naive_ism_equals_the_reference_script_and_fast_equals_naive(self):
        model, script = self.tiny_model("basset", 600)
        fasta, _ = self.random_fasta(2, 600)
        ref = self.path("ref.npy")
        subprocess.run([PYTHON, os.path.join(REFERENCE_DIR, "ism.py"), "--arch", "basset", "--weights", script,
                        "--fasta", fasta, "--n", "2", "--threads", "2", "--out", ref], check=True, capture_output=True)
        naive = self.path("naive.npy")
        r = self.seqdl("--threads", 2, "ism", "--model", script, "--window", 600, "--method", "naive", "--target", 0,
                       "-o", naive, fasta)
        self.assertIn(b"naive (asked for)", r.stderr)
        expected, got = np.load(ref), np.load(naive)
        self.assertEqual(got.shape, (2, 4, 600))
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5 * np.abs(expected).max())
        fast = self.path("fast.npy")
        r = self.seqdl("--threads", 2, "ism", "--model", model, "--method", "fast", "-o", fast, fasta)
        self.assertIn(b"fast (local recomputation)", r.stderr)
        np.testing.assert_allclose(np.load(fast), expected, rtol=1e-4, atol=1e-4 * np.abs(expected).max())

    def test_gradients_equal_pytorch_autograd(self):
        import torch
        model, script = self.tiny_model("deepbind", 101)
        fasta, seqs = self.random_fasta(5, 101)
        net = torch.jit.load(script)
        x = torch.from_numpy(np.stack([one_hot(s) for s in seqs])).requires_grad_(True)
        net(x)[:, 0].sum().backward()
        grad = x.grad.numpy()
        for method, expected in (("gradient", grad), ("grad-x-input", grad * x.detach().numpy())):
            out = self.path(f"{method}.npy")
            self.seqdl("saliency", "--model", model, "--method", method, "-o", out, fasta)
            np.testing.assert_allclose(np.load(out), expected, rtol=1e-4, atol=1e-6)

    def test_integrated_gradients_completeness_and_hypothetical_layout(self):
        model, _ = self.tiny_model("deepbind", 101)
        fasta, seqs = self.random_fasta(4, 101)
        out, hyp, ohe, stats = (self.path(n) for n in ("ig.npy", "hyp.npy", "ohe.npy", "stats.tsv"))
        for baseline in ("zeros", "uniform", "shuffled"):
            self.seqdl("saliency", "--model", model, "--method", "integrated-gradients", "--baseline", baseline,
                       "--references", 3, "--steps", 64, "--stats", stats, "-o", out, fasta)
            rows = [l.split("\t") for l in read_text(stats).splitlines()[1:]]
            attributions = np.load(out)
            for row, a in zip(rows, attributions):
                score, base, total, error = map(float, row[1:])
                self.assertAlmostEqual(total, float(a.sum()), places=3)
                self.assertLess(abs(total - (score - base)), 0.02 * abs(score - base) + 1e-3, baseline)
        self.seqdl("saliency", "--model", model, "--method", "integrated-gradients", "--hypothetical", "--one-hot", ohe,
                   "-o", hyp, fasta)
        self.seqdl("saliency", "--model", model, "--method", "integrated-gradients", "-o", out, fasta)
        h, x, a = np.load(hyp), np.load(ohe), np.load(out)
        self.assertEqual(h.shape, x.shape)
        # The hypothetical contribution of the base actually present is its real contribution.
        np.testing.assert_allclose((h * x).sum(1), a.sum(1), rtol=1e-4, atol=1e-6)
        # Too few steps: the completeness error is reported, not hidden.
        r = self.seqdl("saliency", "--model", model, "--method", "integrated-gradients", "--steps", 1,
                       "--tolerance", 1e-6, "-o", out, fasta)
        self.assertIn(b"use more --steps", r.stderr)

    def test_explanations_land_on_the_ebox_of_usf1_peaks(self):
        table = shared("deepbind_encode_chipseq", "USF1_H1-hESC_USF-1_HudsonAlpha_AC.seq.gz")
        model = self.path("usf1.seqdl")
        self.seqdl("--threads", 2, "--seed", 1, "train", "--arch", "deepbind", "--table", table, "--sequence-column",
                   "seq", "--label-columns", "Bound", "--negatives", "shuffle", "--rc-augment", "--epochs", 3, "-o", model)
        rows = usf1_positives(60, self.path("pos.fa"))
        ebox = [np.zeros(101, bool) for _ in rows]
        for mask, (_, seq) in zip(ebox, rows):
            for m in re.finditer("(?=CACGTG)", seq):
                mask[max(0, m.start() - 2): m.start() + 8] = True  # the E-box and a base or two around it
        self.seqdl("saliency", "--model", model, "--method", "integrated-gradients", "-o", self.path("ig.npy"),
                   self.path("pos.fa"))
        self.seqdl("ism", "--model", model, "-o", self.path("ism.npy"), "--plot", self.path("plots"),
                   self.path("pos.fa"))
        ig = np.abs(np.load(self.path("ig.npy")).sum(1))
        ism = np.abs(np.load(self.path("ism.npy"))).max(1)
        for name, scores in (("integrated gradients", ig), ("ISM", ism)):
            hits = np.mean([mask[s.argmax()] for mask, s in zip(ebox, scores)])
            self.assertGreater(hits, 0.7, f"{name}: the largest value sits on the E-box in only {hits:.0%} of peaks")
        svgs = os.listdir(self.path("plots"))
        self.assertEqual(len(svgs), 20)  # --plot-max
        self.assertIn("<rect", read_text(os.path.join(self.path("plots"), svgs[0])))

    def test_saliency_peaks_on_planted_sites(self):
        sim = self.path("sim")
        self.seqdl("--seed", 1, "simulate", "--motifs", os.path.join(SOURCE_DIR, "data", "motifs.meme"), "--motif",
                   "CTCF_like", "--n", 2000, "--length", 200, "--gc", 0.41, "-o", sim)
        model = self.path("sim.seqdl")
        self.seqdl("--threads", 2, "--seed", 1, "train", "--arch", "deepbind", "--length", 200, "--class",
                   f"neg={sim}/neg.fa", "--class", f"pos={sim}/pos.fa", "--epochs", 15, "--patience", 4, "-o", model)
        sites = {}
        for line in read_text(f"{sim}/sites.bed").splitlines():
            chrom, start, end = line.split("\t")[:3]
            sites.setdefault(chrom, []).append((int(start), int(end)))
        self.seqdl("saliency", "--model", model, "--method", "integrated-gradients", "--baseline", "shuffled",
                   "--references", 4, "--steps", 32, "-o", self.path("a.npy"), f"{sim}/pos.fa")
        ids = read_text(self.path("a.ids.txt")).split()
        attr = np.abs(np.load(self.path("a.npy")).sum(1))
        hits = [any(s - 3 <= attr[i].argmax() < e + 3 for s, e in sites[id_]) for i, id_ in enumerate(ids) if id_ in sites]
        self.assertGreater(np.mean(hits), 0.8, f"saliency peaks on a planted site in {np.mean(hits):.0%} of positives")


class InterpretRejects(CliTest):
    def setUp(self):
        super().setUp()
        self.model = self.path("m.seqdl")
        self.seqdl("train", "--arch", "deepbind", "--class", f"a={fixture('tiny.fa')}", "--class",
                   f"b={fixture('tiny.fa')}", "--length", 101, "--valid-fraction", 0, "--epochs", 1, "-o", self.model)
        self.fasta = write_text(self.path("s.fa"), ">s1\n" + "ACGT" * 30 + "\n")

    def test_target_out_of_range(self):
        for command in ("saliency", "ism"):
            self.assert_error(command, "--model", self.model, "--target", 3, "-o", self.path("x.npy"), self.fasta,
                              command=command, pattern=r"--target '3': the model's outputs are b",
                              outputs=[self.path("x.npy")])

    def test_window_longer_than_the_sequences(self):
        short = write_text(self.path("short.fa"), ">s1\nACGTACGT\n")
        for command in ("saliency", "ism"):
            self.assert_error(command, "--model", self.model, "-o", self.path("x.npy"), short, command=command,
                              pattern=r"no sequence to (explain|mutate): 's1' is 8 bp, shorter than", outputs=[self.path("x.npy")])
        self.assert_error("ism", "--model", self.model, "--start", 90, "--end", 150, "-o", self.path("x.npy"),
                          self.fasta, command="ism", pattern=r"outside the model's 101-bp window")

    def test_short_sequences_are_skipped_with_a_warning_and_long_ones_cropped(self):
        mixed = write_text(self.path("mixed.fa"), ">short\nACGTACGT\n>long\n" + "ACGT" * 40 + "\n>fits\n"
                           + "ACGT" * 25 + "A\n")
        for command in ("saliency", "ism"):
            out = self.path(f"{command}.npy")
            err = self.seqdl(command, "--model", self.model, "-o", out, mixed).stderr.decode()
            self.assertIn("1 longer sequences were centre-cropped to the window", err)
            self.assertIn("warning: 1 sequences shorter than the window were skipped ('short' is 8 bp)", err)
            self.assertEqual(np.load(out).shape, (2, 4, 101))
            self.assertEqual(read_text(self.path(f"{command}.ids.txt")).split(), ["long", "fits"])

    def test_fast_needs_a_zoo_network(self):
        torch = __import__("torch")
        script = self.path("t.pt")

        class Linear(torch.nn.Module):
            def forward(self, x):
                return x.sum(2)[:, :1]

        torch.jit.script(Linear()).save(script)
        self.assert_error("ism", "--model", script, "--window", 101, "--method", "fast", "-o", self.path("x.npy"),
                          self.fasta, command="ism", pattern=r"--method fast is not possible: a TorchScript model")
        self.assert_error("saliency", "--model", self.model, "--method", "occlusion", "-o", self.path("x.npy"),
                          self.fasta, command="saliency", pattern=r"--method")


if __name__ == "__main__":
    main()
