"""seqdl motifs (scan, compare) end to end: scores and p-values checked against independent Python computations
(log-odds from the motif file, brute-force enumeration), genome hits read back through samtools faidx, JASPAR
comparisons against known answers, and every rejected input."""
import bisect
import itertools
import json
import math
import random
import subprocess

from seqdl_test import CliTest, main, read_text, shared, write_text

BASES = "ACGT"
COMPLEMENT = str.maketrans("ACGTNacgtn", "TGCANtgcan")


def revcomp(s):
    """Reverse complement, case kept (as seqdl reports matched sequences)."""
    return s.translate(COMPLEMENT)[::-1]


def meme_text(motifs, bg=(0.25, 0.25, 0.25, 0.25)):
    """A MEME minimal-format file for [(id, rows, nsites)]."""
    out = "MEME version 4\n\nALPHABET= ACGT\n\nstrands: + -\n\nBackground letter frequencies\n"
    out += "A %g C %g G %g T %g\n" % bg
    for mid, rows, nsites in motifs:
        out += f"\nMOTIF {mid} {mid}_name\nletter-probability matrix: alength= 4 w= {len(rows)} nsites= {nsites} E= 0\n"
        out += "".join(" ".join("%.6f" % v for v in r) + "\n" for r in rows)
    return out


def log_odds(rows, nsites, bg=(0.25,) * 4, pseudo=0.1):
    """FIMO's scores: p' = (p n + pseudo bg) / (n + pseudo), score = log2(p' / bg)."""
    return [[math.log2((r[b] * nsites + pseudo * bg[b]) / (nsites + pseudo) / bg[b]) for b in range(4)] for r in rows]


def window_score(matrix, window):
    return sum(matrix[i][BASES.index(c.upper())] for i, c in enumerate(window))


def tsv(path_or_text, is_text=False):
    text = path_or_text if is_text else read_text(path_or_text)
    lines = text.splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, l.split("\t"))) for l in lines[1:]]


# A specific, non-palindromic 6-column motif (rows A C G T) from 50 sites.
ROWS = [[0.8, 0.1, 0.05, 0.05], [0.05, 0.05, 0.85, 0.05], [0.1, 0.7, 0.1, 0.1],
        [0.02, 0.02, 0.02, 0.94], [0.25, 0.25, 0.25, 0.25], [0.6, 0.0, 0.4, 0.0]]
NSITES = 50


