"""seqdl saliency --method deepshap / deeplift against the plain PyTorch reference (deeplift_shap.py) on the same
weights, sequences and references; the outputs line up for TF-MoDISco; bad inputs are refused."""
import gzip
import os
import subprocess

import numpy as np

from seqdl_test import PYTHON, REFERENCE_DIR, CliTest, main, shared, write_text


def random_fasta(path, n, length, seed):
    rng = np.random.default_rng(seed)
    write_text(path, "".join(f">s{i}\n{''.join(rng.choice(list('ACGT'), length))}\n" for i in range(n)))
    return path


class DeepShapMatchesReference(CliTest):
    def check_arch(self, arch, length, sequences=6, references=5):
        model = self.train_tiny(arch, length)
        torch, ref = self.export_to_reference(model, arch)
        pt = self.path(f"{arch}.pt")
        torch.jit.script(ref).save(pt)
        fasta = random_fasta(self.path("seqs.fa"), sequences, length, 3)
        refs, ref_out, ref_hyp = self.path("refs.npy"), self.path("ref_contrib.npy"), self.path("ref_hyp.npy")
        subprocess.run([PYTHON, os.path.join(REFERENCE_DIR, "deeplift_shap.py"), "--arch", arch, "--weights", pt,
                        "--fasta", fasta, "--length", str(length), "--references", str(references), "--threads", "2",
                        "--save-references", refs, "--out", ref_out, "--hypothetical-out", ref_hyp],
                       check=True, capture_output=True)
        out, hyp, onehot = self.path("contrib.npy"), self.path("hyp.npy"), self.path("x.npy")
        r = self.seqdl("--threads", 2, "saliency", "--model", model, "--method", "deepshap", "--baseline", refs,
                       "--target", 0, "--hypothetical", hyp, "--onehot", onehot, "-o", out, fasta)
        self.assertIn(f"DeepSHAP ({references} references from".encode(), r.stderr)
        # The exported TorchScript file itself imports onto seqdl's layers and gets the same exact rules.
        pt_out = self.path("contrib_pt.npy")
        self.seqdl("--threads", 2, "saliency", "--model", pt, "--window", length, "--method", "deepshap",
                   "--baseline", refs, "--target", 0, "-o", pt_out, fasta)
        for ours, theirs, what in ((out, ref_out, "contributions"), (hyp, ref_hyp, "hypothetical"),
                                   (pt_out, ref_out, "contributions from the imported .pt")):
            a, b = np.load(ours), np.load(theirs)
            self.assertEqual(a.shape, (sequences, 4, length), what)
            scale = np.abs(b).max()
            self.assertGreater(scale, 0, what)
            np.testing.assert_allclose(a, b, atol=1e-4 * scale, rtol=0, err_msg=f"{arch} {what}")
        # The three arrays line up: contributions = hypothetical x one-hot.
        x = np.load(onehot)
        np.testing.assert_allclose(np.load(out), np.load(hyp) * x, atol=1e-6)

    def test_deepbind(self):
        self.check_arch("deepbind", 101)

    def test_basset(self):
        self.check_arch("basset", 600, sequences=4)

    def test_deepsea(self):
        self.check_arch("deepsea", 1000, sequences=2, references=3)


