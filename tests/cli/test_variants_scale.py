"""seqdl variants at genome scale: SNVs scored by local recomputation against the REF activations of their window
equal the whole-window path (--whole-windows) on every zoo architecture, and an independent PyTorch computation
(the weights loaded into the reference architectures of archs.py, windows built in Python by the documented rule)
on a few variants each (DanQ excepted: seqdl's and archs.py's disagree on any input); a model that does not allow it (TorchScript) falls back to whole windows and says why;
--regions and --shard select records (shards tile the VCF exactly, VCF output included), and bad values are
rejected. Data: freebayes' NA12878 fragment (../shared/data/freebayes_tiny_na12878)."""
import gzip
import os
import shutil
import subprocess
import tempfile

import numpy as np

from seqdl_test import CliTest, PYTHON, SOURCE_DIR, fasta_dict, main, one_hot, shared, torch_modules, write_text

# Architecture -> input length: short windows keep the test fast; every zoo architecture is here.
ZOO = {"deepbind": 101, "basset": 600, "deepsea": 400, "danq": 400, "transformer": 400, "spliceai80": 280}
OTHER = {"A": "C", "C": "G", "G": "T", "T": "A"}
TOLERANCE = 1e-5  # relative to the size of the outputs compared


def read_tsv(text):
    lines = text.splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, l.split("\t"))) for l in lines[1:]]


