"""Crafted model files for the untrusted-model tests (test_untrusted_models.py) and rejected_inputs.tsv's
{crafted:KIND} rows: each is a real model file (a small trained .seqdl, or TorchScript) changed in one way that a
hostile or damaged file could be, with a valid checksum unless the change is the checksum.

craft(kind, path, base_model) writes the file and returns `path`. KIND:
  .seqdl  huge-tensor       the table declares a 100 GB tensor that the file does not hold
          overflow-shape    a shape whose element count overflows 64 bits
          wrapping-sizes    two tensors whose byte counts add up past 2^64 to exactly what the file holds
          huge-header       the header length field claims 1 TB
          header-not-json   the header is not JSON
          wrong-shape       a weight with another shape than the architecture's
          missing-tensor    a weight left out
          extra-tensor      a tensor the architecture does not have
          nan-weights       NaN in a weight
          inf-weights       +inf in a weight
          absurd-filters    the spec asks for a convolution with 10^12 filters
          absurd-units      the spec asks for a [10^12, 10^12] linear layer
          negative-length   input length -5
          bad-metadata      metadata fields of the wrong JSON types (validation.auprc a string, data a list)
          float-dimension   a tensor dimension written as a float beyond int64 (9.25e19)
          float-length      the header's input length written as 1e30
          float-metadata    metadata counts written as floats beyond int (epoch 1e30, splits.train 1e300)
          version-2         format version 2
          bad-checksum      one byte of a weight flipped, checksum left as it was
  TorchScript ts-not-torchscript  a zip archive that is not TorchScript
          ts-truncated      the first half of a TorchScript file
          ts-forward-throws a TorchScript module whose forward raises
          ts-wrong-output   a TorchScript module that returns its input ([batch, 4, L]: not scores)
          ts-no-metadata    a good TorchScript module without seqdl.json (no input length)
"""
import copy
import io
import json
import struct
import zipfile
import zlib

import numpy as np

from seqdl_model import read_archive, write_archive


