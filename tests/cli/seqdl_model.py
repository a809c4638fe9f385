"""An independent reader of seqdl's tensor archives (.seqdl models, .ckpt checkpoints), written from the format
description in lib/nn/tensor_archive.hpp, for tests that compare weights or load them into PyTorch."""
import json
import struct
import zlib

import numpy as np

DTYPES = {"float32": np.float32, "int64": np.int64, "uint8": np.uint8}


def read_archive(path, magic=b"SEQDLMOD"):
    """Returns (header dict, {name: numpy array}); raises ValueError on a bad file."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != magic:
        raise ValueError(f"{path}: bad magic {data[:8]!r}")
    version, head_len = struct.unpack_from("<IQ", data, 8)
    if version != 1:
        raise ValueError(f"{path}: format version {version}")
    header = json.loads(data[20:20 + head_len])
    base = 20 + head_len
    tensors = {}
    for t in header["tensors"]:
        raw = data[base + t["offset"]: base + t["offset"] + t["bytes"]]
        tensors[t["name"]] = np.frombuffer(raw, dtype=DTYPES[t["dtype"]]).reshape(t["shape"])
    end = base + sum(t["bytes"] for t in header["tensors"])
    (crc,) = struct.unpack_from("<I", data, end)
    if crc != zlib.crc32(data[:end]) or end + 4 != len(data):
        raise ValueError(f"{path}: checksum or size mismatch")
    return header, tensors


def write_archive(path, header, tensors, magic=b"SEQDLMOD", version=1, table=None):
    """Writes a tensor archive in the same layout (for tests that craft model files): `header` without its
    "tensors" table, `tensors` a list of (name, numpy array); `table` replaces the computed table when given (to
    declare what the bytes do not hold). The checksum is always right."""
    entries, blobs, offset = [], b"", 0
    inverse = {v: k for k, v in DTYPES.items()}
    for name, array in tensors:
        raw = np.ascontiguousarray(array).tobytes()
        entries.append({"name": name, "dtype": inverse[np.dtype(array.dtype).type], "shape": list(array.shape),
                        "offset": offset, "bytes": len(raw)})
        offset += len(raw)
        blobs += raw
    full = dict(header)
    full["tensors"] = entries if table is None else table
    text = json.dumps(full).encode()
    body = magic + struct.pack("<IQ", version, len(text)) + text + blobs
    with open(path, "wb") as f:
        f.write(body + struct.pack("<I", zlib.crc32(body)))
    return path
