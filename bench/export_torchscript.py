"""Exports a seqdl zoo model (.seqdl) as TorchScript of the reference PyTorch architecture with the same weights,
so that the reference scripts run exactly the model seqdl runs.

usage: export_torchscript.py MODEL.seqdl ARCH OUT.pt
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "cli"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "shared", "bench", "reference"))

import torch  # noqa: E402
import archs  # noqa: E402
from seqdl_model import read_archive  # noqa: E402


def reference_model(model_path, arch):
    header, tensors = read_archive(model_path)
    ref = archs.build(arch, length=header["input_length"], tasks=header["tasks"]).eval()
    ours = [(t["name"], tensors[t["name"]]) for t in header["tensors"] if not t["name"].endswith("num_batches_tracked")]
    params = [n for n, _ in ref.named_parameters()]
    buffers = [n for n, _ in ref.named_buffers() if not n.endswith("num_batches_tracked") and n != "pe"]
    ours = [(n, v) for n, v in ours if not n.endswith(".pe")]
    if len(ours) != len(params) + len(buffers):
        raise SystemExit(f"{model_path}: {len(ours)} tensors, the reference {arch} has {len(params) + len(buffers)}")
    state = ref.state_dict()
    for (name, value), ref_name in zip(ours, params + buffers):
        if tuple(value.shape) != tuple(state[ref_name].shape):
            raise SystemExit(f"{name} {value.shape} does not fit {ref_name} {tuple(state[ref_name].shape)}")
        state[ref_name] = torch.from_numpy(value.copy())
    ref.load_state_dict(state)
    return ref


if __name__ == "__main__":
    model, arch, out = sys.argv[1:4]
    torch.jit.script(reference_model(model, arch)).save(out)
