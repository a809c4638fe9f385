"""TorchScript import end to end: PyTorch exports (torch.jit.script and torch.jit.trace) of the reference architectures
run as seqdl's layers, through the fast paths (shared-trunk scans, local-recompute ISM, variants), with the numbers the
TorchScript module gives when run as it is (--no-import: LibTorch's interpreter, an independent computation of the
same model); models that do not import run as before and say why; `seqdl import` writes a .seqdl with the same
outputs; `seqdl info x.pt` reports the import."""
import hashlib
import json
import os
import subprocess

import numpy as np

from seqdl_model import read_archive
from seqdl_test import PYTHON, REFERENCE_DIR, CliTest, fasta_dict, main, shared, torch_modules, write_text

GENOME = shared("korflab_1pct_genomes", "celegans", "celegans_WS282_1pct.fa")
VARIANT_GENOME = shared("freebayes_tiny_na12878", "q.fa")
VARIANT_VCF = shared("freebayes_tiny_na12878", "NA12878.chr22.tiny.giab.vcf.gz")


def random_fasta(path, n, length, seed):
    rng = np.random.default_rng(seed)
    write_text(path, "".join(f">s{i}\n{''.join(rng.choice(list('ACGT'), length))}\n" for i in range(n)))
    return path


class ImportTest(CliTest):
    def export(self, arch, mode, length, tasks=None, name=None):
        """A reference architecture with seeded weights and batch-norm statistics that are not the identity,
        exported by torch.jit.script or torch.jit.trace; returns the .pt path."""
        torch, archs = torch_modules()
        torch.manual_seed(0)
        model = archs.build(arch, length=length, tasks=tasks).eval()
        with torch.no_grad():
            for m in model.modules():
                if isinstance(m, torch.nn.BatchNorm1d):
                    m.running_mean.uniform_(-0.5, 0.5)
                    m.running_var.uniform_(0.5, 2.0)
                    m.weight.uniform_(0.5, 1.5)
                    m.bias.uniform_(-0.2, 0.2)
        path = self.path(name or f"{arch}_{mode}.pt")
        exported = torch.jit.script(model) if mode == "script" else torch.jit.trace(model, torch.zeros(2, 4, length))
        exported.save(path)
        return path

    def info(self, pt, window, *extra):
        return json.loads(self.seqdl("info", pt, "--window", window, "--json", *extra).stdout)

    def both(self, command, pt, window, *args, out_name):
        """Runs `seqdl -v <command>` on the imported model and with --no-import; returns (ours, theirs, stderr)."""
        ours, theirs = self.path(f"{out_name}.npy"), self.path(f"{out_name}_ts.npy")
        r = self.seqdl("-v", "--threads", 2, command, "--model", pt, "--window", window, *args, "-o", ours)
        self.seqdl("--threads", 2, command, "--model", pt, "--window", window, "--no-import", *args, "-o", theirs)
        return np.load(ours), np.load(theirs), r.stderr.decode()