class MotifScan(CliTest):
    def setUp(self):
        super().setUp()
        self.motif = write_text(self.path("m.meme"), meme_text([("M1", ROWS, NSITES)]))
        rng = random.Random(3)
        self.seqs = []
        for i in range(40):
            s = "".join(rng.choice(BASES) for _ in range(rng.randint(20, 80)))
            if i % 3 == 0:
                at = rng.randrange(len(s) - 6)
                site = "AGCTAA" if i % 2 else revcomp("AGCTAG")
                s = s[:at] + site + s[at + 6:]
            if i % 7 == 0:
                s = s[:10] + "NN" + s[12:].lower()
            self.seqs.append((f"s{i}", s))
        self.fasta = write_text(self.path("s.fa"), "".join(f">{n}\n{s}\n" for n, s in self.seqs))

    def test_per_sequence_max_equals_python_brute_force(self):
        out = self.path("max.tsv")
        self.seqdl("motifs", "scan", self.motif, self.fasta, "--per-sequence-max", "-o", out)
        rows = tsv(out)
        self.assertEqual(list(rows[0].keys()), ["id", "score", "p_value", "motif_id", "motif_name", "start", "end",
                                                "strand", "matched_sequence"])
        self.assertEqual([r["id"] for r in rows], [n for n, _ in self.seqs])
        m = log_odds(ROWS, NSITES)
        for (name, seq), row in zip(self.seqs, rows):
            best = max(max(window_score(m, w), window_score(m, revcomp(w)))
                       for w in (seq[j:j + 6] for j in range(len(seq) - 5)) if all(c in "ACGTacgt" for c in w))
            self.assertAlmostEqual(float(row["score"]), best, places=3, msg=name)
            start, end = int(row["start"]), int(row["end"])
            window = seq[start - 1:end]
            self.assertEqual(row["matched_sequence"], window if row["strand"] == "+" else revcomp(window))

    def test_pvalues_match_brute_force_enumeration(self):
        # Every 6-mer under the uniform background: P(S >= s) for the reported score, within the rounding
        # bracket the documentation promises (scores scaled to 1/1000 bit: at most 6/1000 bit off).
        m = log_odds(ROWS, NSITES)
        scores = sorted(window_score(m, "".join(k)) for k in itertools.product(BASES, repeat=6))

        def tail(s):  # P(S >= s) under the uniform background
            return (len(scores) - bisect.bisect_left(scores, s)) / 4 ** 6

        out = self.path("hits.tsv")
        self.seqdl("motifs", "scan", self.motif, self.fasta, "--max-pvalue", "0.01", "-o", out)
        rows = tsv(out)
        self.assertGreater(len(rows), 10)
        delta = 6 / 1000 + 1e-4  # 6 positions, each rounded by at most half of 1/1000 bit, both ways
        for r in rows:
            s, p = float(r["score"]), float(r["p_value"])
            self.assertLess(p, 0.01)
            self.assertLessEqual(p, tail(s - delta) * 1.001)
            self.assertGreaterEqual(p, tail(s + delta) * 0.999)
        # Every window with p < 0.01 is reported, on both strands, and none with an N (up to windows whose
        # score lies within the rounding of the threshold).
        must = may = 0
        for _, seq in self.seqs:
            for j in range(len(seq) - 5):
                w = seq[j:j + 6]
                if all(c in "ACGTacgt" for c in w):
                    for x in (window_score(m, w), window_score(m, revcomp(w))):
                        must += tail(x - delta) < 0.01
                        may += tail(x + delta) < 0.01
        self.assertGreaterEqual(len(rows), must)
        self.assertLessEqual(len(rows), may)
        self.assertTrue(any(r["strand"] == "-" for r in rows))

    def test_genome_bed_matches_samtools_and_tsv(self):
        genome = shared("korflab_1pct_genomes", "celegans", "celegans_WS282_1pct.fa")
        jaspar = shared("jaspar_meme", "JASPAR2020_CORE_vertebrates_non-redundant.meme")
        bed = self.path("ctcf.bed")
        self.seqdl("motifs", "scan", jaspar, "--motif", "MA0139.1", "--genome", genome, "-o", bed)
        lines = [l.split("\t") for l in read_text(bed).splitlines()]
        self.assertGreater(len(lines), 20)
        out = self.seqdl("motifs", "scan", jaspar, "--motif", "CTCF", "--genome", genome, "-o", "-").stdout.decode()
        rows = tsv(out, is_text=True)
        self.assertEqual(len(rows), len(lines))
        for (chrom, start, end, mid, score, strand), r in zip(lines, rows):
            self.assertEqual((chrom, int(start) + 1, int(end), mid, strand),
                             (r["sequence"], int(r["start"]), int(r["end"]), r["motif_id"], r["strand"]))
            self.assertAlmostEqual(float(score), float(r["score"]), places=2)
        for chrom, start, end, _, _, strand in lines[:10]:
            fa = subprocess.run(["samtools", "faidx", genome, f"{chrom}:{int(start) + 1}-{end}"], capture_output=True,
                                text=True, check=True).stdout
            bases = "".join(fa.splitlines()[1:])
            r = next(r for r in rows if r["sequence"] == chrom and int(r["start"]) == int(start) + 1)
            self.assertEqual(r["matched_sequence"], bases if strand == "+" else revcomp(bases))
        # Small chunks give the same hits as the default.
        small = self.path("small.bed")
        self.seqdl("motifs", "scan", jaspar, "--motif", "MA0139.1", "--genome", genome, "--chunk-size", "1000", "-o", small)
        self.assertEqual(read_text(small), read_text(bed))
        # --regions keeps genome coordinates and only hits inside.
        chrom = lines[0][0]
        region = f"{chrom}:1-{int(lines[0][2]) + 10}"
        part = self.seqdl("motifs", "scan", jaspar, "--motif", "MA0139.1", "--genome", genome, "--regions", region,
                          "--format", "bed", "-o", "-").stdout.decode().splitlines()
        self.assertIn("\t".join(lines[0]), part)

    def test_stdin_and_background_options(self):
        with open(self.fasta, "rb") as f:
            data = f.read()
        a = self.seqdl("motifs", "scan", self.motif, "-", "--per-sequence-max", "-o", "-", stdin=data).stdout
        b = self.seqdl("motifs", "scan", self.motif, self.fasta, "--per-sequence-max", "-o", "-").stdout
        self.assertEqual(a, b)
        bg = write_text(self.path("bg.txt"), "A 0.3\nC 0.2\nG 0.2\nT 0.3\n")
        c = self.seqdl("motifs", "scan", self.motif, self.fasta, "--per-sequence-max", "--background", bg, "-o", "-").stdout
        m = log_odds(ROWS, NSITES, bg=(0.3, 0.2, 0.2, 0.3))
        row = tsv(c.decode(), is_text=True)[0]
        w = row["matched_sequence"]
        self.assertAlmostEqual(float(row["score"]), window_score(m, w), places=3)
        self.assert_error("motifs", "scan", self.motif, "-", "--background", "input", "-o", self.path("x.tsv"),
                          stdin=data, command="motifs", pattern=r"--background input reads the sequences twice")

    def test_help_has_examples(self):
        out = self.seqdl("motifs", "scan", "--help").stdout.decode()
        self.assertIn("seqdl motifs scan motif.meme seqs.fa --per-sequence-max -o scan.tsv", out)
        self.assertIn("seqdl motifs scan motif.meme --genome g.fa -o hits.bed", out)
        out = self.seqdl("motifs", "compare", "--help").stdout.decode()
        self.assertIn("seqdl motifs compare filters.meme --db JASPAR2020.meme -o matches.tsv", out)


