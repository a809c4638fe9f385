"""Profile models (BPNet-style) end to end on simulated ATAC-like coverage around planted motifs
(profile_simulation.py): `seqdl train --arch bpnet --coverage` for a few epochs, `seqdl evaluate --coverage` with its
figures recomputed here with numpy/scipy from the simulated cut counts and the per-base tracks `seqdl predict`
writes (a second code path: the shared-trunk genome scan), DeepSHAP on the counts and profile heads summing to
delta, and every rejected input (exit 2, one line, no output left behind)."""
import json
import os
import shutil
import tempfile

import numpy as np

from seqdl_test import CliTest, fasta_dict, main, read_text, write_text
from profile_simulation import simulate

LENGTH, OUTPUT = 400, 200  # input and profile lengths of the small BPNet the tests train
ARCH = ["--arch", "bpnet", "--arch-option", "filters=24", "--arch-option", "layers=4", "--length", LENGTH,
        "--output-length", OUTPUT]


def jensenshannon(p, q):
    """scipy.spatial.distance.jensenshannon (natural log), written out: both normalised, sqrt of the mean KL to m."""
    p = p / p.sum()
    q = q / q.sum()
    m = (p + q) / 2
    kl = lambda a: np.sum(np.where(a > 0, a * np.log(np.where(a > 0, a, 1) / m), 0.0))
    return float(np.sqrt(max((kl(p) + kl(q)) / 2, 0.0)))


def ranks(x):
    """Average ranks, 1-based (scipy.stats.rankdata 'average')."""
    x = np.asarray(x)
    order = np.argsort(x, kind="mergesort")
    r = np.empty(len(x))
    r[order] = np.arange(1, len(x) + 1)
    for v in np.unique(x):
        tie = x == v
        r[tie] = r[tie].mean()
    return r