def windows(seq, pos1, ref, alt, width):
    """The documented rule (SNVs here): the variant at index width // 2, N off the contig."""
    p = pos1 - 1
    start = p - width // 2
    ref_w = "".join(seq[i] if 0 <= i < len(seq) else "N" for i in range(start, start + width))
    return ref_w, ref_w[:width // 2] + alt + ref_w[width // 2 + 1:]


class VariantsScaleTest(CliTest):
    @classmethod
    def setUpClass(cls):
        cls.genome = shared("freebayes_tiny_na12878", "q.fa")
        cls.freebayes = shared("freebayes_tiny_na12878", "freebayes_calls_q.vcf.gz")
        cls.seq = fasta_dict(cls.genome)["q"]
        cls.dir = tempfile.mkdtemp(prefix="seqdl_variants_scale_")
        cls.vcf = cls.snv_vcf(os.path.join(cls.dir, "snvs.vcf"))
        cls.models = {}
        rng = np.random.default_rng(2)
        for arch, length in ZOO.items():
            table = os.path.join(cls.dir, f"{arch}.tsv")
            rows = [f"r{i}\t{''.join(rng.choice(list('ACGT'), length))}\t{i % 2}\t{(i // 2) % 2}" for i in range(16)]
            write_text(table, "id\tseq\ty\tz\n" + "\n".join(rows) + "\n")
            model = os.path.join(cls.dir, f"{arch}.seqdl")
            r = subprocess.run([os.environ.get("SEQDL", "seqdl"), "--threads", "2", "train", "--arch", arch, "--length",
                                str(length), "--table", table, "--sequence-column", "seq", "--label-columns", "y,z",
                                "--epochs", "1", "--batch", "8", "--valid-fraction", "0", "-o", model], capture_output=True)
            if r.returncode != 0:
                raise RuntimeError(r.stderr.decode())
            cls.models[arch] = model

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    @classmethod
    def snv_vcf(cls, path):
        """SNVs of every kind the engine treats apart: a dense cluster (REF shared between overlapping windows),
        scattered ones (REF window by window), both contig ends (padding), a multi-allelic SNV record; and an
        indel and an MNP between them (whole windows), in position order."""
        s = cls.seq
        sites = {p: [OTHER[s[p - 1]]] for p in list(range(3000, 3400, 9)) + [2, 40, 700, 5200, 8000, len(s) - 30, len(s)]}
        sites[6000] = [a for a in "ACGT" if a != s[5999]]
        body = []
        for p in sorted(set(sites) | {4000, 7000}):
            if p == 4000:
                body.append(f"q\t{p}\tdel\t{s[p - 1:p + 3]}\t{s[p - 1]}")
            elif p == 7000:
                body.append(f"q\t{p}\tmnp\t{s[p - 1:p + 1]}\t{OTHER[s[p - 1]]}{OTHER[s[p]]}")
            else:
                body.append(f"q\t{p}\ts{p}\t{s[p - 1]}\t{','.join(sites[p])}")
        write_text(path, "##fileformat=VCFv4.2\n##contig=<ID=q,length=12356>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER"
                         "\tINFO\n" + "".join(f"{l}\t.\t.\t.\n" for l in body))
        return path

    def variants(self, model, *args, vcf=None, output="-"):
        return self.seqdl("-v", "--threads", 2, "variants", "--model", model, "--genome", self.genome, "--vcf",
                          vcf or self.vcf, *args, "-o", output)

    def assert_close_rows(self, got, want, msg):
        self.assertEqual([(r["pos"], r["alt"], r["status"]) for r in got], [(r["pos"], r["alt"], r["status"]) for r in want])
        tasks = sorted({k.rsplit("_", 1)[0] for k in want[0] if k.endswith(("_ref", "_gain"))})
        for g, w in zip(got, want):
            for t in tasks:
                if f"{t}_ref" in w:  # per-window scores: relative to the outputs' size
                    scale = max(abs(float(w[f"{t}_ref"])), abs(float(w[f"{t}_alt"])))
                    keys = ("ref", "alt", "diff")
                else:  # per-position delta scores: probabilities
                    scale, keys = 1.0, ("gain", "loss")
                for k in keys:
                    self.assertLessEqual(abs(float(g[f"{t}_{k}"]) - float(w[f"{t}_{k}"])), TOLERANCE * scale + 1e-7,
                                         f"{msg}: {t}_{k} at {w['pos']} {w['alt']}")

    # -- equal to whole windows and to PyTorch -------------------------------------------------------------------

    def test_every_zoo_architecture_equals_whole_windows(self):
        for arch, model in self.models.items():
            for rc in ("none", "mean") if arch in ("basset", "spliceai80") else ("none",):
                with self.subTest(arch=arch, rc=rc):
                    local = self.variants(model, "--rc", rc)
                    err = local.stderr.decode()
                    self.assertIn("SNVs by local recomputation", err)
                    self.assertNotIn("scored as whole windows", err)
                    whole = self.variants(model, "--rc", rc, "--whole-windows")
                    self.assertIn("SNVs as whole windows (--whole-windows)", whole.stderr.decode())
                    got, want = read_tsv(local.stdout.decode()), read_tsv(whole.stdout.decode())
                    self.assertEqual(len(want), 57)
                    self.assert_close_rows(got, want, arch)
                    if arch != "spliceai80":  # the substitutions change the outputs: a wrong engine would show
                        self.assertGreater(max(abs(float(r["y_diff"])) for r in want), 1e-5)

    def test_a_few_snvs_equal_pytorch_on_every_zoo_architecture(self):
        torch, _ = torch_modules()
        picks = [(3000, "s3000"), (3009, "s3009"), (2, "s2"), (len(self.seq), f"s{len(self.seq)}"), (6000, "s6000")]
        for arch, model in self.models.items():
            if arch == "danq":  # seqdl's DanQ and archs.py's differ (predict disagrees too): not this engine's to fix
                continue
            with self.subTest(arch=arch):
                _, module = self.export_to_reference(model, arch, tasks=2)
                rows = [r for r in read_tsv(self.variants(model).stdout.decode()) if r["id"] in dict(picks).values()]
                self.assertEqual(len(rows), 7)  # s6000 has three ALT alleles
                width = ZOO[arch]
                pairs = [windows(self.seq, int(r["pos"]), r["ref"], r["alt"], width) for r in rows]
                with torch.no_grad():
                    ref = module(torch.from_numpy(np.stack([one_hot(a) for a, _ in pairs]))).double()
                    alt = module(torch.from_numpy(np.stack([one_hot(b) for _, b in pairs]))).double()
                ref, alt = torch.sigmoid(ref).numpy(), torch.sigmoid(alt).numpy()  # multilabel: y and z
                if arch == "spliceai80":
                    self.check_deltas(rows, ref, alt, width)
                    continue
                for i, r in enumerate(rows):
                    for t, task in enumerate(("y", "z")):
                        scale = max(ref[i, t], alt[i, t])
                        self.assertLessEqual(abs(float(r[f"{task}_ref"]) - ref[i, t]), TOLERANCE * scale, r)
                        self.assertLessEqual(abs(float(r[f"{task}_alt"]) - alt[i, t]), TOLERANCE * scale, r)
                        self.assertLessEqual(abs(float(r[f"{task}_diff"]) - (alt[i, t] - ref[i, t])), TOLERANCE * scale, r)

    def check_deltas(self, rows, ref, alt, width):
        """SpliceAI delta scores of SNVs: the largest gain and loss of (ALT - REF) within 50 bases of the variant."""
        positions = ref.shape[2]
        offset = (width - positions) // 2
        for i, r in enumerate(rows):
            near = [k for k in range(positions) if abs(k + offset - width // 2) <= 50]
            d = alt[i][:, near] - ref[i][:, near]  # [classes, positions]
            for c, task in enumerate(("y", "z")):
                self.assertAlmostEqual(float(r[f"{task}_gain"]), d[c].max(), delta=TOLERANCE, msg=r)
                self.assertAlmostEqual(float(r[f"{task}_loss"]), (-d[c]).max(), delta=TOLERANCE, msg=r)

    def test_torchscript_is_imported_or_falls_back_to_whole_windows_and_says_why(self):
        script = self.path("basset.pt")
        subprocess.run([PYTHON, os.path.join(SOURCE_DIR, "bench", "export_torchscript.py"), self.models["basset"],
                        "basset", script], check=True, capture_output=True)
        whole = read_tsv(self.variants(self.models["basset"]).stdout.decode())
        # Imported onto seqdl's layers (docs/import.md): local recomputation applies as for the .seqdl model.
        r = self.variants(script, "--window", 600, "--task-names", "y,z")
        self.assertIn("SNVs by local recomputation", r.stderr.decode())
        self.assert_close_rows(read_tsv(r.stdout.decode()), whole, "imported torchscript")
        # Run as the module it is: whole windows, and the log says why.
        r = self.variants(script, "--window", 600, "--task-names", "y,z", "--no-import")
        self.assertRegex(r.stderr.decode(), r"SNVs are scored as whole windows: local recomputation does not apply "
                                            r"\(a TorchScript model does not show its layers\)")
        self.assert_close_rows(read_tsv(r.stdout.decode()), whole, "torchscript")

    def test_alt_equal_to_ref_scores_exactly_zero(self):
        # VCFs carry such records; two identical whole windows score zero, and so must the local recomputation (whose
        # ALT path would otherwise differ from a shared REF pass by rounding and move per-position argmaxes).
        s = self.seq
        same = {3045, 3050}
        body = "".join(f"q\t{p}\ts{p}\t{s[p - 1]}\t{s[p - 1] if p in same else OTHER[s[p - 1]]}\t.\t.\t.\n"
                       for p in range(3000, 3100, 5))
        vcf = write_text(self.path("same.vcf"), "##fileformat=VCFv4.2\n##contig=<ID=q,length=12356>\n#CHROM\tPOS\tID\tREF"
                                                "\tALT\tQUAL\tFILTER\tINFO\n" + body)
        for arch in ("basset", "spliceai80"):
            with self.subTest(arch=arch):
                r = self.variants(self.models[arch], "--rc", "mean", vcf=vcf)
                self.assertIn("SNVs by local recomputation", r.stderr.decode())
                rows = read_tsv(r.stdout.decode())
                self.assertEqual(len(rows), 20)
                for row in rows:
                    keys = [k for k in row if k.endswith(("_diff", "_gain", "_loss"))]
                    self.assertTrue(keys, row)
                    if int(row["pos"]) in same:
                        self.assertTrue(all(float(row[k]) == 0.0 for k in keys), row)
                        if arch == "basset":
                            self.assertEqual(row["y_ref"], row["y_alt"], row)
                self.assertTrue(any(float(row[k]) != 0.0 for row in rows if int(row["pos"]) not in same
                                    for k in row if k.endswith(("_diff", "_gain"))))

    # -- --regions and --shard -----------------------------------------------------------------------------------

    def test_shards_tile_the_vcf_and_regions_select_records(self):
        model = self.models["deepbind"]
        whole = read_tsv(self.variants(model).stdout.decode())
        parts = []
        for k in range(1, 5):
            out = self.path(f"part{k}.vcf.gz")
            err = self.variants(model, "--shard", f"{k}/4", output=out).stderr.decode()
            self.assertRegex(err, rf"outside shard {k}/4 \(genome bases")
            with gzip.open(out, "rt") as f:
                parts.append([l for l in f.read().splitlines() if not l.startswith("#")])
            self.assertTrue(os.path.exists(out + ".tbi"))
        self.assertTrue(all(parts))
        # Shard k holds the records whose POS is in the k-th quarter of the 12,356-base contig, each exactly once.
        positions = [int(l.split("\t")[1]) for p in parts for l in p]
        self.assertEqual(positions, sorted({int(r["pos"]) for r in whole}))
        for k, p in enumerate(parts):
            self.assertTrue(all(12356 * k // 4 < int(l.split("\t")[1]) <= 12356 * (k + 1) // 4 for l in p))
        # Each shard's scores are the whole run's.
        shard = read_tsv(self.variants(model, "--shard", "2/4").stdout.decode())
        self.assert_close_rows(shard, [r for r in whole if 3089 < int(r["pos"]) <= 6178], "shard 2/4")
        # Regions: BED files and region strings (1-based inclusive); records by POS.
        bed = write_text(self.path("r.bed"), "q\t2999\t3100\n")
        rows = read_tsv(self.variants(model, "--regions", bed, "--region", "q:6,000-6,000").stdout.decode())
        self.assert_close_rows(rows, [r for r in whole if 3000 <= int(r["pos"]) <= 3100 or int(r["pos"]) == 6000],
                               "regions")
        # An empty selection is an empty output, not an error (a workflow's scatter may have empty parts).
        r = self.variants(model, "--region", "q:100-200")
        self.assertEqual(r.stdout.decode().count("\n"), 1)
        self.assertIn("no record lies in", r.stderr.decode())

    def test_bad_selection_is_rejected(self):
        model = self.models["deepbind"]
        for args, pattern in ((("--shard", "5/4"), r"--shard: expected K/N"), (("--shard", "x"), r"--shard"),
                              (("--region", "chr9:1-10"), r"unknown contig 'chr9'"),
                              (("--region", "q:10-5"), r"--region"),
                              (("--annotation", write_text(self.path("g.gff3"), "##gff-version 3\n"), "--shard", "1/2"),
                               r"--regions/--shard do not apply with --annotation")):
            with self.subTest(args=args):
                out = self.path("x.tsv")
                self.assert_error("variants", "--model", model, "--genome", self.genome, "--vcf", self.vcf, *args, "-o",
                                  out, command="variants", pattern=pattern, outputs=[out])


if __name__ == "__main__":
    main()
