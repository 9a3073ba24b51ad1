"""Build the binary fixtures of the conformance cases from committed sources.

    python conformance/generate.py            write every case's generated files
    python conformance/generate.py --check    exit 1 if a committed file differs
    python conformance/generate.py fuel ID    measure the fuel of a host-call case
    python conformance/generate.py links      fill enforced_by.conformance in spec/rules.yaml

Each case folder `conformance/cases/<area>/<ID>/` holds `case.toml` (the case,
written by hand), `fixture.toml` (how its binary files are made, also by hand)
and the files this script generates from it: the artifact (.wasm), the lockfile
whose single entry describes it, and the public keys the host trusts. The
binaries are committed, so the suite is data only and every implementation, in
any language, runs exactly the bytes the suite hash covers; `--check` proves
they still follow from their sources.

Sources: the reference example `stats` (reference/molt/examples), the ABI 1
fixtures (conformance/fixtures/abi1) and `conformance/sources/*.wat`, each with
its `.interface.json`; and the two TEST-ONLY Ed25519 keys in conformance/keys
(`test-only` signs, `foreign` is a key no case trusts). Everything is
deterministic: wat2wasm gives the same bytes for the same wasmtime version and
Ed25519 signatures are deterministic (RFC 8032), so regenerating changes nothing.

fixture.toml (every field optional unless marked):

    [artifact]
    module = "stats"            # required unless raw_hex: stats, results, or an abi1 fixture
    file = "stats.wasm"         # default <module>.wasm
    replace = [["old", "new"]]  # exact text edits of the WAT source, each matching once
    interface = "canonical"     # canonical | verbatim | none | twice (default: the fixture's)
    interface_set = {"abi.minor" = 5}  # dotted-path edits of the interface
    interface_drop = ["module"]        # dotted paths removed from the interface
    raw_hex = "..."             # the artifact is these bytes instead of a module
    flip = [0, -1]              # after the entry is made: XOR 0x01 at these offsets
    append_hex = "00"           # after the entry is made: append these bytes
    truncate = 100              # after the entry is made: keep this many bytes
    rehash = true               # make the entry after the changes above, but sign
                                # the pristine bytes' sha256 (an attacker's re-hash)

    [lock]
    file = "molt-lock.json"     # default
    exports_from = "stats"      # take the entry's exports from this module's interface
    name = "stats"              # default: the interface's module name and version
    version = "1.0.0"
    signer = "test-only"        # test-only | foreign | none
    signed_name = "other"       # sign this name / version / sha256 instead of the entry's
    signed_version = "9.9.9"
    signed_sha256 = "..."
    key_id_of = "test-only"     # claim this key's id on the signature
    flip_signature = true       # XOR one bit of the signature
    exports_drop = ["mean"]     # exports left out of the entry
    exports_set = {"mean.output" = {type = "integer"}}  # <export>.<path> edits
    entry_drop = ["sha256"]     # entry fields removed
    entry_set = {size = 9}      # entry fields replaced

    [keys]
    trusted = ["test-only"]     # copied into the folder as <name>.pub
"""

from __future__ import annotations

import argparse
import base64
import copy
import hashlib
import json
import os
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import wasmtime

from molt import signing
from molt.examples import example_interface, example_source
from molt.wasmfile import INTERFACE_SECTION, append_custom_section, canonical_interface_bytes

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
KEYS = HERE / "keys"
ABI1 = HERE / "fixtures" / "abi1"
SOURCES = HERE / "sources"
FIXTURE_FILE = "fixture.toml"
LOCK_GENERATOR = "molt-conformance generate.py"

# How each ABI 1 fixture embeds its interface (conformance/fixtures/build_fixtures.py).
_ABI1_INTERFACE = {
    "echo": "canonical",
    "with-import": "canonical",
    "abi2": "canonical",
    "extra-export": "canonical",
    "missing-export": "canonical",
    "no-interface": "none",
    "bad-interface": "verbatim",
}


# -- sources ------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A module's WebAssembly text, its interface and how the interface is embedded."""

    wat: str
    interface: dict[str, Any] | None
    interface_text: bytes | None
    embed: str