def _seqdl(kind, path, base):
    header, tensors = read_archive(base)
    header = {k: v for k, v in header.items() if k != "tensors"}
    items = list(tensors.items())
    first = items[0][0]
    if kind == "huge-tensor":
        table = [{"name": "huge", "dtype": "float32", "shape": [25_000_000_000], "offset": 0,
                  "bytes": 100_000_000_000}]
        return write_archive(path, header, [], table=table)
    if kind == "overflow-shape":
        table = [{"name": first, "dtype": "float32", "shape": [2**62, 2**62], "offset": 0, "bytes": 16}]
        return write_archive(path, header, [(first, np.zeros(4, np.float32))], table=table)
    if kind == "wrapping-sizes":
        # uint8 [2^63 - 1, 2] = 2^64 - 2 bytes; plus a real 16-byte tensor: the sum wraps around to 14 bytes.
        real = np.zeros(4, np.float32)
        table = [{"name": first, "dtype": "float32", "shape": [4], "offset": 0, "bytes": 16},
                 {"name": "wrap", "dtype": "uint8", "shape": [2**63 - 1, 2], "offset": 16, "bytes": 2**64 - 2}]
        path = write_archive(path, header, [(first, real)], table=table)
        with open(path, "rb") as f:
            data = f.read()
        # The file must hold exactly 20 + header + (16 + 2^64 - 2 mod 2^64 = 14) + 4 bytes: drop 2 of the 16.
        body = data[:-4 - 2]
        with open(path, "wb") as f:
            f.write(body + struct.pack("<I", zlib.crc32(body)))
        return path
    if kind == "float-dimension":
        path = write_archive(path, header, items)
        with open(path, "rb") as f:
            data = f.read()
        shape = json.dumps(list(items[0][1].shape)).encode()
        head_len = struct.unpack_from("<Q", data, 12)[0]
        head = data[20:20 + head_len].replace(b'"shape": ' + shape, b'"shape": [9.25e19, 2]', 1)
        body = data[:12] + struct.pack("<Q", len(head)) + head + data[20 + head_len:-4]
        with open(path, "wb") as f:
            f.write(body + struct.pack("<I", zlib.crc32(body)))
        return path
    if kind == "huge-header":
        with open(base, "rb") as f:
            data = bytearray(f.read())
        data[12:20] = struct.pack("<Q", 1 << 40)
        with open(path, "wb") as f:
            f.write(data)
        return path
    if kind == "header-not-json":
        text = b"{not json"
        body = b"SEQDLMOD" + struct.pack("<IQ", 1, len(text)) + text
        with open(path, "wb") as f:
            f.write(body + struct.pack("<I", zlib.crc32(body)))
        return path
    if kind == "wrong-shape":
        items[0] = (first, np.zeros(tuple(d + 1 for d in items[0][1].shape), np.float32))
    elif kind == "missing-tensor":
        items = items[1:]
    elif kind == "extra-tensor":
        items.append(("layers.99.weight", np.zeros(3, np.float32)))
    elif kind in ("nan-weights", "inf-weights"):
        w = items[0][1].copy()
        w.flat[0] = np.nan if kind == "nan-weights" else np.inf
        items[0] = (first, w)
    elif kind in ("absurd-filters", "absurd-units"):
        header = copy.deepcopy(header)
        layers = header["spec"]["layers"]
        if kind == "absurd-filters":
            layers[0]["filters"] = 10**12
        else:
            layers.insert(len(layers) - 1, {"type": "linear", "units": 10**12})
            layers.insert(len(layers) - 1, {"type": "linear", "units": 10**12})
    elif kind == "negative-length":
        header = dict(header, input_length=-5)
    elif kind == "float-length":
        header = dict(header, input_length=1e30)
    elif kind == "float-metadata":
        meta = copy.deepcopy(header["metadata"])
        meta["validation"] = {"epoch": 1e30, "auprc": 0.5, "auroc": 0.5}
        meta["splits"] = {"train": 1e300, "valid": -3, "test": 2}
        header = dict(header, metadata=meta)
    elif kind == "bad-metadata":
        meta = copy.deepcopy(header["metadata"])
        meta["validation"] = {"auprc": "high", "auroc": [1], "epoch": "last"}
        meta["data"] = ["not", "an", "object"]
        meta["splits"] = {"train": "many"}
        header = dict(header, metadata=meta)
    elif kind == "version-2":
        return write_archive(path, header, items, version=2)
    elif kind == "bad-checksum":
        write_archive(path, header, items)
        with open(path, "rb") as f:
            data = bytearray(f.read())
        data[-5] ^= 0x55
        with open(path, "wb") as f:
            f.write(data)
        return path
    else:
        raise ValueError(f"unknown crafted model kind '{kind}'")
    return write_archive(path, header, items)


def _torchscript(kind, path):
    import torch

    class Throws(torch.nn.Module):
        def forward(self, x):
            if x.size(2) > 0:
                raise RuntimeError("this model refuses every input")
            return x.sum(dim=2)

    class Identity(torch.nn.Module):
        def forward(self, x):
            return x

    meta = {"seqdl.json": json.dumps({"input_length": 30, "task_names": ["y"]})}
    if kind == "ts-not-torchscript":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("archive/data.pkl", b"not a pickle")
            z.writestr("readme.txt", "hello")
        return path
    class Scores(torch.nn.Module):
        def forward(self, x):
            return x.sum(dim=(1, 2)).unsqueeze(1)

    module = {"ts-forward-throws": Throws(), "ts-no-metadata": Scores()}.get(kind, Identity())
    buffer = io.BytesIO()
    torch.jit.save(torch.jit.script(module), buffer, _extra_files={} if kind == "ts-no-metadata" else meta)
    data = buffer.getvalue()
    if kind == "ts-truncated":
        data = data[: len(data) // 2]
    elif kind not in ("ts-forward-throws", "ts-wrong-output", "ts-no-metadata"):
        raise ValueError(f"unknown crafted model kind '{kind}'")
    with open(path, "wb") as f:
        f.write(data)
    return path


def craft(kind, path, base_model):
    if kind.startswith("ts-"):
        return _torchscript(kind, path + ".pt")
    return _seqdl(kind, path + ".seqdl", base_model)