class DeepShapBehaviour(CliTest):
    def test_summation_to_delta_is_reported_and_reproducible(self):
        model = self.train_tiny("deepbind", 101)
        fasta = random_fasta(self.path("seqs.fa"), 20, 101, 5)
        stats = self.path("stats.tsv")
        a, b = self.path("a.npy"), self.path("b.npy")
        self.seqdl("--seed", 3, "saliency", "--model", model, "--method", "deepshap", "--references", 8, "--stats",
                   stats, "-o", a, fasta)
        self.seqdl("--seed", 3, "saliency", "--model", model, "--method", "deepshap", "--references", 8, "-o", b, fasta)
        np.testing.assert_array_equal(np.load(a), np.load(b))
        rows = [l.split("\t") for l in open(stats).read().splitlines()]
        self.assertEqual(rows[0][-1], "completeness_error")
        self.assertEqual(len(rows), 21)
        self.assertLess(max(float(r[-1]) for r in rows[1:]), 1e-4)
        # Summed contributions equal score - mean reference score (no N in these sequences).
        for r in rows[1:]:
            self.assertAlmostEqual(float(r[3]), float(r[1]) - float(r[2]), delta=1e-4 * max(1.0, abs(float(r[1]))))

    def test_deeplift_with_one_reference_and_zero_baseline(self):
        model = self.train_tiny("deepbind", 101)
        fasta = random_fasta(self.path("seqs.fa"), 3, 101, 6)
        out = self.path("c.npy")
        r = self.seqdl("saliency", "--model", model, "--method", "deeplift", "--baseline", "zeros", "-o", out, fasta)
        self.assertIn(b"DeepLIFT (zeros reference)", r.stderr)
        self.assertEqual(np.load(out).shape, (3, 4, 101))

    def test_bad_inputs(self):
        model = self.train_tiny("deepbind", 101)
        fasta = random_fasta(self.path("seqs.fa"), 3, 101, 7)
        out = self.path("c.npy")
        common = ["saliency", "--model", model, "--method", "deepshap", "-o", out]
        self.assert_error(*common, "--references", 0, fasta, command="saliency", pattern=r"--references 0",
                          outputs=[out])
        np.save(self.path("bad.npy"), np.zeros((3, 2, 4, 50), dtype=np.float32))
        self.assert_error(*common, "--baseline", self.path("bad.npy"), fasta, command="saliency",
                          pattern=r"references must be \[n, R, 4, 101\]", outputs=[out])
        self.assert_error(*common, "--target", 5, fasta, command="saliency", pattern=r"--target '5'", outputs=[out])
        self.assert_error(*common, "--probability", fasta, command="saliency", pattern=r"DeepLIFT explains logits",
                          outputs=[out])
        danq = self.path("danq.seqdl")
        table = self.path("danq.tsv")
        rng = np.random.default_rng(2)
        write_text(table, "id\tseq\ty\n" + "".join(f"r{i}\t{''.join(rng.choice(list('ACGT'), 60))}\t{i % 2}\n"
                                                   for i in range(8)))
        self.seqdl("train", "--arch", "danq", "--length", 60, "--table", table, "--sequence-column", "seq",
                   "--label-columns", "y", "--epochs", 1, "--valid-fraction", 0, "-o", danq)
        self.assert_error("saliency", "--model", danq, "--method", "deepshap", "-o", out, fasta, command="saliency",
                          pattern=r"no exact rule for layer .*bilstm.*integrated-gradients", outputs=[out])


class DeepShapOverGenomeRegions(CliTest):
    def test_track_averages_overlapping_windows(self):
        """-o track.bedGraph holds, per base, the observed base's contribution averaged over the windows that
        cover it (windows of 101 bp centred on each region), computed here from the arrays seqdl writes."""
        model = self.train_tiny("deepbind", 101)
        rng = np.random.default_rng(9)
        contigs = {"c1": "".join(rng.choice(list("ACGT"), 700)), "c2": "".join(rng.choice(list("ACGT"), 300))}
        genome = write_text(self.path("g.fa"), "".join(f">{n}\n{s}\n" for n, s in contigs.items()))
        regions = [("c1", 100, 180), ("c1", 150, 250), ("c1", 400, 401), ("c2", 0, 60)]  # overlaps, an edge
        bed = write_text(self.path("r.bed"), "".join(f"{c}\t{a}\t{b}\n" for c, a, b in regions))
        track, arrays = self.path("t.bedGraph"), self.path("c.npy")
        self.seqdl("saliency", "--model", model, "--method", "deepshap", "--references", 4, "--genome", genome,
                   "--regions", bed, "--contributions", arrays, "-o", track)
        per_base = np.load(arrays).sum(1)
        sums, counts = {}, {}
        for (c, a, b), values in zip(regions, per_base):
            start = a + (b - a) // 2 - 101 // 2
            for k, v in enumerate(values):
                p = start + k
                if 0 <= p < len(contigs[c]):
                    sums[(c, p)] = sums.get((c, p), 0.0) + float(v)
                    counts[(c, p)] = counts.get((c, p), 0) + 1
        got = {}
        for line in open(track).read().splitlines():
            c, a, b, v = line.split("\t")
            for p in range(int(a), int(b)):
                got[(c, p)] = float(v)
        self.assertEqual(set(got), set(sums))
        for key in sums:
            self.assertAlmostEqual(got[key], sums[key] / counts[key], delta=1e-5 * max(1.0, abs(got[key])))
        # Shards: the two halves of the regions together hold what the whole run holds.
        parts = []
        for k in (1, 2):
            out = self.path(f"s{k}.npy")
            self.seqdl("saliency", "--model", model, "--method", "deepshap", "--references", 4, "--genome", genome,
                       "--regions", bed, "--shard", f"{k}/2", "--contributions", out, "-o", self.path(f"s{k}.bedGraph"))
            parts.append(np.load(out))
        np.testing.assert_allclose(np.concatenate(parts), np.load(arrays), atol=1e-6)


