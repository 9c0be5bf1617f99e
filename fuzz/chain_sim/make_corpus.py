#!/usr/bin/env python3
"""Writes the seed corpora of fuzz_abi and fuzz_contract (fuzz/corpus/fuzz_<name>/)."""
import os
import random

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpus")


def word(n: int) -> bytes:
    return (n % (1 << 256)).to_bytes(32, "big")


def dynamic_bytes(b: bytes) -> bytes:
    padded = b + bytes((32 - len(b) % 32) % 32)
    return word(len(b)) + padded


def write(target: str, name: str, data: bytes) -> None:
    folder = os.path.join(ROOT, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def abi_seeds() -> None:
    addr = bytes(12) + bytes(range(1, 21))
    write("fuzz_abi", "transfer", b"address,uint256\n" + addr + word(1000))
    write("fuzz_abi", "erc20_ctor", b"string,string,uint8,uint256\n" + word(128) + word(192)
          + word(18) + word(10**24) + dynamic_bytes(b"Token") + dynamic_bytes(b"TOK"))
    write("fuzz_abi", "owners", b"address[],uint256\n" + word(64) + word(2) + word(2) + addr + addr)
    write("fuzz_abi", "submit", b"address,uint256,bytes\n" + addr + word(5) + word(96)
          + dynamic_bytes(bytes(range(40))))
    write("fuzz_abi", "nested", b"(address,(uint256,bytes[]))[]\n" + word(32) + word(1) + word(32)
          + addr + word(64) + word(7) + word(64) + word(1) + word(32) + dynamic_bytes(b"\x01\x02"))
    write("fuzz_abi", "signed", b"int16,bool,bytes7\n" + word(-5) + word(1) + b"abcdefg" + bytes(25))
    for i in range(10):  # the built-in type lists, picked by the first byte
        write("fuzz_abi", f"known_{i}", bytes([i]) + word(32) + word(3) + addr * 3)


def contract_seeds() -> None:
    rng = random.Random(6)
    for i in range(12):
        size = 64 + 48 * i
        write("fuzz_contract", f"random_{i:02d}", bytes(rng.randrange(256) for _ in range(size)))
    write("fuzz_contract", "zeros", bytes(400))
    write("fuzz_contract", "ones", bytes([1]) * 400)


if __name__ == "__main__":
    abi_seeds()
    contract_seeds()
