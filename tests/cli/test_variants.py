"""seqdl variants end to end: REF/ALT scores checked against an independent PyTorch computation (the model's weights
exported to TorchScript of the reference architecture, windows built in Python from the genome by the documented
rule), SNVs, indels and multi-allelic records on real data (freebayes' NA12878 fragment and its GIAB calls), both
strands, per-position (SpliceAI) delta scores, the annotated VCF.gz read back with bcftools and tabix, and rejected
or skipped inputs."""
import gzip
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

from seqdl_test import (CliTest, PYTHON, REFERENCE_DIR, SOURCE_DIR, fasta_dict, main, one_hot, read_text, shared,
                        torch_modules, write_text)

sys.path.insert(0, REFERENCE_DIR)

COMPLEMENT = str.maketrans("ACGTNacgtn", "TGCANtgcan")
EPS = 1e-6


def read_vcf_alleles(path):
    """(chrom, pos 1-based, id, ref, alt) of every ALT allele, multi-allelic records split."""
    opener = gzip.open if path.endswith(".gz") else open
    out = []
    with opener(path, "rt") as f:
        for line in f:
            if line.startswith("#"):
                continue
            c = line.rstrip("\n").split("\t")
            for alt in c[4].split(","):
                out.append((c[0], int(c[1]), c[2], c[3], alt))
    return out


def windows(seq, pos1, ref, alt, width):
    """The documented rule: the allele's first base at index width // 2; ALT = the same left flank, the ALT allele,
    then the genome after the REF allele, cut to the window; N off the contig."""
    def fetch(a, b):
        return "".join(seq[i] if 0 <= i < len(seq) else "N" for i in range(a, b))
    p = pos1 - 1
    start = p - width // 2
    ref_w = fetch(start, start + width)
    alt_w = (fetch(start, p) + alt + fetch(p + len(ref), p + len(ref) + width))[:width]
    return ref_w, alt_w


def one_hot_batch(seqs):
    return np.stack([one_hot(s) for s in seqs])


def revcomp(s):
    return s.translate(COMPLEMENT)[::-1]


def read_tsv(text):
    lines = text.splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, l.split("\t"))) for l in lines[1:]]