def load_source(module: str) -> Source:
    if module == "stats":
        interface = example_interface("stats")
        return Source(example_source("stats"), interface, None, "canonical")
    if module in _ABI1_INTERFACE:
        folder, embed = ABI1, _ABI1_INTERFACE[module]
    elif (SOURCES / f"{module}.wat").is_file():
        folder, embed = SOURCES, "canonical"
    else:
        raise SystemExit(f"generate.py: unknown module {module!r}")
    wat = (folder / f"{module}.wat").read_text(encoding="utf-8")
    json_path = folder / f"{module}.interface.json"
    if not json_path.is_file():
        return Source(wat, None, None, "none")
    raw = json_path.read_bytes()
    return Source(wat, json.loads(raw), raw, embed)


# -- dotted-path edits --------------------------------------------------------------


def _walk(document: Any, dotted: str) -> tuple[Any, str | int]:
    parts: list[str | int] = [int(p) if p.isdigit() else p for p in dotted.split(".")]
    node = document
    for part in parts[:-1]:
        node = node[part]
    return node, parts[-1]


def set_path(document: Any, dotted: str, value: Any) -> None:
    node, last = _walk(document, dotted)
    node[last] = copy.deepcopy(value)


def drop_path(document: Any, dotted: str) -> None:
    node, last = _walk(document, dotted)
    del node[last]


# -- keys ---------------------------------------------------------------------------


def private_key(name: str) -> signing.Ed25519PrivateKey:
    """A TEST-ONLY key of conformance/keys; git does not keep modes, so restore 0600 first."""
    path = KEYS / f"{name}.key"
    if os.name == "posix":
        path.chmod(0o600)
    return signing.load_private_key(path)


def public_pem(name: str) -> bytes:
    return (KEYS / f"{name}.pub").read_bytes()


# -- one case -----------------------------------------------------------------------


def build_case(folder: Path) -> dict[str, bytes]:
    """Every generated file of the case in `folder`, by name."""
    recipe = tomllib.loads((folder / FIXTURE_FILE).read_text(encoding="utf-8"))
    art = recipe.get("artifact", {})
    lock = recipe.get("lock", {})
    keys = recipe.get("keys", {})
    out: dict[str, bytes] = {}

    interface: dict[str, Any] | None = None
    if "raw_hex" in art:
        data = bytes.fromhex(art["raw_hex"])
        file = art.get("file", "artifact.wasm")
    else:
        module = art["module"]
        source = load_source(module)
        wat = source.wat
        for old, new in art.get("replace", []):
            if wat.count(old) != 1:
                raise SystemExit(f"{folder.name}: replace {old!r} matches {wat.count(old)} times")
            wat = wat.replace(old, new)
        data = bytes(wasmtime.wat2wasm(wat))
        interface = copy.deepcopy(source.interface)
        if interface is not None:
            for dotted, value in art.get("interface_set", {}).items():
                set_path(interface, dotted, value)
            for dotted in art.get("interface_drop", []):
                drop_path(interface, dotted)
        embed = art.get("interface", source.embed)
        if embed != "none":
            if interface is None:
                raise SystemExit(f"{folder.name}: module {module} has no interface to embed")
            if embed == "verbatim":
                assert source.interface_text is not None
                payload = source.interface_text
            else:
                payload = canonical_interface_bytes(interface)
            data = append_custom_section(data, INTERFACE_SECTION, payload)
            if embed == "twice":
                data = append_custom_section(data, INTERFACE_SECTION, payload)
        file = art.get("file", f"{module}.wasm")

    if art.get("rehash"):
        # An attacker's edit: the entry's size and sha256 match the changed bytes,
        # but the signature still covers the pristine ones.
        lock = {"signed_sha256": hashlib.sha256(data).hexdigest(), **lock}
        data = tamper(data, art)
        entry = lock_entry(folder.name, data, file, interface, lock)
    else:
        entry = lock_entry(folder.name, data, file, interface, lock)
        data = tamper(data, art)
    out[file] = data
    document = {"lock_version": 1, "generated_by": LOCK_GENERATOR, "artifacts": [entry]}
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    out[lock.get("file", "molt-lock.json")] = text.encode("utf-8")
    for name in keys.get("trusted", []):
        out[f"{name}.pub"] = public_pem(name)
    return out