class ReferenceArchitectures(ImportTest):
    def check(self, arch, mode, window, stride, engine, ism_args=(), variants_args=()):
        pt = self.export(arch, mode, window)
        info = self.info(pt, window)
        self.assertTrue(info["imported"], info["stopped_by"])
        self.assertTrue(info["fast_paths"]["shared trunk"].startswith("yes"), info["fast_paths"])
        self.assertTrue(info["fast_paths"]["fast ISM"].startswith("yes"), info["fast_paths"])
        # A genome scan through the shared trunk (or whole chunks) equals the module run window by window.
        ours, theirs, err = self.both("predict", pt, window, "--genome", GENOME, "--regions", "II:20001-29600",
                                      "--stride", stride, "--edges", "skip", "--logits", out_name="scan")
        self.assertIn("imported into seqdl's layers", err)
        self.assertRegex(err, f"engine: {engine}")
        self.assertGreater(len(theirs), 0)
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-5 * max(1.0, np.abs(theirs).max()))
        # Fast ISM (local recomputation) equals naive ISM through the module.
        fasta = random_fasta(self.path("seqs.fa"), 2, window, 4)
        ours, theirs, err = self.both("ism", pt, window, *ism_args, fasta, out_name="ism")
        self.assertIn("fast (local recomputation)", err)
        self.assertGreater(np.abs(theirs).max(), 0)
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-5 * max(1.0, np.abs(theirs).max()))
        # Variant effects.
        args = ["variants", "--model", pt, "--window", window, "--genome", VARIANT_GENOME, "--vcf", VARIANT_VCF,
                "--logits", *variants_args, "-o", "-"]
        a = self.seqdl("--threads", 2, *args).stdout.decode().splitlines()
        b = self.seqdl("--threads", 2, *args, "--no-import").stdout.decode().splitlines()
        self.assertEqual(len(a), len(b))
        self.assertGreater(len(a), 10)
        for x, y in zip(a[1:], b[1:]):
            for u, v in zip(x.split("\t"), y.split("\t")):
                try:
                    self.assertAlmostEqual(float(u), float(v), delta=1e-4 * max(1.0, abs(float(v))))
                except ValueError:
                    self.assertEqual(u, v)

    def test_deepbind_script(self):
        self.check("deepbind", "script", 101, 1, "shared trunk")

    def test_deepbind_trace(self):
        self.check("deepbind", "trace", 101, 1, "shared trunk")

    def test_basset_script(self):
        self.check("basset", "script", 600, 48, "shared trunk", ism_args=("--start", 250, "--end", 350))

    def test_basset_trace(self):
        self.check("basset", "trace", 600, 48, "shared trunk", ism_args=("--start", 250, "--end", 350))

    def test_deepsea_script(self):
        self.check("deepsea", "script", 1000, 96, "shared trunk", ism_args=("--start", 490, "--end", 520))

    def test_deepsea_trace(self):
        self.check("deepsea", "trace", 1000, 96, "shared trunk", ism_args=("--start", 490, "--end", 520))

    def test_spliceai80_script(self):
        self.check("spliceai80", "script", 1080, 1000, "whole chunks",
                   ism_args=("--start", 520, "--end", 560, "--target", 1), variants_args=("--distance", 50))

    def test_spliceai80_trace(self):
        self.check("spliceai80", "trace", 1080, 1000, "whole chunks",
                   ism_args=("--start", 520, "--end", 560, "--target", 1), variants_args=("--distance", 50))


class OtherModels(ImportTest):
    def predictions(self, pt, window, *extra):
        fasta = random_fasta(self.path("few.fa"), 3, window, 9)
        out = self.path("p.npy")
        r = self.seqdl("-v", "--threads", 2, "predict", "--model", pt, "--window", window, "--sequences", fasta,
                       "--logits", *extra, "-o", out)
        return np.load(out), r.stderr.decode()

    def test_danq_imports_with_its_lstm(self):
        pt = self.export("danq", "script", 1000, tasks=3)
        info = self.info(pt, 1000)
        self.assertTrue(info["imported"], info["stopped_by"])
        self.assertIn("bilstm", [l["type"] for l in info["architecture"]["layers"]])
        self.assertTrue(info["fast_paths"]["DeepLIFT rules"].startswith("no"))
        ours, _ = self.predictions(pt, 1000)
        theirs, err = self.predictions(pt, 1000, "--no-import")
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)

    def test_transformer_says_what_stops_it(self):
        pt = self.export("transformer", "script", 1000)
        info = self.info(pt, 1000)
        self.assertFalse(info["imported"])
        self.assertRegex(info["stopped_by"], r"aten::add \(archs\.py line \d+\): it adds a constant of shape "
                                             r"\[250,128\] to activations")
        _, err = self.predictions(pt, 1000)
        self.assertRegex(err, r"not imported into seqdl's layers: aten::add .*; running it as TorchScript")
        self.assertIn("its layers not visible", self.seqdl("info", pt, "--window", 1000).stdout.decode())

    def write_module(self, body, name):
        """A TorchScript file from a small module written here (jit.script needs a source file)."""
        script = self.path(f"{name}.py")
        pt = self.path(f"{name}.pt")
        write_text(script, "import torch\n" + body + f"\ntorch.manual_seed(1)\ntorch.jit.script(M().eval()).save({pt!r})\n")
        subprocess.run([PYTHON, script], check=True, capture_output=True)
        return pt

    def test_unknown_ops_run_as_torchscript_with_the_reason_in_verbose_output(self):
        gru = self.write_module("""
class M(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv1d(4, 8, 5)
        self.gru = torch.nn.GRU(8, 6, batch_first=True)
        self.out = torch.nn.Linear(6, 2)
    def forward(self, x):
        h, _ = self.gru(torch.relu(self.conv(x)).transpose(1, 2))
        return self.out(h[:, -1])
""", "gru")
        custom = self.write_module("""
class M(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv1d(4, 8, 5)
    def forward(self, x):
        return torch.sin(self.conv(x)).amax(dim=2)
""", "custom")
        for pt, op in ((gru, "aten::gru"), (custom, "aten::sin")):
            values, err = self.predictions(pt, 50)
            self.assertRegex(err, f"not imported into seqdl's layers: {op} \\({os.path.basename(pt)[:-3]}\\.py line "
                                  f"\\d+\\): seqdl has no layer for this op; running it as TorchScript")
            self.assertNotIn("warning", err)
            self.assertEqual(values.shape[0], 3)
            # Without -v the fallback is silent (it is not a problem: the model runs as it always did).
            fasta = random_fasta(self.path("one.fa"), 1, 50, 2)
            r = self.seqdl("predict", "--model", pt, "--window", 50, "--sequences", fasta, "-o", self.path("q.tsv"))
            self.assertEqual(r.stderr.decode().count("not imported"), 0)

    def test_bpnet_profile_and_counts_heads(self):
        torch, _ = torch_modules()
        import sys
        sys.path.insert(0, REFERENCE_DIR)
        from bpnet import BPNet
        torch.manual_seed(0)
        pt = self.path("bpnet.pt")
        torch.jit.script(BPNet().eval()).save(pt)
        info = self.info(pt, 2114)
        self.assertTrue(info["imported"], info["stopped_by"])
        self.assertEqual([o["name"] for o in info["architecture"]["outputs"]], ["logits", "output1"])
        ours, _ = self.predictions(pt, 2114)
        theirs, _ = self.predictions(pt, 2114, "--no-import")
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