def meme_motifs(path):
    """[(id, rows)] of a MEME minimal-format file, in file order (a small reader of its own)."""
    motifs = []
    for line in read_text(path).splitlines():
        parts = line.split()
        if parts and parts[0] == "MOTIF":
            motifs.append((parts[1], []))
        elif motifs and len(parts) == 4:
            try:
                motifs[-1][1].append([float(v) for v in parts])
            except ValueError:
                pass
    return motifs


def tomtom_full_overlap_pvalue(query, database, bins=100, min_overlap=5):
    """Tomtom's p-value (lib/motif/compare.hpp) of `query` aligned over its whole width with a target of the same
    width, from the definitions: Pearson column correlations against every database column of both strands, levels
    on one grid, the sum's tail by convolution, corrected for the 2 (2w - 2 need + 1) alignments tried."""
    import numpy as np
    q = np.array(query)
    cols = np.vstack([np.array(rows)[::s, ::s] for _, rows in database for s in (1, -1)])
    corr = np.array([[np.corrcoef(a, c)[0, 1] for c in cols] for a in q])
    lo, hi = corr.min(), corr.max()
    levels = np.floor((corr - lo) * (bins / (hi - lo)) + 0.5).astype(int)
    dist = np.array([1.0])
    for row in levels:
        dist = np.convolve(dist, np.bincount(row, minlength=bins + 1) / len(cols))
    self_level = sum(int(math.floor((1.0 - lo) * (bins / (hi - lo)) + 0.5)) for _ in q)
    p_align = dist[self_level:].sum()
    w = len(q)
    n = 2 * (2 * w - 2 * min(min_overlap, w) + 1)
    return -math.expm1(n * math.log1p(-p_align))