def lock_entry(
    case_id: str,
    data: bytes,
    file: str,
    interface: dict[str, Any] | None,
    lock: dict[str, Any],
) -> dict[str, Any]:
    if "exports_from" in lock:
        source = load_source(lock["exports_from"]).interface or {}
        interface = {**(interface or {}), "exports": source["exports"]}
    module = (interface or {}).get("module", {})
    name = lock.get("name", module.get("name"))
    version = lock.get("version", module.get("version"))
    if name is None or version is None:
        raise SystemExit(f"{case_id}: [lock] needs a name and version (the module has none)")
    sha = hashlib.sha256(data).hexdigest()
    abi = (interface or {}).get("abi", {"major": 1, "minor": 0})
    exports = [
        {"name": e["name"], "input": e["input"], "output": e["output"]}
        for e in (interface or {}).get("exports", [])
        if e["name"] not in lock.get("exports_drop", [])
    ]
    by_name = {e["name"]: e for e in exports}
    for dotted, value in lock.get("exports_set", {}).items():
        export_name, _, rest = dotted.partition(".")
        set_path(by_name[export_name], rest, value)
    entry: dict[str, Any] = {
        "name": name,
        "version": version,
        "file": file,
        "size": len(data),
        "sha256": sha,
        "abi": {"major": abi["major"], "minor": abi["minor"]},
        "exports": exports,
        "targets": ["wasm32-molt-v1"],
    }
    signer = lock.get("signer", "test-only")
    if signer != "none":
        signature = signing.sign_artifact(
            private_key(signer),
            lock.get("signed_name", name),
            lock.get("signed_version", version),
            lock.get("signed_sha256", sha),
        )
        if "key_id_of" in lock:
            signature["key_id"] = signing.key_id(private_key(lock["key_id_of"]))
        if lock.get("flip_signature"):
            raw = bytearray(base64.b64decode(signature["value"]))
            raw[10] ^= 0x01
            signature["value"] = base64.b64encode(bytes(raw)).decode("ascii")
        entry["signature"] = signature
    for field in lock.get("entry_drop", []):
        del entry[field]
    for field, value in lock.get("entry_set", {}).items():
        entry[field] = value
    return entry


def tamper(data: bytes, art: dict[str, Any]) -> bytes:
    """The bytes after the changes made once the lock entry was written."""
    changed = bytearray(data)
    for offset in art.get("flip", []):
        changed[offset] ^= 0x01
    if "append_hex" in art:
        changed += bytes.fromhex(art["append_hex"])
    if "truncate" in art:
        del changed[art["truncate"] :]
    return bytes(changed)


# -- the suite ----------------------------------------------------------------------


def case_folders() -> list[Path]:
    return sorted(path.parent for path in CASES.glob(f"*/*/{FIXTURE_FILE}"))


def generate(check: bool) -> int:
    differences: list[str] = []
    count = 0
    for folder in case_folders():
        for name, data in build_case(folder).items():
            path = folder / name
            count += 1
            current = path.read_bytes() if path.is_file() else None
            if current == data:
                continue
            relative = path.relative_to(HERE).as_posix()
            if check:
                differences.append(f"{relative}: {'missing' if current is None else 'differs'}")
            else:
                path.write_bytes(data)
                print(f"wrote {relative} ({len(data)} bytes)")
    if differences:
        print("generated files differ from their sources:", file=sys.stderr)
        for line in differences:
            print(f"  {line}", file=sys.stderr)
        print("run: python conformance/generate.py", file=sys.stderr)
        return 1
    verb = "match their sources" if check else "are up to date"
    print(f"{count} generated files in {len(case_folders())} cases {verb}")
    return 0


# -- fuel measurement ---------------------------------------------------------------