class VariantsTest(CliTest):
    @classmethod
    def setUpClass(cls):
        cls.genome_path = shared("freebayes_tiny_na12878", "q.fa")
        cls.giab = shared("freebayes_tiny_na12878", "NA12878.chr22.tiny.giab.vcf.gz")
        cls.freebayes = shared("freebayes_tiny_na12878", "freebayes_calls_q.vcf.gz")
        cls.seq = fasta_dict(cls.genome_path)["q"]
        cls.shared_tmp = tempfile.mkdtemp(prefix="seqdl_variants_models_")
        # A tiny two-task DeepBind model, and its weights in the reference PyTorch architecture.
        rng = np.random.default_rng(7)
        table = os.path.join(cls.shared_tmp, "t.tsv")
        with open(table, "w") as f:
            f.write("id\tseq\ty\tz\n")
            for i in range(48):
                f.write(f"r{i}\t{''.join(rng.choice(list('ACGT'), 101))}\t{i % 2}\t{(i // 2) % 2}\n")
        cls.model = os.path.join(cls.shared_tmp, "m.seqdl")
        r = subprocess.run([os.environ.get("SEQDL", "seqdl"), "--threads", "2", "train", "--arch", "deepbind", "--table",
                            table, "--sequence-column", "seq", "--label-columns", "y,z", "--epochs", "2", "--batch",
                            "8", "--valid-fraction", "0", "-o", cls.model], capture_output=True)
        if r.returncode != 0:
            raise RuntimeError(r.stderr.decode())
        cls.script = os.path.join(cls.shared_tmp, "m.pt")
        subprocess.run([PYTHON, os.path.join(SOURCE_DIR, "bench", "export_torchscript.py"), cls.model, "deepbind",
                        cls.script], check=True, capture_output=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.shared_tmp, ignore_errors=True)

    # -- the independent computation ----------------------------------------------------------------------------

    def reference_outputs(self, module, seqs, rc=None, transform=lambda x: x):
        """The model's outputs (through `transform`: probabilities) on the forward strand, or combined with those on
        the reverse complement, flipped back position by position for per-position outputs."""
        torch, _ = torch_modules()
        with torch.no_grad():
            fwd = transform(module(torch.from_numpy(one_hot_batch(seqs))).numpy().astype(np.float64))
            if rc is None:
                return fwd
            rev = transform(module(torch.from_numpy(one_hot_batch([revcomp(s) for s in seqs]))).numpy().astype(np.float64))
        if rev.ndim == 3:
            rev = rev[:, :, ::-1]
        return (fwd + rev) / 2 if rc == "mean" else np.maximum(fwd, rev)

    def expected_window_scores(self, alleles, seq=None, rc=None, width=101, logits=False):
        torch, _ = torch_modules()
        module = torch.jit.load(self.script).eval()
        seq = seq or self.seq
        refs, alts = [], []
        for _, pos, _, ref, alt in alleles:
            r, a = windows(seq, pos, ref, alt, width)
            refs.append(r)
            alts.append(a)
        transform = (lambda x: x) if logits else (lambda x: 1 / (1 + np.exp(-x)))
        return self.reference_outputs(module, refs, rc, transform), self.reference_outputs(module, alts, rc, transform)

    def check_window_rows(self, rows, alleles, ref_out, alt_out, tasks=("y", "z"), logits=False):
        self.assertEqual([(r["chrom"], int(r["pos"]), r["id"], r["ref"], r["alt"]) for r in rows], list(alleles))
        for t, task in enumerate(tasks):
            got = {k: np.array([float(r[f"{task}_{k}"]) for r in rows]) for k in ("ref", "alt", "diff")}
            np.testing.assert_allclose(got["ref"], ref_out[:, t], atol=1e-5, rtol=0)
            np.testing.assert_allclose(got["alt"], alt_out[:, t], atol=1e-5, rtol=0)
            np.testing.assert_allclose(got["diff"], alt_out[:, t] - ref_out[:, t], atol=1e-5, rtol=0)
            if not logits:
                log2 = np.array([float(r[f"{task}_log2"]) for r in rows])
                np.testing.assert_allclose(log2, np.log2((alt_out[:, t] + EPS) / (ref_out[:, t] + EPS)), atol=1e-4,
                                           rtol=1e-4)
            else:
                self.assertNotIn(f"{task}_log2", rows[0])

    def variants(self, *args, output="-"):
        r = self.seqdl("--threads", 2, "variants", "--model", self.model, "--genome", self.genome_path, *args, "-o",
                       output)
        return r

    def handmade_vcf(self, name="hand.vcf", extra=(), sort=True):
        s = self.seq
        other = {"A": "G", "C": "T", "G": "A", "T": "C"}
        lines = [
            f"q\t1000\tsnv\t{s[999]}\t{other[s[999]]}\t50\tPASS\tDP=10",
            f"q\t2000\tdel4\t{s[1999:2004]}\t{s[1999]}\t50\tPASS\tDP=11",
            f"q\t3000\tins7\t{s[2999]}\t{s[2999]}GATTACA\t50\tPASS\tDP=12",
            f"q\t4000\tmulti\t{s[3999]}\t{other[s[3999]]},{other[other[s[3999]]]},{s[3999]}TT\t50\tPASS\tDP=13",
            f"q\t5000\tcomplex\t{s[4999:5002]}\tAC\t50\tPASS\tDP=14",
            f"q\t6000\tbigdel\t{s[5999:6080]}\t{s[5999]}\t50\tPASS\tDP=15",
            f"q\t20\tnearstart\t{s[19]}\t{other[s[19]]}\t50\tPASS\tDP=16",
            f"q\t{len(s) - 5}\tnearend\t{s[-6:-2]}\t{s[-6]}\t50\tPASS\tDP=17",
        ]
        lines += extra
        if sort:
            lines.sort(key=lambda l: int(l.split("\t")[1]))
        header = ("##fileformat=VCFv4.2\n##contig=<ID=q,length=12356>\n"
                  "##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n"
                  "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n")
        return write_text(self.path(name), header + "\n".join(lines) + "\n")

    # -- per-window scores ----------------------------------------------------------------------------------------

    def test_giab_snvs_equal_pytorch_and_torchscript_input_agrees(self):
        rows = read_tsv(self.variants("--vcf", self.giab).stdout.decode())
        alleles = read_vcf_alleles(self.giab)
        self.assertEqual(len(alleles), 14)
        ref_out, alt_out = self.expected_window_scores(alleles)
        self.check_window_rows(rows, alleles, ref_out, alt_out)
        self.assertEqual({r["status"] for r in rows}, {"ok"})
        # The exported TorchScript file scores the same (the command takes either kind of model).
        ts = self.seqdl("variants", "--model", self.script, "--window", 101, "--task-names", "y,z", "--genome",
                        self.genome_path, "--vcf", self.giab, "-o", "-").stdout.decode()
        for a, b in zip(rows, read_tsv(ts)):
            for k in ("y_ref", "y_alt", "z_diff"):
                self.assertAlmostEqual(float(a[k]), float(b[k]), delta=1e-5)

    def test_indels_multiallelic_and_padding_equal_pytorch(self):
        vcf = self.handmade_vcf()
        r = self.variants("--vcf", vcf, "--batch", 3)  # batches that split a multi-allelic record
        rows = read_tsv(r.stdout.decode())
        alleles = read_vcf_alleles(vcf)
        self.assertEqual(len(rows), 10)
        ref_out, alt_out = self.expected_window_scores(alleles)
        self.check_window_rows(rows, alleles, ref_out, alt_out)
        self.assertEqual({row["id"] for row in rows if row["status"] == "padded"}, {"nearstart", "nearend"})
        self.assertEqual({row["status"] for row in rows if row["id"] not in ("nearstart", "nearend")}, {"ok"})
        err = r.stderr.decode()
        self.assertRegex(err, r"scored 10 of 10 alleles \(8 records\)")
        self.assertRegex(err, r"2 scored alleles had windows running off a contig end")
        # The real freebayes calls: 14 SNVs and 2 deletions.
        rows = read_tsv(self.variants("--vcf", self.freebayes, "--logits", "--task", "z").stdout.decode())
        alleles = read_vcf_alleles(self.freebayes)
        self.assertEqual(sum(len(a[3]) > len(a[4]) for a in alleles), 2)
        ref_out, alt_out = self.expected_window_scores(alleles, logits=True)
        self.check_window_rows(rows, alleles, ref_out[:, 1:], alt_out[:, 1:], tasks=("z",), logits=True)
        self.assertNotIn("y_ref", rows[0])

    def test_rc_mean_and_max_equal_both_strands_in_python(self):
        vcf = self.handmade_vcf()
        alleles = read_vcf_alleles(vcf)
        for rc in ("mean", "max"):
            rows = read_tsv(self.variants("--vcf", vcf, "--rc", rc).stdout.decode())
            ref_out, alt_out = self.expected_window_scores(alleles, rc=rc)
            self.check_window_rows(rows, alleles, ref_out, alt_out)

    def test_genome_shorter_than_the_window_is_padded_and_counted(self):
        short = self.seq[100:160]
        genome = write_text(self.path("short.fa"), ">s\n" + short + "\n")
        vcf = write_text(self.path("s.vcf"), "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                         f"s\t30\t.\t{short[29]}\tA\t.\t.\t.\ns\t40\t.\t{short[39:42]}\t{short[39]}\t.\t.\t.\n")
        r = self.seqdl("variants", "--model", self.model, "--genome", genome, "--vcf", vcf, "-o", "-")
        rows = read_tsv(r.stdout.decode())
        self.assertEqual([row["status"] for row in rows], ["padded", "padded"])
        self.assertRegex(r.stderr.decode(), r"2 scored alleles had windows running off a contig end")
        alleles = read_vcf_alleles(vcf)
        ref_out, alt_out = self.expected_window_scores(alleles, seq=short)
        self.check_window_rows(rows, alleles, ref_out, alt_out)

    # -- the annotated VCF ---------------------------------------------------------------------------------------

    def test_annotated_vcf_gz_opens_with_bcftools_and_tabix(self):
        for tool in ("bcftools", "tabix"):
            if shutil.which(tool) is None:
                self.skipTest(f"{tool} is not installed")
        vcf = self.handmade_vcf(extra=["q\t7000\tsym\tA\t<DEL>\t.\t.\t."])
        tsv = read_tsv(self.variants("--vcf", vcf).stdout.decode())
        out = self.path("effects.vcf.gz")
        r = self.variants("--vcf", vcf, output=out)
        self.assertRegex(r.stderr.decode(), r"skipped 1: 1 symbolic ALT")
        self.assertTrue(os.path.exists(out + ".tbi"))
        header = subprocess.run(["bcftools", "view", "-h", out], capture_output=True, text=True, check=True).stdout
        for task in ("y", "z"):
            for kind in ("ref", "alt", "diff", "log2"):
                self.assertRegex(header, rf'##INFO=<ID=SEQDL_{task}_{kind},Number=A,Type=Float,Description="seqdl '
                                         rf'variants: {task}: [^"]+">')
        self.assertRegex(header, r'##INFO=<ID=SEQDL_STATUS,Number=A,Type=String,Description="[^"]+">')
        self.assertIn("##INFO=<ID=DP,", header)
        # Every input record is there once, with all its ALTs and its own INFO kept.
        body = subprocess.run(["bcftools", "query", "-f", "%POS\t%ID\t%ALT\t%INFO/DP\t%INFO/SEQDL_y_diff\t"
                               "%INFO/SEQDL_z_alt\t%INFO/SEQDL_STATUS\n", out], capture_output=True, text=True,
                              check=True).stdout.splitlines()
        self.assertEqual(len(body), 9)
        rows = iter(tsv)
        for line in body:
            pos, vid, alts, dp, diffs, z_alts, status = line.split("\t")
            alts = alts.split(",")
            if vid == "sym":
                self.assertEqual((diffs, status), (".", "skipped_symbolic"))
                next(rows)
                continue
            self.assertNotEqual(dp, ".")
            for alt, diff, z_alt, st in zip(alts, diffs.split(","), z_alts.split(","), status.split(",")):
                row = next(rows)
                self.assertEqual((row["pos"], row["alt"]), (pos, alt))
                self.assertAlmostEqual(float(diff), float(row["y_diff"]), delta=1e-5)
                self.assertAlmostEqual(float(z_alt), float(row["z_alt"]), delta=1e-5)
                self.assertEqual(st, row["status"])
        multi = [l for l in body if l.split("\t")[1] == "multi"][0].split("\t")
        self.assertEqual(len(multi[2].split(",")), 3)
        self.assertEqual(len(multi[4].split(",")), 3)
        # tabix answers a region query on the output.
        hits = subprocess.run(["tabix", out, "q:3990-4010"], capture_output=True, text=True, check=True).stdout
        self.assertEqual([l.split("\t")[2] for l in hits.splitlines()], ["multi"])
        self.assertIn("SEQDL_y_ref=", hits)
        # Plain VCF and VCF on stdout carry the same records.
        plain = self.path("effects.vcf")
        self.variants("--vcf", vcf, output=plain)
        stdout = self.variants("--vcf", vcf, "--format", "vcf").stdout.decode()
        records = [l for l in read_text(plain).splitlines() if not l.startswith("#")]
        self.assertEqual(records, [l for l in stdout.splitlines() if not l.startswith("#")])
        with gzip.open(out, "rt") as f:
            self.assertEqual(records, [l for l in f.read().splitlines() if not l.startswith("#")])
        # An unsorted VCF is annotated all the same, with a warning that the output could not be indexed.
        unsorted = self.handmade_vcf("unsorted.vcf", sort=False)
        out2 = self.path("unsorted.vcf.gz")
        write_text(out2 + ".tbi", "an index of an earlier output")  # must not be left beside the new file
        r = self.variants("--vcf", unsorted, output=out2)
        self.assertRegex(r.stderr.decode(), r"warning: .*unsorted\.vcf\.gz could not be tabix-indexed \(are the records "
                                            r"sorted")
        self.assertTrue(os.path.exists(out2))
        self.assertFalse(os.path.exists(out2 + ".tbi"))
        self.assertEqual(len(subprocess.run(["bcftools", "view", "-H", out2], capture_output=True, text=True,
                                            check=True).stdout.splitlines()), 8)

    def test_giab_vcf_gz_keeps_its_fields(self):
        out = self.path("giab.vcf.gz")
        self.variants("--vcf", self.giab, "--task", "y", output=out)
        if shutil.which("bcftools") is None:
            self.skipTest("bcftools is not installed")
        q = subprocess.run(["bcftools", "query", "-f", "%POS\t%INFO/varType\t%INFO/SEQDL_y_alt\n", out],
                           capture_output=True, text=True, check=True).stdout.splitlines()
        self.assertEqual(len(q), 14)
        self.assertTrue(all(l.split("\t")[1] == "SNP" and l.split("\t")[2] != "." for l in q))
        header = subprocess.run(["bcftools", "view", "-h", out], capture_output=True, text=True, check=True).stdout
        self.assertNotIn("SEQDL_z_", header)  # --task y only

    # -- per-position (SpliceAI) delta scores ------------------------------------------------------------------

    def spliceai_script(self):
        torch, archs = torch_modules()
        path = self.path("splice.pt")
        torch.manual_seed(5)
        model = archs.build("spliceai80", length=1080, tasks=3).eval()
        with torch.no_grad():  # non-trivial batch-norm statistics, so that outputs vary along the sequence
            for m in model.modules():
                if isinstance(m, torch.nn.BatchNorm1d):
                    m.running_mean.uniform_(-0.5, 0.5)
                    m.running_var.uniform_(0.5, 2.0)
        torch.jit.script(model).save(path)
        return path, torch.jit.load(path).eval()

    def expected_deltas(self, module, alleles, width, distance, rc=None):
        torch, _ = torch_modules()
        results = []
        for _, pos, _, ref, alt in alleles:
            r, a = windows(self.seq, pos, ref, alt, width)
            def softmax(x):
                e = np.exp(x - x.max(axis=1, keepdims=True))
                return e / e.sum(axis=1, keepdims=True)
            probs = self.reference_outputs(module, [r, a], rc, softmax)
            positions = probs.shape[2]
            offset = (width - positions) // 2
            p = pos - 1
            start = p - width // 2
            m = min(len(ref), len(alt))
            deltas = []  # (r, alt - ref) on genome positions that both windows hold
            for rel in range(-distance, distance + 1):
                g = p + rel
                ir = g - start
                if g < p + m:
                    ia = ir
                elif g < p + len(ref):
                    continue
                else:
                    ia = ir + len(alt) - len(ref)
                if not (0 <= ia - offset < positions and 0 <= ir - offset < positions):
                    continue
                deltas.append((rel, probs[1, :, ia - offset] - probs[0, :, ir - offset]))
            rels = np.array([d[0] for d in deltas])
            d = np.stack([d[1] for d in deltas])  # [positions compared, tasks]
            results.append((d.max(axis=0), rels[d.argmax(axis=0)], (-d).max(axis=0), rels[(-d).argmax(axis=0)]))
        return results

    def test_spliceai_delta_scores_equal_pytorch(self):
        script, module = self.spliceai_script()
        vcf = self.handmade_vcf()
        alleles = read_vcf_alleles(vcf) + read_vcf_alleles(self.freebayes)
        both = self.path("both.vcf")
        body = [l for l in read_text(vcf).splitlines() if not l.startswith("#")]
        with gzip.open(self.freebayes, "rt") as f:
            body += [l for l in f.read().splitlines() if not l.startswith("#")]
        write_text(both, "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n" +
                   "\n".join("\t".join(l.split("\t")[:8]) for l in body) + "\n")
        for rc, distance in ((None, 50), ("mean", 30)):
            args = ["variants", "--model", script, "--window", 1080, "--task-names", "neither,acceptor,donor",
                    "--task-type", "multiclass", "--genome", self.genome_path, "--vcf", both, "--distance", distance,
                    "-o", "-"]
            if rc:
                args += ["--rc", rc]
            rows = read_tsv(self.seqdl("--threads", 2, *args).stdout.decode())
            self.assertEqual(len(rows), len(alleles))
            expected = self.expected_deltas(module, alleles, 1080, distance, rc)
            for row, (gain, gain_pos, loss, loss_pos) in zip(rows, expected):
                for t, task in enumerate(("neither", "acceptor", "donor")):
                    self.assertAlmostEqual(float(row[f"{task}_gain"]), gain[t], delta=1e-5, msg=row)
                    self.assertAlmostEqual(float(row[f"{task}_loss"]), loss[t], delta=1e-5, msg=row)
                    self.assertEqual(int(row[f"{task}_gain_pos"]), gain_pos[t], msg=row)
                    self.assertEqual(int(row[f"{task}_loss_pos"]), loss_pos[t], msg=row)
        self.assert_error("variants", "--model", script, "--window", 1080, "--genome", self.genome_path, "--vcf", both,
                          "--distance", 600, "-o", self.path("x.tsv"), command="variants",
                          pattern=r"--distance 600 reaches past the model's outputs", outputs=[self.path("x.tsv")])

    # -- skipped alleles and rejected inputs --------------------------------------------------------------------

    def vcf(self, name, body):
        return write_text(self.path(name), "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n" + body)

    def reject(self, *args, pattern, out="x.vcf.gz"):
        path = self.path(out)
        return self.assert_error("variants", "--model", self.model, "--genome", self.genome_path, *args, "-o", path,
                                 command="variants", pattern=pattern, outputs=[path, path + ".tbi"])

    def test_nothing_to_score_is_one_error_line(self):
        contigs = self.vcf("contigs.vcf", "chr1\t100\t.\tA\tG\t.\t.\t.\nchr2\t5\t.\tC\tT\t.\t.\t.\n")
        self.reject("--vcf", contigs,
                    pattern=r"no allele of .*contigs\.vcf could be scored \(2 skipped: 2 contig not in the genome; "
                            r"first: record 1 \(chr1:100 A>G\): contig 'chr1' is not in .*q\.fa")
        for fmt in ("tsv", "vcf"):  # not even a header reaches stdout
            r = self.run_seqdl("variants", "--model", self.model, "--genome", self.genome_path, "--vcf", contigs,
                               "--format", fmt, "-o", "-")
            self.assertEqual((r.returncode, r.stdout, len(r.stderr.splitlines())), (2, b"", 1), r.stderr)
        self.reject("--vcf", self.vcf("sym.vcf", f"q\t100\t.\t{self.seq[99]}\t<DEL>\t.\t.\t.\n"),
                    pattern=r"1 symbolic ALT; first: record 1 .*symbolic ALT '<DEL>'")
        self.reject("--vcf", self.vcf("empty.vcf", ""), pattern=r"empty\.vcf holds no variants")

    def test_skipped_alleles_are_warned_counted_and_written_with_a_status(self):
        s = self.seq
        wrong = "A" if s[499] != "A" else "C"
        body = (f"q\t100\tok\t{s[99]}\tT\t.\t.\t.\n"
                f"chrZ\t5\tnocontig\tA\tG\t.\t.\t.\n"
                f"q\t300\tsym\t{s[299]}\t<DEL>,T\t.\t.\t.\n"
                f"q\t400\tstar\t{s[399]}\t*\t.\t.\t.\n"
                f"q\t500\tmismatch\t{wrong}\tG,T\t.\t.\t.\n"
                f"q\t12355\tpastend\t{s[-2:]}A\t{s[-2]}\t.\t.\t.\n"
                f"q\t600\tbnd\t{s[599]}\t{s[599]}]q:700]\t.\t.\t.\n")
        vcf = self.vcf("mixed.vcf", body)
        r = self.run_seqdl("variants", "--model", self.model, "--genome", self.genome_path, "--vcf", vcf, "-o", "-")
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        rows = read_tsv(r.stdout.decode())
        self.assertEqual([(row["id"], row["status"]) for row in rows],
                         [("ok", "ok"), ("nocontig", "skipped_unknown_contig"), ("sym", "skipped_symbolic"),
                          ("sym", "ok"), ("star", "skipped_symbolic"), ("mismatch", "skipped_ref_mismatch"),
                          ("mismatch", "skipped_ref_mismatch"), ("pastend", "skipped_past_end"),
                          ("bnd", "skipped_symbolic")])
        self.assertEqual(rows[1]["y_ref"], "NA")
        err = r.stderr.decode()
        # One warning per record, naming it and what the genome has.
        self.assertEqual(err.count("record 5 (q:500"), 1, err)
        self.assertRegex(err, rf"record 5 \(q:500 {wrong}>G mismatch\): REF does not match the genome, which has "
                              rf"'{s[499]}' there; skipped")
        self.assertRegex(err, r"record 2 \(chrZ:5 A>G nocontig\): contig 'chrZ' is not in")
        self.assertRegex(err, r"record 6 .*REF ends past the end of contig 'q' \(12,356 bases\)")
        self.assertRegex(err, r"scored 2 of 9 alleles \(7 records\)")
        self.assertRegex(err, r"skipped 7: 3 symbolic ALT, 1 contig not in the genome, 1 REF past the contig end, "
                              r"2 REF mismatch")
        # --ref-mismatch error stops at the first mismatch; score scores it on the genome's bases.
        first = self.vcf("first.vcf", "".join(l + "\n" for l in body.splitlines() if "\tok\t" in l or "mismatch" in l))
        self.reject("--vcf", first, "--ref-mismatch", "error",
                    pattern=rf"record 2 \(q:500 {wrong}>G mismatch\): REF does not match the genome, which has "
                            rf"'{s[499]}' there \(--ref-mismatch error\)")
        r = self.seqdl("variants", "--model", self.model, "--genome", self.genome_path, "--vcf", vcf, "--ref-mismatch",
                       "score", "-o", "-")
        rows = [row for row in read_tsv(r.stdout.decode()) if row["id"] == "mismatch"]
        self.assertEqual([row["status"] for row in rows], ["ref_mismatch", "ref_mismatch"])
        ref_out, alt_out = self.expected_window_scores([("q", 500, "mismatch", wrong, "G"), ("q", 500, "mismatch",
                                                                                            wrong, "T")])
        self.check_window_rows(rows, [("q", 500, "mismatch", wrong, "G"), ("q", 500, "mismatch", wrong, "T")], ref_out,
                               alt_out)
        self.assertRegex(r.stderr.decode(), r"scored anyway \(--ref-mismatch score\)")

    def test_bad_options_and_files(self):
        giab = ["--vcf", self.giab]
        self.reject(*giab, "--task", "5", pattern=r"--task '5': the model's outputs are y, z \(or an index 0-1\)")
        self.reject(*giab, "--task", "nope", pattern=r"--task 'nope'")
        self.reject("--vcf", self.path("missing.vcf"), pattern=r"cannot open .*missing\.vcf")
        self.assert_error("variants", "--model", self.model, "--genome", self.path("nope.fa"), *giab, "-o",
                          self.path("x.tsv"), command="variants", pattern=r"nope\.fa", outputs=[self.path("x.tsv")])
        self.reject(*giab, "--format", "bed", pattern=r"--format")
        bad = self.vcf("bad.vcf", f"q\t100\t.\t{self.seq[99]}\tT\t.\t.\t.\nq\tnotanumber\t.\tA\tG\t.\t.\t.\n")
        self.reject("--vcf", bad, pattern=r"bad\.vcf: record 2: POS is not a positive integer")
        tabs = self.vcf("tabs.vcf", f"q\t100\t.\t{self.seq[99]}\tT\t.\t.\t.\nq\t200\n")
        self.reject("--vcf", tabs, pattern=r"tabs\.vcf: record 2 has no REF allele")
        self.reject("--vcf", write_text(self.path("junk.vcf"), "this is not a VCF\n"), pattern=r"not a VCF")
        self.reject("--vcf", "-", "--format", "vcf", pattern=r"--vcf -: VCF output reads the input twice",
                    out="x.vcf")
        # A VCF on stdin works for TSV output.
        r = self.run_seqdl("variants", "--model", self.model, "--genome", self.genome_path, "--vcf", "-", "-o", "-",
                           stdin=gzip.open(self.giab).read())
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertEqual(len(read_tsv(r.stdout.decode())), 14)


if __name__ == "__main__":
    main()