class ImportCommand(ImportTest):
    def test_round_trip_metadata_and_info(self):
        pt = self.export("basset", "trace", 600, tasks=3)
        out = self.path("basset.seqdl")
        r = self.seqdl("import", pt, "--window", 600, "--task-names", "a,b,c", "--task-type", "multilabel", "-o", out)
        self.assertRegex(r.stderr.decode(), r"imported .*: 20 layers, [\d,]+ parameters")
        header, _ = read_archive(out)
        meta = header["metadata"]
        with open(pt, "rb") as f:
            self.assertEqual(meta["source"]["md5"], hashlib.md5(f.read()).hexdigest())
        self.assertEqual(meta["task_names"], ["a", "b", "c"])
        self.assertEqual(meta["task_type"], "multilabel")
        text = self.seqdl("info", out).stdout.decode()
        self.assertIn("imported from", text)
        self.assertIn(meta["source"]["md5"], text)
        # The .seqdl file gives the TorchScript module's outputs.
        fasta = random_fasta(self.path("s.fa"), 4, 600, 1)
        a, b = self.path("a.npy"), self.path("b.npy")
        self.seqdl("predict", "--model", out, "--sequences", fasta, "--logits", "-o", a)
        self.seqdl("predict", "--model", pt, "--window", 600, "--no-import", "--sequences", fasta, "--logits", "-o", b)
        np.testing.assert_allclose(np.load(a), np.load(b), rtol=1e-5, atol=1e-6)

    def test_info_text(self):
        pt = self.export("deepbind", "script", 101)
        text = self.seqdl("info", pt, "--window", 101).stdout.decode()
        self.assertRegex(text, r"imported +yes: equal to the TorchScript forward within")
        self.assertRegex(text, r"shared trunk +yes")
        self.assertRegex(text, r"receptive field +24 bp")
        self.assertRegex(text, r"\nconv +conv +\[4, 101\] -> \[16, 78\]")
        text = self.seqdl("info", pt, "--window", 101, "--no-import").stdout.decode()
        self.assertRegex(text, r"imported +no, runs as TorchScript: --no-import")

    def test_rejected(self):
        pt = self.export("transformer", "script", 1000)
        out = self.path("t.seqdl")
        self.assert_error("import", pt, "--window", 1000, "-o", out, command="import", outputs=[out],
                          pattern=r"cannot import .*t_script\.pt|cannot import .*transformer_script\.pt.*aten::add")
        db = self.export("deepbind", "script", 101)
        self.assert_error("import", db, "-o", out, command="import", pattern=r"give --window", outputs=[out])
        self.assert_error("import", db, "--window", 101, "-o", "-", command="import", pattern=r"not stdout")
        self.assert_error("import", self.path("missing.pt"), "--window", 101, "-o", out, command="import",
                          pattern=r"missing\.pt", outputs=[out])
        # Shorter than DeepBind's filters: the module itself fails on it.
        self.assert_error("import", db, "--window", 10, "-o", out, command="import", outputs=[out],
                          pattern=r"cannot import .*deepbind_script\.pt into seqdl's layers: aten::conv1d .*cannot be "
                                  r"run on the probe input")
        self.assert_error("info", db, command="info", pattern=r"give --window")


if __name__ == "__main__":
    main()
