#!/usr/bin/env python3
"""Writes the seed corpora of fuzz_rlp and fuzz_transaction from the public vectors in
../shared/vectors (run from the repository root: python3 fuzz/core/make_corpus.py)."""
import hashlib
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
VECTORS = ROOT.parent / "shared" / "vectors"


def write(folder, data):
    out = ROOT / "fuzz" / "corpus" / folder
    out.mkdir(parents=True, exist_ok=True)
    (out / hashlib.sha1(data).hexdigest()[:16]).write_bytes(data)


def from_hex(s):
    return bytes.fromhex(s[2:] if s.startswith("0x") else s)


def rlp_seeds():
    doc = json.loads((VECTORS / "rlp.json").read_text())
    for case in doc["valid"] + doc["invalid"] + doc["random"]:
        write("fuzz_rlp", from_hex(case["out"]))


def tx_seeds():
    doc = json.loads((VECTORS / "eth_txs.json").read_text())
    cases = doc["cases"]
    chosen = [c for c in cases if c["valid"]]
    reasons = set()
    for c in cases:  # one invalid case per expected reason
        if not c["valid"] and c["reason"] not in reasons:
            reasons.add(c["reason"])
            chosen.append(c)
    chosen += doc["supplementary_cases"] + [doc["eip155_example"]]
    for c in chosen:
        write("fuzz_transaction", from_hex(c["rlp"]))


if __name__ == "__main__":
    rlp_seeds()
    tx_seeds()
