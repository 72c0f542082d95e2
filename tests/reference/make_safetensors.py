"""PyTorch reference data for SafetensorsPyTorchTests: safetensors files written by hand from PyTorch tensors.

Run with Debian's python3-torch (PyTorch 1.13, CPU):  /usr/bin/python3 tests/reference/make_safetensors.py
Writes tests/reference/data/:
  pytorch_lstm_fc.safetensors  state_dict of nn.LSTM(3, 5, num_layers=2, bidirectional=True) as "lstm.*" and
                               nn.Linear(10, 4) as "fc.*", float32
  pytorch_lstm_fc.json         the same parameters as JSON numbers, an input x [7, 2, 3] and PyTorch's fc(lstm(x)[0])
  pytorch_mixed.safetensors    F64, I64 (small and large values), I32, U8, a rank-0 and an empty tensor, metadata

The `safetensors` package is not installed here, so the format is written with struct + json, following the
reference serializer: tensors ordered by descending dtype size, then name; header padded with spaces to 8 bytes.

Check mode (not run in CI):  /usr/bin/python3 tests/reference/make_safetensors.py --check FILE...
reads files written by Recurrent with an independent reader, loads any "lstm.*"/"fc.*" state dict into the PyTorch
modules above (strict) and compares it bit for bit with pytorch_lstm_fc.safetensors.
"""
import json
import os
import struct
import sys

import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")

FORMATS = {  # dtype -> (struct code, element size, torch dtype)
    "F64": ("d", 8, torch.float64), "I64": ("q", 8, torch.int64), "F32": ("f", 4, torch.float32),
    "I32": ("i", 4, torch.int32), "U8": ("B", 1, torch.uint8),
}
DTYPE_OF = {v[2]: k for k, v in FORMATS.items()}


def tensor_bytes(t):
    code, _, _ = FORMATS[DTYPE_OF[t.dtype]]
    values = t.contiguous().reshape(-1).tolist()
    return struct.pack("<%d%s" % (len(values), code), *values)


def save(path, tensors, metadata=None):
    items = sorted(tensors.items(), key=lambda kv: (-FORMATS[DTYPE_OF[kv[1].dtype]][1], kv[0]))
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, t in items:
        blob = tensor_bytes(t)
        header[name] = {"dtype": DTYPE_OF[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)
    print(f"{os.path.basename(path)}: {len(items)} tensors, {8 + len(text) + offset} bytes")


def load(path):
    """An independent reader with the same checks as ours (a second opinion on files Recurrent writes)."""
    data = open(path, "rb").read()
    assert len(data) >= 8, "shorter than 8 bytes"
    (n,) = struct.unpack("<Q", data[:8])
    assert n <= 100_000_000 and 8 + n <= len(data), f"bad header length {n}"
    raw = data[8:8 + n]
    assert raw[:1] == b"{", "header does not start with '{'"
    pairs = json.loads(raw.decode("utf-8"), object_pairs_hook=lambda p: p)
    names = [k for k, _ in pairs]
    assert len(names) == len(set(names)), "duplicate names"
    header = dict(pairs)
    metadata = dict(header.pop("__metadata__", None) or [])
    assert all(isinstance(v, str) for v in metadata.values()), "non-string metadata"
    body = data[8 + n:]
    tensors, spans = {}, []
    for name, entry in header.items():
        entry = dict(entry)
        code, size, dtype = FORMATS[entry["dtype"]]
        shape = entry["shape"]
        begin, end = entry["data_offsets"]
        count = 1
        for d in shape:
            assert isinstance(d, int) and d >= 0, f"{name}: bad shape {shape}"
            count *= d
        assert end - begin == count * size, f"{name}: {end - begin} bytes for {shape}"
        values = struct.unpack("<%d%s" % (count, code), body[begin:end])
        tensors[name] = torch.tensor(values, dtype=dtype).reshape(shape)
        spans.append((begin, end))
    position = 0
    for begin, end in sorted(spans):
        assert begin == position, f"hole or overlap at {begin}"
        position = end
    assert position == len(body), "data does not end at the end of the file"
    return tensors, metadata


def make_models():
    torch.manual_seed(20240611)
    lstm = nn.LSTM(3, 5, num_layers=2, bidirectional=True)
    fc = nn.Linear(10, 4)
    return lstm, fc


def state_dict(lstm, fc):
    sd = {f"lstm.{k}": v.detach().clone() for k, v in lstm.state_dict().items()}
    sd.update({f"fc.{k}": v.detach().clone() for k, v in fc.state_dict().items()})
    return sd


def make():
    lstm, fc = make_models()
    sd = state_dict(lstm, fc)
    save(os.path.join(OUT, "pytorch_lstm_fc.safetensors"), sd,
         {"format": "pt", "source": "tests/reference/make_safetensors.py", "torch": torch.__version__})
    x = torch.randn(7, 2, 3)
    with torch.no_grad():
        out = fc(lstm(x)[0])
    flat = lambda t: [float(v) for v in t.reshape(-1).tolist()]
    entry = lambda t: {"shape": list(t.shape), "data": flat(t)}
    with open(os.path.join(OUT, "pytorch_lstm_fc.json"), "w") as f:
        json.dump({"parameters": {k: entry(v) for k, v in sd.items()}, "x": entry(x), "output": entry(out)}, f)

    mixed = {
        "f64": torch.arange(6, dtype=torch.float64).reshape(2, 3) * 0.5 - 1,
        "i64_small": torch.tensor([-2, -1, 0, 2**31 - 1], dtype=torch.int64),
        "i64_large": torch.tensor([2**40, -(2**40) - 3], dtype=torch.int64),
        "i32": torch.tensor([[1, -2], [3, -4]], dtype=torch.int32),
        "u8": torch.tensor([1, 2, 255], dtype=torch.uint8),
        "scalar": torch.tensor(3.25, dtype=torch.float32),
        "empty": torch.zeros(0, 3, dtype=torch.float32),
    }
    save(os.path.join(OUT, "pytorch_mixed.safetensors"), mixed, {"format": "pt", "note": "mixed dtypes, rank 0, empty"})


def check(paths):
    lstm, fc = make_models()
    reference = state_dict(lstm, fc)
    for path in paths:
        tensors, metadata = load(path)
        print(f"{path}: {len(tensors)} tensors, metadata keys {sorted(metadata)}")
        lstm_part = {k[5:]: v for k, v in tensors.items() if k.startswith("lstm.")}
        fc_part = {k[3:]: v for k, v in tensors.items() if k.startswith("fc.")}
        if lstm_part:
            lstm.load_state_dict(lstm_part, strict=True)
            fc.load_state_dict(fc_part, strict=True)
            for k, v in reference.items():
                assert torch.equal(tensors[k], v), f"{k} differs from PyTorch's"
            print("  loads into nn.LSTM + nn.Linear (strict) and equals the PyTorch state dict bit for bit")
        for k, v in tensors.items():
            if not (k.startswith("lstm.") or k.startswith("fc.")):
                print(f"  {k}: {v.dtype} {list(v.shape)}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--check":
        check(sys.argv[2:])
    else:
        make()
