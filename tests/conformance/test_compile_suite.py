"""The compile cases: how many of each kind, and their expected results agree with CPython.

A Molt source is a Python source (`molt.export` is the identity under CPython), and
the subset's semantics are CPython's except where spec/language.yaml says
otherwise (signed 64-bit overflow, canonical NaN). So every expected result of a
compile-run case is checked here against CPython running the same source: the
expectations do not come from the reference compiler they are meant to judge.
"""

from __future__ import annotations

import math
import sys
import types
from collections import Counter
from typing import Any

import msgpack
import pytest

from molt_conformance import Suite, load_suite
from molt_conformance._wire import same_value

SUITE = load_suite()
COMPILE_RUN = [case for case in SUITE.cases if case.kind == "compile-run"]


def test_the_suite_has_enough_compile_cases_of_each_kind(suite: Suite) -> None:
    kinds = Counter(case.kind for case in suite.cases)
    assert kinds["compile-run"] >= 40
    assert kinds["compile-error"] >= 15


def test_every_compile_error_case_checks_the_typed_subset_rule(suite: Suite) -> None:
    rules = {case.id: case.rules for case in suite.cases if case.kind == "compile-error"}
    assert [case_id for case_id, r in rules.items() if "MOLT-R-TYPED-SUBSET" not in r] == []


def _canonical(value: Any) -> Any:
    """The value as a Molt module encodes it: every NaN is the canonical quiet NaN."""
    if isinstance(value, float) and math.isnan(value):
        return math.nan
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    return value


@pytest.mark.parametrize("case", COMPILE_RUN, ids=[case.id for case in COMPILE_RUN])
def test_expected_results_are_what_cpython_computes(case: Any) -> None:
    module = types.ModuleType(case.id.lower().replace("-", "_"))
    source = case.read(case.data["source"]).decode("utf-8")
    sys.modules[module.__name__] = module  # where @dataclass looks up the module
    try:
        exec(compile(source, case.data["source"], "exec"), module.__dict__)
    finally:
        del sys.modules[module.__name__]
    for index, vector in enumerate(case.data["vectors"]):
        expect = vector["expect"]
        if "error" in expect:
            continue  # errors are the spec's codes, which CPython does not have
        if "args" in vector:
            args = vector["args"]
        else:
            args = msgpack.unpackb(bytes.fromhex(vector["args_msgpack_hex"]))
        result = _canonical(getattr(module, vector["fn"])(**args))
        where = f"{case.id} vector {index + 1} ({vector['fn']})"
        if "msgpack_hex" in expect:
            assert msgpack.packb(result, use_bin_type=True).hex() == expect["msgpack_hex"], where
        else:
            assert same_value(expect["value"], result), where
