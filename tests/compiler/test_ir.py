"""The typed IR: what the front end builds, the verifier's checks, the analyses."""

from __future__ import annotations

from molt.compiler.frontend import check_source
from molt.compiler.ir import (
    FLOAT,
    INT,
    Function,
    ListType,
    Local,
    Module,
    SourceLoc,
    fallible_functions,
    nodes,
    verify,
)

SOURCE = """\
from molt import export

SCALE = 2


def double(x: int) -> int:
    return x * SCALE


def half(x: float) -> float:
    return x * 0.5


@export
def run(n: int, xs: list[float]) -> float:
    t = 0
    t += double(n)
    ys: list[float] = [1, n]
    for x in xs:
        ys.append(x)
    return half(t) + ys[0]
"""


def test_front_end_makes_conversions_and_constants_explicit() -> None:
    module = check_source(SOURCE, filename="ir.py", module_name="ir")
    assert verify(module) == []
    run = module.function("run")
    assert [(p.name, p.type) for p in run.params] == [("n", INT), ("xs", ListType(FLOAT))]
    assign_list = run.body[2]
    assert isinstance(assign_list, nodes.Assign)
    assert isinstance(assign_list.value, nodes.ListNew)
    assert all(isinstance(item, nodes.IntToFloat) for item in assign_list.value.items)
    double = module.function("double")
    (ret,) = double.body
    assert isinstance(ret, nodes.Return) and isinstance(ret.value, nodes.Arith)
    assert isinstance(ret.value.right, nodes.Const) and ret.value.right.value == 2  # SCALE
    assert ret.value.loc == SourceLoc(7, 12)


def test_fallible_functions_follow_calls() -> None:
    module = check_source(SOURCE, filename="ir.py", module_name="ir")
    assert fallible_functions(module) == frozenset({"double", "run"})


def test_verifier_reports_broken_invariants() -> None:
    x = Local("x", INT, 0)
    y = Local("y", FLOAT, 1)
    body = (
        nodes.Assign(y, nodes.LoadLocal(x)),  # an int into a float without IntToFloat
        nodes.Return(
            nodes.Arith(nodes.ArithOp.ADD, nodes.LoadLocal(x), nodes.LoadLocal(y), SourceLoc(1, 1))
        ),
        nodes.Break(),
    )
    function = Function("f", (x,), INT, body, (x, y), True, None, SourceLoc(1, 1))
    assert verify(Module("m", "m.py", (function,))) == [
        "f: assignment to 'y': expected float, got int",
        "f: '+' of int and float",
        "f: break outside a loop",
    ]