class DeepShapOnRealData(CliTest):
    def test_usf1_deepbind_contributions_peak_on_the_ebox(self):
        data = shared("deepbind_encode_chipseq", "USF1_H1-hESC_USF-1_HudsonAlpha_AC.seq.gz")
        test = shared("deepbind_encode_chipseq", "USF1_H1-hESC_USF-1_HudsonAlpha_B.seq.gz")
        model = self.path("usf1.seqdl")
        self.seqdl("--threads", 2, "train", "--arch", "deepbind", "--table", data, "--sequence-column", "seq",
                   "--label-columns", "Bound", "--negatives", "shuffle", "--rc-augment", "--epochs", 6, "-o", model)
        with gzip.open(test, "rt") as f:
            rows = [l.rstrip("\n").split("\t") for l in f][1:]
        positives = [r[2] for r in rows if r[3] == "1" and "CACGTG" in r[2].upper()][:150]
        fasta = write_text(self.path("pos.fa"), "".join(f">p{i}\n{s}\n" for i, s in enumerate(positives)))
        out = self.path("c.npy")
        self.seqdl("--threads", 2, "saliency", "--model", model, "--method", "deepshap", "--references", 10, "-o", out,
                   fasta)
        contrib = np.load(out).sum(1)  # the observed base's contribution per position
        hits = 0
        for seq, c in zip(positives, contrib):
            top = int(np.argmax(c))
            sites = [i for i in range(len(seq) - 5) if seq[i:i + 6].upper() == "CACGTG"]
            hits += any(s - 2 <= top <= s + 7 for s in sites)
        self.assertGreater(hits / len(positives), 0.7, f"{hits} of {len(positives)}")

    def test_ctcf_basset_contributions_sit_on_the_jaspar_site(self):
        data = shared("wasserman_ctcf_examples")
        jaspar = shared("jaspar_meme", "JASPAR2020_CORE_vertebrates_non-redundant.meme")
        model, splits = self.path("ctcf.seqdl"), self.path("splits")
        self.seqdl("--threads", 2, "train", "--arch", "basset", "--length", 600, "--class",
                   f"neg={data}/example_neg_sequences.fa.gz", "--class", f"pos={data}/example_pos_sequences.fa.gz",
                   "--rc-augment", "--epochs", 3, "--test-fraction", 0.1, "--save-splits", splits, "-o", model)
        rows = [l.split("\t") for l in open(os.path.join(splits, "test.tsv")).read().splitlines()[1:]]
        positives = [(r[0], r[1]) for r in rows if r[2] == "1"][:120]
        fasta = write_text(self.path("pos.fa"), "".join(f">{i}\n{s}\n" for i, s in positives))
        out, scan = self.path("c.npy"), self.path("scan.tsv")
        self.seqdl("--threads", 2, "saliency", "--model", model, "--method", "deepshap", "--references", 10, "-o", out,
                   fasta)
        self.seqdl("motifs", "scan", jaspar, "--motif", "MA0139.1", fasta, "--per-sequence-max", "-o", scan)
        sites = {}
        for line in open(scan).read().splitlines()[1:]:
            f = line.split("\t")
            if float(f[2]) < 1e-4:
                sites[f[0]] = (int(f[5]), int(f[6]))
        contrib = np.load(out).sum(1)
        hits = total = 0
        for (name, _), c in zip(positives, contrib):
            if name not in sites:
                continue
            total += 1
            top = int(np.argmax(np.convolve(c, np.ones(19), "valid")))  # the best 19-bp window
            start, end = sites[name]
            hits += top < end and top + 19 > start
        self.assertGreater(total, 50)
        self.assertGreater(hits / total, 0.5, f"{hits} of {total}")


if __name__ == "__main__":
    main()