def measure_fuel(case_id: str) -> int:
    """Print, per call of a host-call case, the fuel it uses and the least budget that suffices."""
    import msgpack

    from molt.runtime import Host

    matches = [folder for folder in CASES.glob(f"*/{case_id}") if folder.is_dir()]
    if not matches:
        raise SystemExit(f"generate.py: no case {case_id}")
    folder = matches[0]
    case = tomllib.loads((folder / "case.toml").read_text(encoding="utf-8"))
    data = (folder / case["artifact"]).read_bytes()
    entry = json.loads((folder / case["lock"]).read_text(encoding="utf-8"))["artifacts"][0]
    keys = [folder / key for key in case["trusted_keys"]]
    limits = case.get("limits", {})

    def run(fn: str, message: bytes, fuel: int) -> tuple[bool, int | None]:
        host = Host(keys, fuel=fuel, memory_limit=limits.get("memory_bytes"), cache_dir=False)
        module = host.load_bytes(data, entry)
        try:
            module.call_message(fn, message, check=False)
        except Exception:
            return False, module.last_fuel_used
        return True, module.last_fuel_used

    for index, call in enumerate(case["calls"]):
        if "message_hex" in call:
            message = bytes.fromhex(call["message_hex"])
        else:
            message = msgpack.packb(call["args"], use_bin_type=True)
        ok, used = run(call["fn"], message, 10**9)
        if not ok or used is None:
            print(f"{case_id} call {index} ({call['fn']}): fails even with 10^9 fuel")
            continue
        low, high = 1, used
        while low < high:
            middle = (low + high) // 2
            if run(call["fn"], message, middle)[0]:
                high = middle
            else:
                low = middle + 1
        reported = run(call["fn"], message, low)[1]
        print(
            f"{case_id} call {index} ({call['fn']}): fuel_used {used} with ample fuel; "
            f"least budget that finishes {low} (reports fuel_used {reported})"
        )
    return 0


# -- rule links -----------------------------------------------------------------------


RULES = HERE.parent / "spec" / "rules.yaml"


def link_rules(check: bool) -> int:
    """Write each rule's enforced_by.conformance from the rules its cases list.

    Only the `conformance: [...]` list of each rule's one-line enforced_by changes;
    `molt spec validate` checks the links both ways, so run this after adding a case.
    """
    by_rule: dict[str, list[str]] = {}
    for path in sorted(CASES.glob("*/*/case.toml")):
        case = tomllib.loads(path.read_text(encoding="utf-8"))
        for rule in case["rules"]:
            by_rule.setdefault(rule, []).append(case["id"])
    text = RULES.read_text(encoding="utf-8")
    blocks = re.split(r"(?m)^(?=  - id: )", text)
    out = []
    for block in blocks:
        found = re.match(r"  - id: (MOLT-R-[A-Z0-9-]+)", block)
        if found:
            cases = sorted(by_rule.get(found.group(1), []), key=_case_order)
            block = re.sub(
                r"(?m)^(    enforced_by: \{.*?conformance: )\[[^\]]*\](\})",
                lambda m, cases=cases: m.group(1) + _flow_list(cases) + m.group(2),
                block,
                count=1,
                flags=re.DOTALL,
            )
        out.append(block)
    new = "".join(out)
    if new == text:
        print("spec/rules.yaml: the conformance links are up to date")
        return 0
    if check:
        print(
            "spec/rules.yaml: the conformance links differ; run generate.py links", file=sys.stderr
        )
        return 1
    RULES.write_text(new, encoding="utf-8")
    print("spec/rules.yaml: conformance links updated")
    return 0


def _case_order(case_id: str) -> tuple[str, int]:
    _, area, number = case_id.split("-")
    return area, int(number)


def _flow_list(items: list[str]) -> str:
    """A YAML flow list, wrapped onto indented lines when long."""
    if not items:
        return "[]"
    lines, line = [], ""
    for item in items:
        piece = f"{item}, "
        if len(line) + len(piece) > 84:
            lines.append(line.rstrip())
            line = ""
        line += piece
    lines.append(line.rstrip().rstrip(","))
    return "[\n        " + "\n        ".join(lines) + "]"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python conformance/generate.py", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    sub = parser.add_subparsers(dest="command")
    fuel = sub.add_parser("fuel", help="measure the fuel of a host-call case's calls")
    fuel.add_argument("case_id")
    sub.add_parser("links", help="write enforced_by.conformance in spec/rules.yaml")
    args = parser.parse_args(argv)
    if args.command == "fuel":
        return measure_fuel(args.case_id)
    if args.command == "links":
        return link_rules(check=args.check)
    return generate(check=args.check)


if __name__ == "__main__":
    raise SystemExit(main())
