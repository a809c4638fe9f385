"""seqdl motifs discover end to end on synthetic attributions: three JASPAR motifs planted into random sequences
(two with positive contributions, one negative), contributions motif-shaped at the sites and noise elsewhere
(planted_attributions.py). Checks that the planted motifs come back as the patterns (each one's best JASPAR match
is the planted motif, no other pattern holds more than 5% of the seqlets), that seqlets land on the planted sites
with the right genome coordinates, byte-identical outputs for one seed across thread counts, the report in
Chromium, and every rejected input; and on real data, a USF1 DeepBind's attributions give an E-box pattern whose
JASPAR matches include USF1 and USF2."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import numpy as np

from seqdl_test import CliTest, main, read_bytes, read_text, shared

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from planted_attributions import planted, read_meme  # noqa: E402

JASPAR = ("jaspar_meme", "JASPAR2020_CORE_vertebrates_non-redundant.meme")
POSITIVE = ["MA0139.1", "MA0138.2"]  # CTCF, REST
NEGATIVE = ["MA0083.3"]              # SRF, planted with negative contributions
OUTPUTS = ["patterns.meme", "cwm.meme", "hypothetical_cwm.meme", "patterns.tsv", "seqlets.tsv", "matches.tsv",
           "sites.bed", "report.html"]


def tsv(path):
    lines = read_text(path).splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, l.split("\t"))) for l in lines[1:]]


class Planted(CliTest):
    """One planted set and one discovery run shared by the tests that only read its outputs."""

    @classmethod
    def setUpClass(cls):
        cls.data = tempfile.mkdtemp(prefix="seqdl_discover_")
        cls.jaspar = shared(*JASPAR)
        db = read_meme(cls.jaspar)
        motifs = [(m, db[m]) for m in POSITIVE + NEGATIVE]
        cls.onehot, cls.hyp, cls.sites = planted(motifs, 400, 200, seed=3, noise=0.1, negative=set(NEGATIVE))
        np.save(cls.file("x.npy"), cls.onehot)
        np.save(cls.file("hyp.npy"), cls.hyp)
        with open(cls.file("ids.txt"), "w") as f:
            f.writelines(f"chr2:{i * 1000 + 1}-{i * 1000 + 200}\n" for i in range(len(cls.onehot)))
        cls.out = cls.file("modisco")
        r = subprocess.run([cls.seqdl_path(), "motifs", "discover", "--onehot", cls.file("x.npy"), "--attributions",
                            cls.file("hyp.npy"), "--coords", cls.file("ids.txt"), "--db", cls.jaspar, "-o", cls.out,
                            "--threads", "2"], capture_output=True, timeout=600)
        cls.log = r.stderr.decode(errors="replace")
        assert r.returncode == 0, cls.log

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.data, ignore_errors=True)

    @classmethod
    def file(cls, name):
        return os.path.join(cls.data, name)

    def test_finds_the_planted_motifs_and_nothing_else_big(self):
        patterns = tsv(os.path.join(self.out, "patterns.tsv"))
        seqlets = tsv(os.path.join(self.out, "seqlets.tsv"))
        big = [p for p in patterns if int(p["seqlets"]) > 0.05 * len(seqlets)]
        found = {p["best_match"]: p for p in big}
        self.assertEqual(sorted(found), sorted(POSITIVE + NEGATIVE), f"{patterns}\n{self.log}")
        self.assertEqual(len(big), 3, patterns)
        for m in POSITIVE:
            self.assertEqual(found[m]["metacluster"], "positive")
        self.assertEqual(found[NEGATIVE[0]]["metacluster"], "negative")
        for p in big:
            self.assertGreater(float(p["best_similarity"]), 0.7, p)
        # matches.tsv holds the top 3 per pattern; its first row per pattern is patterns.tsv's best match.
        matches = tsv(os.path.join(self.out, "matches.tsv"))
        for p in patterns:
            rows = [m for m in matches if m["pattern"] == p["pattern"]]
            self.assertEqual([m["rank"] for m in rows], ["1", "2", "3"])
            self.assertEqual(rows[0]["target_id"], p["best_match"])
            for m in rows:  # motifs compare's columns, by its default method (Tomtom's)
                self.assertAlmostEqual(float(m["score"]), float(m["similarity"]) * int(m["overlap"]), delta=1e-3)
                self.assertGreaterEqual(float(m["q_value"]), float(m["p_value"]) * 0.999)
        for p in big:  # the planted JASPAR motif is found with a Tomtom E-value far below 1
            self.assertLess(float(p["best_evalue"]), 1e-4, p)

    def test_seqlets_lie_on_the_planted_sites_with_genome_coordinates(self):
        seqlets = tsv(os.path.join(self.out, "seqlets.tsv"))
        patterns = {p["pattern"]: p["best_match"] for p in tsv(os.path.join(self.out, "patterns.tsv"))}
        by_row = {}
        for s in seqlets:
            by_row.setdefault(int(s["row"]), []).append(s)
            self.assertEqual(s["chrom"], "chr2")
            self.assertEqual(int(s["genome_start"]), int(s["row"]) * 1000 + int(s["start"]))
            self.assertEqual(int(s["end"]) - int(s["start"]), 21 + 2 * 5)
        hit = 0
        for row, start, end, motif, strand, sign in self.sites:
            for s in by_row.get(row, []):
                if s["pattern"] != "." and patterns[s["pattern"]] == motif and \
                        int(s["site_start"]) < end and start < int(s["site_end"]):
                    hit += 1
                    break
        self.assertGreater(hit / len(self.sites), 0.85, f"{hit} of {len(self.sites)} planted sites found")
        # Strands: a motif planted on both strands gives members placed both ways.
        for p in tsv(os.path.join(self.out, "patterns.tsv")):
            if int(p["seqlets"]) > 50:
                self.assertGreater(int(p["forward"]), 0.2 * int(p["seqlets"]), p)
                self.assertGreater(int(p["reverse"]), 0.2 * int(p["seqlets"]), p)
        bed = [l.split("\t") for l in read_text(os.path.join(self.out, "sites.bed")).splitlines()]
        self.assertEqual(len(bed), sum(s["pattern"] != "." for s in seqlets))
        for chrom, a, b, name, score, strand in bed:
            self.assertEqual(chrom, "chr2")
            self.assertIn(strand, "+-")
            self.assertLess(int(a), int(b))

    def test_meme_files_read_back(self):
        patterns = tsv(os.path.join(self.out, "patterns.tsv"))
        meme = read_meme(os.path.join(self.out, "patterns.meme"))
        text = read_text(os.path.join(self.out, "patterns.meme"))
        for p in patterns:
            rows = np.array(meme[p["pattern"]])
            self.assertEqual(rows.shape, (int(p["width"]), 4))
            np.testing.assert_allclose(rows.sum(axis=1), 1, atol=1e-5)
            self.assertIn(f"nsites= {p['seqlets']}", text)
        cwm = read_meme(os.path.join(self.out, "cwm.meme"))
        neg = [p["pattern"] for p in patterns if p["metacluster"] == "negative"]
        self.assertTrue(neg)
        self.assertLess(np.sum(cwm[neg[0]]), 0, "a negative pattern's CWM sums below 0")
        # motifs compare reads the PWMs.
        self.seqdl("motifs", "compare", os.path.join(self.out, "patterns.meme"), "--db", self.jaspar, "-o",
                   self.path("c.tsv"))

    def test_same_seed_gives_identical_files_for_any_thread_count(self):
        other = self.path("again")
        self.seqdl("motifs", "discover", "--onehot", self.file("x.npy"), "--attributions", self.file("hyp.npy"),
                   "--coords", self.file("ids.txt"), "--db", self.jaspar, "-o", other, "--threads", "1")
        for name in OUTPUTS:
            self.assertEqual(read_bytes(os.path.join(self.out, name)), read_bytes(os.path.join(other, name)), name)

    def test_channels_last_arrays_give_the_same_seqlets(self):
        np.save(self.path("x_nlc.npy"), np.ascontiguousarray(self.onehot.transpose(0, 2, 1)).astype(np.uint8))
        np.save(self.path("h_nlc.npy"), np.ascontiguousarray(self.hyp.transpose(0, 2, 1)).astype(np.float64))
        out = self.path("nlc")
        self.seqdl("motifs", "discover", "--onehot", self.path("x_nlc.npy"), "--attributions", self.path("h_nlc.npy"),
                   "--coords", self.file("ids.txt"), "-o", out, "--no-report", "--threads", "2")
        self.assertEqual(read_text(os.path.join(out, "seqlets.tsv")), read_text(os.path.join(self.out, "seqlets.tsv")))
        self.assertFalse(os.path.exists(os.path.join(out, "report.html")))

    def test_explicit_contributions_equal_the_default(self):
        np.save(self.path("c.npy"), self.hyp * self.onehot)
        out = self.path("contrib")
        self.seqdl("motifs", "discover", "--onehot", self.file("x.npy"), "--attributions", self.file("hyp.npy"),
                   "--contributions", self.path("c.npy"), "--coords", self.file("ids.txt"), "-o", out, "--no-report")
        self.assertEqual(read_text(os.path.join(out, "seqlets.tsv")), read_text(os.path.join(self.out, "seqlets.tsv")))

    def test_report_is_self_contained_and_renders(self):
        html = read_text(os.path.join(self.out, "report.html"))
        self.assertNotIn("<script", html)
        self.assertNotIn("http://", html.replace("http://www.w3.org/2000/svg", ""))
        self.assertNotIn("https://", html)
        patterns = tsv(os.path.join(self.out, "patterns.tsv"))
        self.assertEqual(html.count('class="attribution-logo"'), 2 * len(patterns))  # CWM and hypothetical CWM
        self.assertEqual(html.count('class="pwm-logo"'), 4 * len(patterns))  # the PWM and 3 database matches
        for p in patterns:
            self.assertIn(p["best_match"], html)
        browser = shutil.which("chromium") or shutil.which("chromium-browser")
        if browser is None:
            raise unittest.SkipTest("chromium is not installed (Debian package chromium)")
        profile = tempfile.mkdtemp(prefix="seqdl_chromium_")
        png = self.path("report.png")
        try:
            r = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                f"--user-data-dir={profile}", "--hide-scrollbars", f"--screenshot={png}",
                                "--window-size=1200,2400", "file://" + os.path.join(self.out, "report.html")],
                               capture_output=True, timeout=180)
        finally:
            shutil.rmtree(profile, ignore_errors=True)
        self.assertEqual(r.returncode, 0, r.stderr.decode(errors="replace")[-2000:])
        self.assertGreater(os.path.getsize(png), 20000)


class UsfDeepbind(CliTest):
    """Issue 16 on real data: a DeepBind trained on the shared USF1 ChIP-seq set, integrated-gradients hypothetical
    scores on 500 held-out peaks, discover: one E-box pattern (GTCACGTGAC) whose JASPAR 2020 matches, by Tomtom's
    method, are CACGTG bHLH factors with USF2 and USF1 among the first five (observed: BHLHE41, MITF, TFEB, USF2,
    USF1; JASPAR 2020's USF matrices read GTCATGTGAC). About a minute on 2 cores."""

    def test_usf1_attributions_give_an_ebox_matching_usf(self):
        data = shared("deepbind_encode_chipseq")
        model = self.path("usf1.seqdl")
        self.seqdl("--threads", 2, "train", "--arch", "deepbind", "--table",
                   os.path.join(data, "USF1_H1-hESC_USF-1_HudsonAlpha_AC.seq.gz"), "--sequence-column", "seq",
                   "--label-columns", "Bound", "--negatives", "shuffle", "--rc-augment", "--epochs", 5, "--seed", 1,
                   "-o", model)
        import gzip
        with gzip.open(os.path.join(data, "USF1_H1-hESC_USF-1_HudsonAlpha_B.seq.gz"), "rt") as f:
            lines = f.read().splitlines()
        positives = [lines[0]] + [l for l in lines[1:] if l.split("\t")[3] == "1"]
        table = self.path("pos.tsv")
        with open(table, "w") as f:
            f.write("\n".join(positives) + "\n")
        hyp, onehot = self.path("hyp.npy"), self.path("x.npy")
        self.seqdl("--threads", 2, "saliency", "--model", model, "--method", "integrated-gradients", "--baseline",
                   "shuffled", "--references", 5, "--steps", 20, "--hypothetical", "--one-hot", onehot,
                   "--sequence-column", "seq", "-o", hyp, table)
        out = self.path("modisco")
        self.seqdl("--threads", 2, "motifs", "discover", "--onehot", onehot, "--attributions", hyp, "--db",
                   shared(*JASPAR), "--top-matches", 10, "-o", out)
        patterns = [p for p in tsv(os.path.join(out, "patterns.tsv")) if p["metacluster"] == "positive"]
        ebox = [p for p in patterns if "CACGTG" in p["consensus"]]
        self.assertTrue(ebox, patterns)
        matches = [m for m in tsv(os.path.join(out, "matches.tsv")) if m["pattern"] == ebox[0]["pattern"]]
        names = [m["target_name"].split("(var.")[0] for m in matches]
        ebox_factors = {"USF1", "USF2", "MAX", "MYC", "MNT", "MLX", "MLXIPL", "TFE3", "TFEB", "TFEC", "MITF",
                        "BHLHE40", "BHLHE41", "ARNT", "Arnt", "Arntl", "ARNT2", "SREBF1", "SREBF2"}
        self.assertIn(names[0], ebox_factors, names)
        self.assertLess(float(matches[0]["e_value"]), 0.05, matches[0])
        self.assertIn("USF2", names[:5], names)
        self.assertIn("USF1", names[:5], names)


class SimulatedDeepShap(CliTest):
    """The whole chain on known truth: seqdl simulate plants CTCF, REST and SRF (one or two instances per positive,
    so alone and mixed) -> train a DeepBind -> DeepSHAP hypothetical contributions of the positives -> discover:
    three patterns whose best JASPAR matches are the planted motifs, and no other pattern with more than 5% of the
    seqlets. About a minute on 2 cores."""

    def test_discover_recovers_the_planted_motifs_from_deepshap(self):
        motifs = POSITIVE + NEGATIVE
        sim = self.path("sim")
        planting = []
        for m in motifs:
            planting += ["--motif", m]
        self.seqdl("--seed", 2, "simulate", "--motifs", shared(*JASPAR), *planting, "-n", 3000, "--length", 200,
                   "--instances", 2, "-o", sim)
        model = self.path("m.seqdl")
        self.seqdl("--threads", 2, "--seed", 2, "train", "--arch", "deepbind", "--length", 200, "--class",
                   f"neg={sim}/neg.fa", "--class", f"pos={sim}/pos.fa", "--rc-augment", "--epochs", 15, "--patience", 4,
                   "-o", model)
        hyp, onehot = self.path("hyp.npy"), self.path("x.npy")
        self.seqdl("--threads", 2, "saliency", "--model", model, "--method", "deepshap", "--references", 10,
                   "--hypothetical", hyp, "--onehot", onehot, "-o", self.path("c.npy"), f"{sim}/pos.fa")
        out = self.path("modisco")
        self.seqdl("--threads", 2, "--seed", 2, "motifs", "discover", "--onehot", onehot, "--attributions", hyp, "--db",
                   shared(*JASPAR), "-o", out)
        patterns = tsv(os.path.join(out, "patterns.tsv"))
        seqlets = tsv(os.path.join(out, "seqlets.tsv"))
        big = [p for p in patterns if int(p["seqlets"]) > 0.05 * len(seqlets)]
        self.assertEqual(sorted(p["best_match"] for p in big), sorted(motifs), patterns)


class Rejected(CliTest):
    """Bad inputs: exit status 2, one line naming the problem, and no output directory."""

    def setUp(self):
        super().setUp()
        rng = np.random.default_rng(0)
        self.onehot = np.eye(4, dtype=np.float32)[rng.integers(0, 4, (30, 80))].transpose(0, 2, 1).copy()
        self.hyp = rng.normal(0, 0.1, (30, 4, 80)).astype(np.float32)
        np.save(self.path("x.npy"), self.onehot)

    def discover(self, hyp, *extra):
        np.save(self.path("h.npy"), hyp)
        return self.run_seqdl("motifs", "discover", "--onehot", self.path("x.npy"), "--attributions",
                              self.path("h.npy"), "-o", self.path("out"), *extra)

    def rejected(self, r, fragment):
        err = r.stderr.decode()
        self.assertEqual(r.returncode, 2, err)
        self.assertIn(fragment, err)
        self.assertEqual(len([l for l in err.splitlines() if "error" in l]), 1, err)
        self.assertFalse(os.path.exists(self.path("out")))
        self.assertEqual([f for f in os.listdir(self.tmp) if f.startswith(".out") or "tmp" in f], [])

    def test_shape_mismatch(self):
        self.rejected(self.discover(self.hyp[:, :, :70]), "must have the one-hot's shape")
        self.rejected(self.discover(self.hyp[:20]), "(20, 4, 80)")

    def test_not_one_hot_shaped(self):
        np.save(self.path("x.npy"), self.onehot[:, :3, :])
        self.rejected(self.discover(self.hyp[:, :3, :]), "expected one-hot sequences of shape")

    def test_nan_and_infinite_values(self):
        bad = self.hyp.copy()
        bad[7, 2, 33] = np.nan
        self.rejected(self.discover(bad), "row 7 (0-based), position 33: NaN")
        bad[7, 2, 33] = np.inf
        self.rejected(self.discover(bad), "infinite")

    def test_onehot_given_attributions(self):
        np.save(self.path("x.npy"), self.hyp)
        self.rejected(self.discover(self.hyp), "outside [0, 1]")

    def test_not_npy_and_missing_files(self):
        with open(self.path("x.npy"), "w") as f:
            f.write("id\tseq\n")
        self.rejected(self.discover(self.hyp), "not a NumPy .npy file")
        r = self.run_seqdl("motifs", "discover", "--onehot", self.path("none.npy"), "--attributions", self.path("x.npy"),
                           "-o", self.path("out"))
        self.rejected(r, "none.npy")

    def test_bad_database_fails_before_the_work(self):
        with open(self.path("db.meme"), "w") as f:
            f.write("MEME version 4\n\nMOTIF a\nletter-probability matrix: alength= 4 w= 1\n0.5 0.5 0.5 0.5\n")
        self.rejected(self.discover(self.hyp, "--db", self.path("db.meme")), "db.meme")

    def test_output_directory_checked_before_the_work(self):
        r = self.discover(self.hyp, "--threads", "1")  # a good run, to compare the messages with
        self.assertEqual(r.returncode, 0)
        for out, fragment in (("-", "not '-'"), (self.path("none/out"), "does not exist"),
                              (self.path("x.npy"), "not a directory")):
            r = self.run_seqdl("motifs", "discover", "--onehot", self.path("x.npy"), "--attributions",
                               self.path("h.npy"), "-o", out)
            err = r.stderr.decode()
            self.assertEqual(r.returncode, 2, err)
            self.assertIn(fragment, err)
            self.assertNotIn("clustering", err, "the work was not started")

    def test_options_out_of_range(self):
        self.rejected(self.discover(self.hyp, "--target-fdr", "0"), "--target-fdr")
        self.rejected(self.discover(self.hyp, "--window-size", "75"), "needs sequences of at least 85 positions")
        self.rejected(self.discover(self.hyp, "--min-seqlets", "100", "--max-seqlets", "50"), "--max-seqlets")

    def test_coordinates_must_have_one_line_per_row(self):
        with open(self.path("ids.txt"), "w") as f:
            f.writelines(f"chr1:{i * 100 + 1}-{i * 100 + 80}\n" for i in range(29))
        self.rejected(self.discover(self.hyp, "--coords", self.path("ids.txt")), "29 lines for 30 rows")

    def test_no_rows_give_an_empty_result(self):
        np.save(self.path("x.npy"), self.onehot[:0])
        r = self.discover(self.hyp[:0])
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertIn("no seqlets", r.stderr.decode())

    def test_all_zero_attributions_give_an_empty_result(self):
        r = self.discover(np.zeros_like(self.hyp))
        err = r.stderr.decode()
        self.assertEqual(r.returncode, 0, err)
        self.assertIn("no seqlets", err)
        self.assertNotIn("MOTIF", read_text(self.path("out/patterns.meme")))
        self.assertEqual(read_text(self.path("out/seqlets.tsv")).count("\n"), 1)  # the header
        self.assertIn("No seqlet was called", read_text(self.path("out/report.html")))

    def test_help_has_an_example(self):
        r = self.seqdl("motifs", "discover", "--help")
        self.assertIn("seqdl motifs discover --onehot x.npy --attributions hyp.npy", r.stdout.decode())


if __name__ == "__main__":
    main()