class MotifCompare(CliTest):
    def setUp(self):
        super().setUp()
        self.db = shared("jaspar_meme", "JASPAR2020_CORE_vertebrates_non-redundant.meme")
        self.jaspar = shared("jaspar_meme", "JASPAR2020_CORE_vertebrates_non-redundant_pfms_jaspar.txt")

    def ctcf_counts(self):
        lines = read_text(self.jaspar).splitlines()
        i = lines.index(next(l for l in lines if l.startswith(">MA0139.1")))
        return [[float(x) for x in lines[i + 1 + b].split("[")[1].split("]")[0].split()] for b in range(4)]

    def test_ctcf_finds_itself_on_both_strands(self):
        out = self.path("m.tsv")
        self.seqdl("motifs", "compare", self.jaspar, "--motif", "MA0139.1", "--db", self.db, "-o", out)
        rows = tsv(out)
        self.assertEqual(len(rows), 5)
        top = rows[0]
        self.assertEqual((top["target_id"], top["orientation"], top["offset"], top["overlap"]), ("MA0139.1", "+", "0", "19"))
        self.assertEqual((top["similarity"], top["score"]), ("1.0000", "19.0000"))
        # Tomtom's p-value of the self-match, recomputed here with numpy from the method's definition.
        database = meme_motifs(self.db)
        expected = tomtom_full_overlap_pvalue(dict(database)["MA0139.1"], database)
        self.assertLess(expected, 1e-20)
        self.assertAlmostEqual(float(top["p_value"]) / expected, 1, delta=1e-3)
        self.assertAlmostEqual(float(top["e_value"]) / (expected * 746), 1, delta=1e-3)
        self.assertEqual(rows[1]["target_name"], "CTCFL")
        # Its reverse complement (counts reversed, A<->T, C<->G), written as JASPAR: found on the - strand.
        a, c, g, t = self.ctcf_counts()
        rc = {"A": t[::-1], "C": g[::-1], "G": c[::-1], "T": a[::-1]}
        q = write_text(self.path("rc.jaspar"), ">rcCTCF reverse\n" + "".join(
            f"{b} [ {' '.join('%g' % v for v in rc[b])} ]\n" for b in BASES))
        rows = tsv(self.seqdl("motifs", "compare", q, "--db", self.db, "-o", "-").stdout.decode(), is_text=True)
        self.assertEqual((rows[0]["target_id"], rows[0]["orientation"]), ("MA0139.1", "-"))
        self.assertEqual(rows[0]["similarity"], "1.0000")
        # The mean-shuffle method: 746 database motifs x 10 shuffles, the smallest p-value is 1 / 7461.
        rows = tsv(self.seqdl("motifs", "compare", self.jaspar, "--motif", "MA0139.1", "--db", self.db, "--method",
                              "mean-shuffle", "-o", "-").stdout.decode(), is_text=True)
        self.assertEqual(rows[0]["target_id"], "MA0139.1")
        self.assertAlmostEqual(float(rows[0]["p_value"]), 1 / 7461, delta=1e-7)
        self.assertAlmostEqual(float(rows[0]["e_value"]), 746 / 7461, delta=1e-4)

    def test_usf_ebox_ranks_usf_matrices_higher_than_the_mean_method(self):
        rows = [[0.85 if b == c else 0.05 for b in BASES] for c in "GTCACGTGAC"]
        q = write_text(self.path("ebox.meme"), meme_text([("ebox", rows, 20)]))
        ranks = {}
        for method in ("tomtom", "mean-shuffle"):
            out = tsv(self.seqdl("motifs", "compare", q, "--db", self.db, "--method", method, "--top", "30", "-o",
                                 "-").stdout.decode(), is_text=True)
            ranks[method] = {r["target_name"]: k + 1 for k, r in enumerate(out)}
        self.assertLessEqual(min(ranks["tomtom"]["USF1"], ranks["tomtom"]["USF2"]), 6, ranks["tomtom"])
        self.assertLess(ranks["tomtom"]["USF1"], ranks["mean-shuffle"]["USF1"])
        self.assertLess(ranks["tomtom"]["USF2"], ranks["mean-shuffle"]["USF2"])
        self.assertEqual(ranks["mean-shuffle"]["Arnt"], 1)  # the short E-box wins an average

    def test_ebox_and_random_motifs(self):
        ebox = [[1, 17, 1, 1], [18, 0, 1, 1], [0, 19, 1, 0], [0, 1, 19, 0], [1, 1, 0, 18], [1, 1, 17, 1]]
        rng = random.Random(8)
        rand = [[rng.random() + 0.2 for _ in range(4)] for _ in range(10)]
        q = write_text(self.path("q.meme"), meme_text([
            ("ebox", [[v / sum(r) for v in r] for r in ebox], 20),
            ("random", [[v / sum(r) for v in r] for r in rand], 20)]))
        bhlh = {"USF1", "USF2", "MAX", "MAX::MYC", "MYC", "MYCN", "MNT", "MLX", "MLXIPL", "Mlxip", "TFE3", "TFEB", "TFEC",
                "MITF", "BHLHE40", "BHLHE41", "HEY1", "HEY2", "CLOCK", "Npas2", "ARNT", "Arnt", "Arntl", "ARNT2",
                "SREBF1", "SREBF2", "HES1", "HES2", "HES5", "HES6", "HES7", "BHLHE22", "BHLHE23"}
        for method in ("tomtom", "mean-shuffle"):
            rows = tsv(self.seqdl("motifs", "compare", q, "--db", self.db, "--top", "3", "--method", method, "-o",
                                  "-").stdout.decode(), is_text=True)
            ebox_rows = [r for r in rows if r["query_id"] == "ebox"]
            self.assertIn(ebox_rows[0]["target_name"].split("(var.")[0], bhlh)  # SREBF2(var.2) is SREBF2
            random_rows = [r for r in rows if r["query_id"] == "random"]
            self.assertGreater(float(random_rows[0]["e_value"]), 0.3, method)
            self.assertEqual(len(random_rows), 3)
            for r in rows:  # the score is the summed similarity; q-values never below the p-values
                self.assertAlmostEqual(float(r["score"]), float(r["similarity"]) * int(r["overlap"]), delta=1e-3)
                self.assertGreaterEqual(float(r["q_value"]), float(r["p_value"]) * 0.999)

    def test_seeded_and_reproducible(self):
        q = self.jaspar
        args = ("motifs", "compare", q, "--motif", "MA0006.1", "--db", self.db, "--top", "20")
        # Tomtom's p-values are exact: no seed enters.
        a = self.seqdl(*args, "-o", "-").stdout
        self.assertEqual(a, self.seqdl(*args, "--seed", "5", "-o", "-").stdout)
        pa = [float(r["p_value"]) for r in tsv(a.decode(), is_text=True)]
        self.assertEqual(pa, sorted(pa))
        # The mean-shuffle null is seeded.
        m = ("--method", "mean-shuffle")
        b = self.seqdl(*args, *m, "-o", "-").stdout
        self.assertEqual(b, self.seqdl(*args, *m, "-o", "-").stdout)
        self.assertNotEqual(b, self.seqdl(*args, *m, "--seed", "5", "-o", "-").stdout)
        for similarity in ("euclidean", "sandelin"):
            e = self.seqdl("motifs", "compare", q, "--motif", "MA0006.1", "--db", self.db, "--similarity", similarity,
                           "--max-evalue", "1", "-o", "-").stdout.decode()
            rows = tsv(e, is_text=True)
            self.assertTrue(rows and all(float(r["e_value"]) <= 1 for r in rows), similarity)
            self.assertEqual(rows[0]["target_id"], "MA0006.1")