class ProfileModels(CliTest):
    @classmethod
    def setUpClass(cls):
        cls.data = tempfile.mkdtemp(prefix="seqdl_profile_")
        cls.cuts, cls.genome, cls.summits = simulate(cls.data, seed=0)
        cls.model = os.path.join(cls.data, "bpnet.seqdl")
        helper = CliTest("run")
        helper.tmp = cls.data
        r = helper.run_seqdl("--threads", 2, "--seed", 1, "train", *ARCH, "--genome", cls.file("genome.fa"),
                             "--peaks", cls.file("summits.bed"), "--coverage", cls.file("insertions.bedGraph"),
                             "--strand", "combined", "--exclude", cls.file("exclude.bed"), "--jitter", 32,
                             "--valid-chroms", "chrC", "--test-chroms", "chrD", "--epochs", 5, "--batch", 16,
                             "--lr", 0.004, "-o", cls.model)
        cls.train_log = r.stderr.decode(errors="replace")
        if r.returncode != 0:
            raise AssertionError(f"training failed ({r.returncode}):\n{cls.train_log}")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.data, ignore_errors=True)

    @classmethod
    def file(cls, name):
        return os.path.join(cls.data, name)

    def test_training_records_the_profile_model(self):
        self.assertIn("counts weight lambda", self.train_log)
        info = self.seqdl("info", self.model).stdout.decode() + self.seqdl("info", self.model).stderr.decode()
        self.assertIn("profile", info)
        self.assertIn("counts", info)
        # The epoch log names each column once; the model keeps the selected epoch's validation loss and metrics.
        lines = read_text(self.model + ".log.tsv").splitlines()
        cols = lines[0].split("\t")
        self.assertEqual(len(cols), len(set(cols)), cols)
        for col in ("valid_loss", "valid_mnll", "valid_counts_mse", "valid_jsd_median", "valid_profile_pearson"):
            self.assertIn(col, cols)
        rows = [dict(zip(cols, map(float, l.split("\t")))) for l in lines[1:]]
        best = min(rows, key=lambda r: r["valid_loss"])  # profile models keep the lowest validation loss
        logged = json.loads(self.seqdl("info", self.model, "--json").stdout)["metadata"]["validation"]
        self.assertEqual(logged["epoch"], best["epoch"])
        self.assertAlmostEqual(logged["loss"], best["valid_loss"], places=4)
        self.assertAlmostEqual(logged["jsd_median"], best["valid_jsd_median"], places=5)

    def test_evaluate_figures_equal_numpy_on_predicted_tracks(self):
        import pyBigWig
        metrics, per_peak, report = self.path("m.json"), self.path("peaks.tsv"), self.path("report.html")
        self.seqdl("--threads", 2, "evaluate", "--model", self.model, "--genome", self.file("genome.fa"), "--peaks",
                   self.file("summits.bed"), "--coverage", self.file("insertions.bedGraph"), "--json",
                   "--predictions", per_peak, "--report", report, "-o", metrics)
        got = json.loads(read_text(metrics))
        self.assertEqual(got["chroms"], ["chrD"])  # the model's test chromosomes
        test = [p for c, p in self.summits if c == "chrD"]
        self.assertEqual(got["peaks"], len(test))

        # Predicted per-base counts over each peak's output window, from `seqdl predict` (softmax x total).
        regions = write_text(self.path("out.bed"), "".join(f"chrD\t{p - OUTPUT // 2}\t{p + OUTPUT // 2}\n" for p in test))
        track = self.path("pred.bw")
        self.seqdl("--threads", 2, "predict", "--model", self.model, "--genome", self.file("genome.fa"), "--regions",
                   regions, "-o", track)
        bw = pyBigWig.open(track)
        obs_lc, pred_lc, jsd, prof_r = [], [], [], []
        for p in test:
            pred = np.array(bw.values("chrD", p - OUTPUT // 2, p + OUTPUT // 2), dtype=np.float64)
            obs = self.cuts["chrD"][p - OUTPUT // 2:p + OUTPUT // 2]
            obs_lc.append(np.log1p(obs.sum()))
            pred_lc.append(np.log1p(pred.sum()))
            if obs.sum() > 0:
                jsd.append(jensenshannon(obs, pred))
                prof_r.append(np.corrcoef(obs, pred)[0, 1])
        bw.close()
        obs_lc, pred_lc = np.array(obs_lc), np.array(pred_lc)
        self.assertAlmostEqual(got["counts_pearson"], np.corrcoef(pred_lc, obs_lc)[0, 1], delta=1e-4)
        self.assertAlmostEqual(got["counts_spearman"], np.corrcoef(ranks(pred_lc), ranks(obs_lc))[0, 1], delta=1e-4)
        self.assertAlmostEqual(got["counts_mse"], float(np.mean((pred_lc - obs_lc) ** 2)), delta=1e-4)
        self.assertAlmostEqual(got["profile_jsd_median"], float(np.median(jsd)), delta=1e-4)
        self.assertAlmostEqual(got["profile_pearson_median"], float(np.median(prof_r)), delta=1e-4)

        # The model learnt: strong sites (two motifs, three times the reads) get more predicted reads, and it
        # places the reads from the motif, which the average profile around the (noisy) summits cannot.
        self.assertGreater(got["counts_pearson"], 0.4, got)
        self.assertLess(got["profile_jsd_median"], got["baseline_jsd_median"] - 0.1, got)
        self.assertGreater(got["profile_pearson_median"], got["baseline_pearson_median"] + 0.2, got)
        self.assertGreater(got["auprc"], 0.8, got)

        rows = [l.split("\t") for l in read_text(per_peak).splitlines()]
        self.assertEqual(rows[0][:5], ["id", "chrom", "summit", "channel", "observed_log_counts"])
        self.assertEqual(len(rows) - 1, len(test))
        np.testing.assert_allclose([float(r[4]) for r in rows[1:]], obs_lc, atol=1e-6)
        np.testing.assert_allclose([float(r[5]) for r in rows[1:]], pred_lc, atol=1e-4)
        # Without --report or --json: the metric/value TSV, the same figures to 4 decimals.
        tsv = self.seqdl("evaluate", "--model", self.model, "--genome", self.file("genome.fa"), "--peaks",
                         self.file("summits.bed"), "--coverage", self.file("insertions.bedGraph"), "-o", "-").stdout
        table = dict(l.split("\t") for l in tsv.decode().splitlines()[1:])
        for key in ("counts_pearson", "profile_jsd_median", "baseline_jsd_median", "auprc"):
            self.assertAlmostEqual(float(table[key]), got[key], delta=6e-5)
        html = read_text(report)
        for part in ("counts-scatter", '<path class="series observed"', '<path class="series predicted"',
                     "median profile JSD"):
            self.assertTrue(part in html, f"{part} is not in the report")

    def explain(self, head, n=6):
        test = [p for c, p in self.summits if c == "chrD"][:n]
        fasta = write_text(self.path("seqs.fa"), "".join(
            f">s{p}\n{self.genome['chrD'][p - LENGTH // 2:p + LENGTH // 2]}\n" for p in test))
        stats, out = self.path(f"{head}.tsv"), self.path(f"{head}.npy")
        self.seqdl("--threads", 2, "--seed", 2, "saliency", "--model", self.model, "--method", "deepshap", "--head",
                   head, "--references", 8, "--stats", stats, "-o", out, fasta)
        rows = [l.split("\t") for l in read_text(stats).splitlines()][1:]
        self.assertEqual(len(rows), len(test))
        for r in rows:  # summed contributions = score - mean reference score
            self.assertAlmostEqual(float(r[3]), float(r[1]) - float(r[2]), delta=1e-4 * max(1.0, abs(float(r[1]))))
        return np.load(out), test

    def test_deepshap_on_the_counts_head_sums_to_delta_and_finds_the_motif(self):
        attr, test = self.explain("counts")
        self.assertEqual(attr.shape, (len(test), 4, LENGTH))
        # The planted motif's bases (within 30 bp of the centre) carry more than their share of the attribution.
        per_base = np.abs(attr).sum(1)
        centre = per_base[:, LENGTH // 2 - 30:LENGTH // 2 + 30].sum() / per_base.sum()
        self.assertGreater(centre, 60 / LENGTH, centre)

    def test_deepshap_on_the_profile_head_sums_to_delta(self):
        attr, test = self.explain("profile")
        self.assertEqual(attr.shape, (len(test), 4, LENGTH))

    def test_rejected_inputs(self):
        g, peaks, cov = self.file("genome.fa"), self.file("summits.bed"), self.file("insertions.bedGraph")
        out = self.path("x.seqdl")
        # -q: the data errors come after the log lines of what was read.
        base = ["-q", "train", *ARCH, "--genome", g, "--peaks", peaks, "--coverage", cov, "--strand", "combined",
                "--valid-chroms", "chrC", "--epochs", 1, "-o", out]
        self.assert_error(*[a for a in base if a not in ("--strand", "combined")], command="train",
                          pattern="unstranded track", outputs=[out])
        self.assert_error(*base, "--counts-weight", "-1", command="train", pattern="--counts-weight", outputs=[out])
        self.assert_error(*base, "--control", cov, command="train", pattern="--control", outputs=[out])
        self.assert_error(*base, "--class", f"a={g}", command="train", pattern="--coverage", outputs=[out])
        self.assert_error(*[a if a != OUTPUT else 301 for a in base], command="train", pattern="centred",
                          outputs=[out])
        self.assert_error(*base, "--arch-option", "wings=3", command="train", pattern="wings", outputs=[out])
        self.assert_error(*base, "--valid-chroms", "chrZ", command="train", pattern="chrZ", outputs=[out])
        empty = write_text(self.path("empty.bedGraph"), "")
        self.assert_error(*[a if a != cov else empty for a in base], command="train", outputs=[out])
        bad_summit = write_text(self.path("bad.narrowPeak"), "chrA\t1000\t1100\tp\t0\t.\t1\t1\t1\t500\n")
        self.assert_error(*[a if a != peaks else bad_summit for a in base], command="train", pattern="bad.narrowPeak",
                          outputs=[out])
        other = write_text(self.path("other.bedGraph"), "chrQ\t10\t11\t3\n")
        self.assert_error(*[a if a != cov else other for a in base], command="train", pattern="chrQ", outputs=[out])

        m = self.path("m.json")
        ev = ["-q", "evaluate", "--model", self.model, "--genome", g, "--peaks", peaks, "--coverage", cov, "-o", m]
        self.assert_error(*ev, "--chroms", "chrZ", command="evaluate", outputs=[m])
        self.assert_error("evaluate", "--genome", g, "--peaks", peaks, "--coverage", cov, "-o", m, command="evaluate",
                          pattern="--model", outputs=[m])
        bw = self.path("p.bw")
        pr = ["predict", "--model", self.model, "--genome", g, "--regions", "chrD:1-5000", "-o", bw]
        self.assert_error(*pr, "--rc", "mean", command="predict", pattern="--rc", outputs=[bw])
        self.assert_error(*pr, "--stride", 10, command="predict", pattern="--stride", outputs=[bw])
        self.assert_error(*pr[:-2], "-o", self.path("calls.bed"), command="predict", pattern="BED")
        fa = write_text(self.path("one.fa"), f">s\n{self.genome['chrD'][1000:1000 + LENGTH]}\n")
        npy = self.path("a.npy")
        self.assert_error("saliency", "--model", self.model, "--method", "deepshap", "--head", "shape", "-o", npy, fa,
                          command="saliency", pattern="--head", outputs=[npy])
        self.assert_error("saliency", "--model", self.model, "--method", "deepshap", "--head", "counts",
                          "--probability", "-o", npy, fa, command="saliency", pattern="--probability", outputs=[npy])


class BiasFactorisedModel(CliTest):
    """ChromBPNet's factorisation: a small bias model trained first, then loaded frozen beside the main model."""

    def test_bias_model_is_frozen_and_its_heads_explained_apart(self):
        from seqdl_model import read_archive
        simulate(self.tmp, seed=3)
        common = ["--threads", 2, "--seed", 1, "train", "--arch", "bpnet", "--length", LENGTH, "--output-length",
                  OUTPUT, "--genome", self.path("genome.fa"), "--peaks", self.path("summits.bed"), "--coverage",
                  self.path("insertions.bedGraph"), "--strand", "combined", "--valid-chroms", "chrC",
                  "--test-chroms", "chrD", "--epochs", 1, "--batch", 32]
        bias, main_model = self.path("bias.seqdl"), self.path("main.seqdl")
        self.seqdl(*common, "--arch-option", "filters=8", "--arch-option", "layers=2", "-o", bias)
        r = self.seqdl(*common, "--arch-option", "filters=16", "--arch-option", "layers=3", "--bias-model", bias,
                       "-o", main_model)
        self.assertIn(b"tensors loaded and frozen", r.stderr)
        _, bias_tensors = read_archive(bias)
        _, main_tensors = read_archive(main_model)
        for name, value in bias_tensors.items():  # trained beside the main model, yet unchanged
            np.testing.assert_array_equal(main_tensors["bias_" + name], value, err_msg=name)
        got = json.loads(self.seqdl("evaluate", "--model", main_model, "--genome", self.path("genome.fa"), "--peaks",
                                    self.path("summits.bed"), "--coverage", self.path("insertions.bedGraph"),
                                    "--json", "-o", "-").stdout)
        self.assertEqual(got["chroms"], ["chrD"])
        chr_d = fasta_dict(self.path("genome.fa"))["chrD"]
        fa = write_text(self.path("one.fa"), f">s\n{chr_d[2000:2000 + LENGTH]}\n")
        stats, out = self.path("s.tsv"), self.path("a.npy")
        self.seqdl("saliency", "--model", main_model, "--method", "deepshap", "--head", "counts_nobias", "--references",
                   4, "--stats", stats, "-o", out, fa)
        row = read_text(stats).splitlines()[1].split("\t")
        self.assertAlmostEqual(float(row[3]), float(row[1]) - float(row[2]), delta=1e-4 * max(1.0, abs(float(row[1]))))
        other = self.path("b.npy")
        self.assert_error("saliency", "--model", main_model, "--method", "deepshap", "--head", "counts", "-o", other,
                          fa, command="saliency", pattern="logsumexp", outputs=[other])


if __name__ == "__main__":
    main()
