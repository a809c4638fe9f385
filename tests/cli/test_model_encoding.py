"""Every command that runs a model encodes N the way the model says: a TorchScript file whose seqdl.json declares
`"unknown": "uniform"` is fed 0.25 per channel at N by predict, saliency, ism, variants and evaluate alike, and
--unknown overrides it.

The model counts bases: its one output is sum(x) - (L - 0.5), so an N adds 1 under `uniform` (4 x 0.25) and 0
under `zero`. Each test computes what each encoding must give by hand and checks that the two differ, so a
command that ignored the declaration would fail."""
import json
import os

import numpy as np

from seqdl_test import CliTest, main, torch_modules, write_text

L = 20
SEQ = "ACGTA" + "NN" + "CGTACGTACGTAC"  # 20 bases, N at 5 and 6


class ModelEncoding(CliTest):
    def model(self, unknown):
        torch, _ = torch_modules()

        class CountBases(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.shift = L - 0.5

            def forward(self, x):
                return (x.sum(dim=(1, 2)) - self.shift).unsqueeze(1)

        path = self.path(f"count_{unknown}.pt")
        meta = {"input_length": L, "task_names": ["count"]}
        if unknown is not None:
            meta["unknown"] = unknown
        torch.jit.save(torch.jit.script(CountBases()), path, _extra_files={"seqdl.json": json.dumps(meta)})
        return path

    def fasta(self):
        return write_text(self.path("seqs.fa"), f">s\n{SEQ}\n")

    def predict_logit(self, model, *extra):
        out = self.path("p.tsv")
        self.seqdl("predict", "--model", model, "--sequences", self.fasta(), "--logits", "-o", out, *extra)
        rows = [l.split("\t") for l in open(out).read().splitlines()]
        return float(rows[1][rows[0].index("count")])

    def test_predict(self):
        self.assertAlmostEqual(self.predict_logit(self.model("uniform")), 0.5, places=5)
        self.assertAlmostEqual(self.predict_logit(self.model(None)), -1.5, places=5)
        self.assertAlmostEqual(self.predict_logit(self.model("uniform"), "--unknown", "zero"), -1.5, places=5)

    def test_saliency(self):
        # grad x input: the gradient is 1 everywhere, so an N column holds the encoding itself.
        for unknown, expected in (("uniform", 0.25), (None, 0.0)):
            out = self.path(f"a_{unknown}.npy")
            self.seqdl("saliency", "--model", self.model(unknown), "--method", "grad-x-input", "-o", out, self.fasta())
            a = np.load(out)
            np.testing.assert_allclose(a[0, :, 5], [expected] * 4, atol=1e-6)
            np.testing.assert_allclose(a[0, :, 0], [1, 0, 0, 0], atol=1e-6)

    def test_ism(self):
        # A base in place of an N adds 1 - 0 (zero) or 1 - 1 (uniform) to the count.
        for unknown, expected in (("uniform", 0.0), (None, 1.0)):
            out = self.path(f"d_{unknown}.npy")
            self.seqdl("ism", "--model", self.model(unknown), "--method", "naive", "-o", out, self.fasta())
            d = np.load(out)
            np.testing.assert_allclose(d[0, :, 5], [expected] * 4, atol=1e-5)

    def test_variants(self):
        genome = write_text(self.path("g.fa"), ">c\n" + "ACGT" * 5 + "NN" + "ACGT" * 5 + "\n")
        vcf = write_text(self.path("v.vcf"), "##fileformat=VCFv4.2\n##contig=<ID=c,length=42>\n"
                         "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nc\t19\t.\tG\tA\t.\t.\t.\n")
        for unknown, ref in (("uniform", 0.5), (None, -1.5)):
            out = self.path(f"v_{unknown}.tsv")
            self.seqdl("variants", "--model", self.model(unknown), "--genome", genome, "--vcf", vcf, "--logits",
                       "-o", out)
            rows = [l.split("\t") for l in open(out).read().splitlines()]
            self.assertAlmostEqual(float(rows[1][rows[0].index("count_ref")]), ref, places=5)

    def test_evaluate(self):
        # The positive holds two Ns, the negative none: under `zero` it scores below the negative (AUROC 0),
        # under `uniform` the two tie (AUROC 0.5).
        table = write_text(self.path("t.tsv"), f"id\tsequence\tcount\np\t{SEQ}\t1\nn\t{SEQ.replace('N', 'A')}\t0\n")
        for unknown, auroc in (("uniform", 0.5), (None, 0.0)):
            r = self.seqdl("evaluate", "--model", self.model(unknown), "--table", table, "--json")
            j = json.loads(r.stdout)
            self.assertAlmostEqual(j["tasks"][0]["auroc"], auroc, places=6)
            self.assertEqual(j["inputs"]["unknown"], unknown or "zero")

    def test_bad_declarations_are_refused(self):
        torch, _ = torch_modules()
        path = self.path("bad.pt")
        torch.jit.save(torch.jit.script(torch.nn.Flatten()), path,
                       _extra_files={"seqdl.json": json.dumps({"input_length": 4, "task_type": "binray"})})
        self.assert_error("predict", "--model", path, "--sequences", self.fasta(), "-o", self.path("x.tsv"),
                          command="predict", pattern=r"task_type: expected binary, multilabel or multiclass, found "
                                                     r"'binray'", outputs=[self.path("x.tsv")])
        torch.jit.save(torch.jit.script(torch.nn.Flatten()), path,
                       _extra_files={"seqdl.json": json.dumps({"input_length": 4, "unknown": "half"})})
        self.assert_error("predict", "--model", path, "--sequences", self.fasta(), "-o", self.path("x.tsv"),
                          command="predict", pattern=r"unknown: expected zero, uniform or iupac, found 'half'")
        self.assert_error("predict", "--model", path, "--task-type", "binray", "--sequences", self.fasta(), "-o",
                          self.path("x.tsv"), command="predict", pattern=r"--task-type")


if __name__ == "__main__":
    main()