class MotifRejects(CliTest):
    """Every rejected input: exit 2, one line naming the file and line (or option), no output left."""

    def setUp(self):
        super().setUp()
        self.motif = write_text(self.path("m.meme"), meme_text([("M1", ROWS, NSITES)]))
        self.fasta = write_text(self.path("s.fa"), ">a\nACGTACGTAC\n")

    def reject(self, *args, pattern, out="x.tsv"):
        self.assert_error("motifs", *args, "-o", self.path(out), command="motifs", pattern=pattern,
                          outputs=[self.path(out)])

    def test_malformed_motif_files(self):
        bad = write_text(self.path("bad.meme"), "MEME version 4\nMOTIF a\nletter-probability matrix: w= 2\n0.5 0.5 0 0\n0.5 0.5\n")
        self.reject("scan", bad, self.fasta, pattern=r"bad\.meme:5: expected 4 probabilities \(A C G T\), found 2 values")
        jas = write_text(self.path("bad.jaspar"), ">J1 x\nA [ 1 2 ]\nC [ 1 2 ]\nG [ 1 2 ]\n")
        self.reject("compare", self.motif, "--db", jas, pattern=r"bad\.jaspar:1: motif 'J1' has 3 count rows, expected 4")
        tf = write_text(self.path("bad.tf"), "AC M1\nP0 A C G T\n01 1 2 x 4\n")
        self.reject("compare", tf, "--db", self.motif, pattern=r"bad\.tf:3: expected a count >= 0, found 'x'")
        self.reject("scan", write_text(self.path("t.txt"), "hello\n"), self.fasta, pattern=r"t\.txt: not a motif file")
        self.reject("scan", self.path("missing.meme"), self.fasta, pattern=r"cannot open .*missing\.meme")

    def test_bad_options_and_inputs(self):
        self.reject("scan", self.motif, self.fasta, "--motif", "nope", pattern=r"--motif: no motif with id or name 'nope'")
        self.reject("scan", self.motif, self.fasta, "--per-sequence-max", pattern=r"--per-sequence-max writes a TSV",
                    out="x.bed")
        self.reject("scan", self.motif, self.fasta, "--format", "gff", pattern=r"--format")
        self.reject("scan", self.motif, self.fasta, "--max-pvalue", "0", pattern=r"--max-pvalue")
        self.reject("scan", self.motif, self.fasta, "--genome", self.fasta, pattern=r"either sequences to scan or --genome")
        self.reject("scan", self.motif, pattern=r"nothing to scan")
        self.reject("scan", self.motif, self.fasta, "--background", write_text(self.path("bg"), "A 0.5 C 0.5\n"),
                    pattern=r"bg: no frequency for G")
        self.reject("scan", self.motif, write_text(self.path("e.fa"), ">a\n>b\nAC\n"), pattern=r"e\.fa:1: record 'a' has no sequence")
        self.reject("compare", self.motif, pattern=r"--db is required")
        self.reject("compare", self.motif, "--db", self.motif, "--top", "0", pattern=r"--top: expected an integer >= 1")
        self.reject("compare", self.motif, "--db", self.motif, "--method", "tomtom2", pattern=r"--method")
        self.reject("compare", self.motif, "--db", self.motif, "--similarity", "kl", pattern=r"--similarity")
        self.reject("compare", self.motif, "--db", self.motif, "--bins", "0", pattern=r"--bins")
        self.reject("compare", self.motif, "--db", self.motif, "--bins", "20000", pattern=r"--bins")
        self.reject("compare", self.motif, "--db", self.motif, "--min-overlap", "0", pattern=r"--min-overlap")
        self.assert_error("motifs", command="motifs", pattern=r"subcommand is required")


class ScanBaseline(CliTest):
    """Issue 8: the JASPAR CTCF matrix scanned over wasserman_ctcf_examples (per-sequence max score, both strands)
    separates bound from unbound 1-kb windows with an AUROC near 0.84, as `seqdl evaluate --scores` reports it."""

    def test_ctcf_scan_auroc_near_0_84(self):
        db = shared("jaspar_meme", "JASPAR2020_CORE_vertebrates_non-redundant.meme")
        scores, labels = ["id\tscore"], ["id\tlabel"]
        for name, label in (("pos", 1), ("neg", 0)):
            fasta = shared("wasserman_ctcf_examples", f"example_{name}_sequences.fa.gz")
            out = self.path(f"{name}.tsv")
            self.seqdl("motifs", "scan", db, "--motif", "MA0139.1", fasta, "--per-sequence-max", "-o", out)
            rows = tsv(out)
            self.assertEqual(len(rows), 2500)
            # Every header is ">0": number the rows so that ids are unique.
            scores += [f"{name}{i}\t{r['score']}" for i, r in enumerate(rows)]
            labels += [f"{name}{i}\t{label}" for i in range(len(rows))]
        s = write_text(self.path("scores.tsv"), "\n".join(scores) + "\n")
        l = write_text(self.path("labels.tsv"), "\n".join(labels) + "\n")
        r = self.seqdl("evaluate", "--scores", s, "--labels", l, "--json")
        auroc = json.loads(r.stdout)["tasks"][0]["auroc"]
        self.assertAlmostEqual(auroc, 0.84, delta=0.015)  # measured: 0.8379
        try:
            from sklearn.metrics import roc_auc_score
        except ImportError:  # pragma: no cover - setup.sh installs python3-sklearn
            return
        y = [int(x.split("\t")[1]) for x in labels[1:]]
        v = [float(x.split("\t")[1]) for x in scores[1:]]
        self.assertAlmostEqual(auroc, roc_auc_score(y, v), delta=1e-9)


if __name__ == "__main__":
    main()
