"""The one visitor: walks a module once, tracks bindings, and calls the rules' detectors.

There is one handler per AST node type that needs attention, named after the
node (`visit_Import`, `visit_Call`...); every other node type goes to
`handle_children`, which visits its child nodes. Scopes live on an explicit
stack (`self.scopes`) that `scope()` pushes and pops, so a name resolves as
Python resolves it: innermost function or comprehension first, class bodies
only from inside themselves, then the module, then the built-ins.

Names resolve to qualified names: `import pyodide.ffi as f` binds `f` to
`pyodide.ffi`, `from js import document as d` binds `d` to `js.document`, an
assignment `x = js.window` binds `x` to `js.window`, and `getattr(js, "x")`,
`__import__("js")` and `importlib.import_module("js")` resolve like the names
they spell. As in pyflakes, function bodies are read after the module body,
so names bound later at module level (an import at the bottom) are known.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from molt_lint._detector import Detectors
from molt_lint._message import Edit, Finding, Message, Span

_BUILTINS = frozenset(dir(builtins))

# Scope kinds.
MODULE = "module"
FUNCTION = "function"
CLASS = "class"
COMPREHENSION = "comprehension"

# Value kinds a binding may carry; the determinism rules ask for them.
SET = "set"
STR = "str"
BYTES = "bytes"

_SET_TYPES = frozenset(
    {
        "builtins.set",
        "builtins.frozenset",
        "typing.Set",
        "typing.FrozenSet",
        "typing.AbstractSet",
        "typing.MutableSet",
        "collections.abc.Set",
        "collections.abc.MutableSet",
    }
)
_SET_METHODS = frozenset({"union", "intersection", "difference", "symmetric_difference", "copy"})
_SET_OPERATORS = (ast.BitOr, ast.BitAnd, ast.Sub, ast.BitXor)
_STR_CALLS = frozenset(
    {"builtins.str", "builtins.repr", "builtins.format", "builtins.chr", "builtins.ascii"}
)
_STR_METHODS = frozenset(
    {
        "join", "lower", "upper", "strip", "lstrip", "rstrip", "replace", "format",
        "casefold", "title", "capitalize", "zfill", "center", "ljust", "rjust",
        "removeprefix", "removesuffix", "swapcase", "expandtabs",
    }
)  # fmt: skip
_NOT_NODE_FIELDS = frozenset(
    {
        "ctx", "op", "ops", "id", "attr", "arg", "name", "names", "asname", "module",
        "level", "type_comment", "kind", "conversion", "is_async", "simple", "tag",
        "rest", "kwd_attrs",
    }
)  # fmt: skip
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(cls: type) -> tuple[str, ...]:
    fields = _CHILD_FIELDS.get(cls)
    if fields is None:
        fields = tuple(name for name in cls._fields if name not in _NOT_NODE_FIELDS)  # type: ignore[attr-defined]
        _CHILD_FIELDS[cls] = fields
    return fields


@dataclass(slots=True)
class Binding:
    """What a name is bound to, as far as the rules need to know."""

    qualname: str | None = None
    """The imported thing the name stands for (`js.document`), or None for plain values."""
    kind: str | None = None
    """SET, STR or BYTES when the value's type is visible, else None."""
    node: ast.AST | None = None
    """The class or function definition for names bound by `class` and `def`."""


class Scope:
    """One namespace: the bindings made in a module, function, class or comprehension."""

    __slots__ = ("bindings", "kind", "node")

    def __init__(self, kind: str, node: ast.AST | None = None) -> None:
        self.kind = kind
        self.node = node
        self.bindings: dict[str, Binding] = {}


class Checker:
    """Checks one parsed module at a time against the selected rules."""

    def __init__(self, detectors: Detectors) -> None:
        self.detectors = detectors
        self._references = detectors.references
        self._calls = detectors.calls
        self._methods = detectors.methods
        self._roots = detectors.roots
        self._watched_builtins = detectors.builtin_names
        self._dispatch: dict[type, Any] = {}
        for name in dir(self):
            if name.startswith("visit_"):
                node_type = getattr(ast, name.removeprefix("visit_"), None)
                if isinstance(node_type, type):
                    self._dispatch[node_type] = getattr(self, name)
        self._reset("")

    def _reset(self, text: str) -> None:
        self.text = text
        self._lines: list[str] | None = None
        self.findings: list[Finding] = []
        self.scopes: list[Scope] = []
        self.module_scope = Scope(MODULE)
        self.classes: dict[str, ast.ClassDef] = {}
        self.exports: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
        self.order_insensitive: set[ast.AST] = set()
        """Comprehensions whose order cannot matter (inside sorted(), sum()...)."""
        self.memo: dict[str, Any] = {}
        """Per-file results rules share (for example the value-table walk of the exports)."""
        self._deferred: list[tuple[ast.AST, list[Scope]]] = []
        self._named: set[str] = set(self._watched_builtins)

    # -- entry point ---------------------------------------------------------------

    def check(self, tree: ast.Module, text: str) -> list[Finding]:
        """All findings in one module; `text` is the source `tree` was parsed from."""
        self._reset(text)
        self.scopes = [self.module_scope]
        self.handle_body(tree.body)
        while self._deferred:
            node, scopes = self._deferred.pop()
            self.scopes = [*scopes, Scope(FUNCTION, node)]
            self._bind_parameters(node.args)  # type: ignore[attr-defined]
            body = node.body  # type: ignore[attr-defined]
            if isinstance(body, list):
                self.handle_body(body)
            else:
                self.handle(body)
        self.scopes = [self.module_scope]
        for function in self.exports:
            for hook in self.detectors.export:
                hook(self, function)
        return self.findings

    # -- traversal -----------------------------------------------------------------

    def handle(self, node: ast.AST) -> None:
        self._dispatch.get(node.__class__, self.handle_children)(node)

    def handle_body(self, nodes: Sequence[ast.AST]) -> None:
        dispatch = self._dispatch
        generic = self.handle_children
        for node in nodes:
            dispatch.get(node.__class__, generic)(node)

    def handle_children(self, node: ast.AST) -> None:
        # The hot loop: dispatch inline rather than through handle(), one call per node.
        dispatch = self._dispatch
        generic = self.handle_children
        fields = _CHILD_FIELDS.get(node.__class__)
        if fields is None:
            fields = _child_fields(node.__class__)
        for name in fields:
            value = getattr(node, name, None)
            if value is None:
                continue
            if value.__class__ is list:
                for item in value:
                    if item is not None:
                        dispatch.get(item.__class__, generic)(item)
            elif isinstance(value, ast.AST):
                dispatch.get(value.__class__, generic)(value)

    @contextmanager
    def scope(self, kind: str, node: ast.AST | None = None) -> Iterator[Scope]:
        scope = Scope(kind, node)
        self.scopes.append(scope)
        try:
            yield scope
        finally:
            self.scopes.pop()

    # -- bindings and names --------------------------------------------------------

    def bind(self, name: str, binding: Binding) -> None:
        self.scopes[-1].bindings[name] = binding
        if binding.qualname is not None or binding.kind is not None:
            self._named.add(name)

    def lookup(self, name: str) -> Binding | None:
        """The binding a name refers to here, or None for an unbound or built-in name."""
        scopes = self.scopes
        last = len(scopes) - 1
        for index in range(last, -1, -1):
            scope = scopes[index]
            if scope.kind is CLASS and index != last:
                continue
            binding = scope.bindings.get(name)
            if binding is not None:
                return binding
        return None

    def resolve_name(self, name: str) -> str | None:
        """The qualified name a bare name stands for: an import, an alias or a built-in."""
        if name not in self._named and name not in _BUILTINS:
            return None  # bound, if at all, to a plain value
        binding = self.lookup(name)
        if binding is not None:
            return binding.qualname
        return f"builtins.{name}" if name in _BUILTINS else None

    def qualname(self, node: ast.AST) -> str | None:
        """The qualified name an expression stands for, if it is a chain rooted in one."""
        attrs: list[str] = []
        while node.__class__ is ast.Attribute:
            attrs.append(node.attr)  # type: ignore[attr-defined]
            node = node.value  # type: ignore[attr-defined]
        if node.__class__ is ast.Name:
            base = self.resolve_name(node.id)  # type: ignore[attr-defined]
        elif node.__class__ is ast.Call:
            base = self._dynamic_qualname(node)  # type: ignore[arg-type]
        else:
            return None
        if base is None:
            return None
        if attrs:
            attrs.reverse()
            return f"{base}.{'.'.join(attrs)}"
        return base

    def _dynamic_qualname(self, call: ast.Call) -> str | None:
        """getattr(X, "a") -> X.a; __import__("m") and importlib.import_module("m") -> m."""
        args = call.args
        if not args:
            return None
        func = call.func
        if func.__class__ is ast.Attribute:
            if func.attr != "import_module":  # type: ignore[attr-defined]
                return None
        elif func.__class__ is not ast.Name:
            return None
        callee = self.qualname(func)
        if callee == "builtins.getattr" and len(args) >= 2 and _is_str(args[1]):
            base = self.qualname(args[0])
            return f"{base}.{args[1].value}" if base else None  # type: ignore[attr-defined]
        if callee == "importlib.import_module" and _is_str(args[0]):
            return str(args[0].value)  # type: ignore[attr-defined]
        if callee == "builtins.__import__" and _is_str(args[0]):
            name = str(args[0].value)  # type: ignore[attr-defined]
            fromlist = args[3] if len(args) > 3 else _keyword(call, "fromlist")
            if fromlist is None or (isinstance(fromlist, ast.Constant) and not fromlist.value):
                return name.partition(".")[0]
            return name
        return None

    def kind_of(self, node: ast.AST) -> str | None:
        """SET, STR or BYTES when an expression's type is visible from its syntax."""
        cls = node.__class__
        if cls is ast.Name:
            binding = self.lookup(node.id) if node.id in self._named else None  # type: ignore[attr-defined]
            return binding.kind if binding is not None else None
        if cls is ast.Set or cls is ast.SetComp:
            return SET
        if cls is ast.Constant:
            value = node.value  # type: ignore[attr-defined]
            return STR if isinstance(value, str) else BYTES if isinstance(value, bytes) else None
        if cls is ast.JoinedStr:
            return STR
        if cls is ast.BinOp:
            left = self.kind_of(node.left)  # type: ignore[attr-defined]
            if isinstance(node.op, _SET_OPERATORS):  # type: ignore[attr-defined]
                if left == SET or self.kind_of(node.right) == SET:  # type: ignore[attr-defined]
                    return SET
                return None
            if isinstance(node.op, ast.Add | ast.Mod) and left in (STR, BYTES):  # type: ignore[attr-defined]
                return left
            return None
        if cls is ast.Call:
            func = node.func  # type: ignore[attr-defined]
            callee = self.qualname(func)
            if callee in _SET_TYPES:
                return SET
            if callee in _STR_CALLS:
                return STR
            if callee == "builtins.bytes":
                return BYTES
            if func.__class__ is ast.Attribute:
                if func.attr == "encode":
                    return BYTES
                if func.attr == "decode":
                    return STR
                receiver = self.kind_of(func.value)
                if receiver == SET and func.attr in _SET_METHODS:
                    return SET
                if receiver in (STR, BYTES) and func.attr in _STR_METHODS:
                    return receiver
        return None

    def annotation_kind(self, annotation: ast.AST | None) -> str | None:
        """SET, STR or BYTES for an annotation naming one of those types."""
        if annotation is None:
            return None
        if annotation.__class__ is ast.Subscript:
            annotation = annotation.value  # type: ignore[attr-defined]
        name = self.qualname(annotation)
        if name in _SET_TYPES:
            return SET
        if name == "builtins.str":
            return STR
        if name == "builtins.bytes":
            return BYTES
        return None

    def _value_binding(self, value: ast.AST) -> Binding:
        cls = value.__class__
        if cls is ast.Name or cls is ast.Attribute or cls is ast.Call:
            qualname = self.qualname(value)
            if qualname is not None:
                return Binding(qualname=qualname)
        return Binding(kind=self.kind_of(value))

    # -- reporting -----------------------------------------------------------------

    def report(
        self, message: type[Message], node: ast.AST, edit: Edit | None = None, **args: Any
    ) -> None:
        """Record one finding of `message` at `node`."""
        self.findings.append(Finding(message, args, self.span(node), edit))

    def report_span(
        self, message: type[Message], span: Span, edit: Edit | None = None, **args: Any
    ) -> None:
        self.findings.append(Finding(message, args, span, edit))

    def reference(self, node: ast.AST, qualname: str) -> None:
        """Report `qualname` if a rule claims it or a name it is under (longest wins)."""
        if qualname.partition(".")[0] not in self._roots:
            return
        references = self._references
        name = qualname
        while True:
            message = references.get(name)
            if message is not None:
                self.report(message, node, name=qualname.removeprefix("builtins."))
                return
            name, dot, _ = name.rpartition(".")
            if not dot:
                return

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines

    def column(self, line: int, byte_offset: int) -> int:
        """1-based code-point column of a UTF-8 byte offset that the parser reported."""
        lines = self.lines
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        if text.isascii():
            return byte_offset + 1
        return len(text.encode("utf-8")[:byte_offset].decode("utf-8", "ignore")) + 1

    def span(self, node: ast.AST) -> Span:
        line = node.lineno  # type: ignore[attr-defined]
        end_line = node.end_lineno or line  # type: ignore[attr-defined]
        end_offset = node.end_col_offset  # type: ignore[attr-defined]
        if end_offset is None:
            end_offset = node.col_offset  # type: ignore[attr-defined]
        return Span(
            line,
            self.column(line, node.col_offset),  # type: ignore[attr-defined]
            end_line,
            self.column(end_line, end_offset),
        )

    def name_span(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> Span:
        """The span of the name in a `def` or `class` line."""
        line = node.lineno
        text = self.lines[line - 1] if line <= len(self.lines) else ""
        start = text.find(node.name, self.column(line, node.col_offset) - 1)
        if start < 0:
            return self.span(node)
        return Span(line, start + 1, line, start + 1 + len(node.name))

    def segment(self, node: ast.AST) -> str:
        """The source text of a node (ast.get_source_segment re-splits the file every call)."""
        lines = self.lines
        first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1  # type: ignore[attr-defined]
        start, end = node.col_offset, node.end_col_offset  # type: ignore[attr-defined]
        if end is None or last >= len(lines):
            return ""
        if first == last:
            return lines[first].encode("utf-8")[start:end].decode("utf-8", "replace")
        head = lines[first].encode("utf-8")[start:].decode("utf-8", "replace")
        tail = lines[last].encode("utf-8")[:end].decode("utf-8", "replace")
        return "\n".join([head, *lines[first + 1 : last], tail])

    # -- handlers, one per node type ----------------------------------------------

    def visit_Constant(self, node: ast.Constant) -> None:
        pass

    visit_Global = visit_Nonlocal = visit_Pass = visit_MatchSingleton = visit_Constant

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.reference(alias, alias.name)
            if alias.asname:
                self.bind(alias.asname, Binding(qualname=alias.name))
            else:
                root = alias.name.partition(".")[0]
                self.bind(root, Binding(qualname=root))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = "." * (node.level or 0) + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                self.reference(alias, base)
                continue
            qualname = f"{base}{alias.name}" if base.endswith(".") else f"{base}.{alias.name}"
            self.reference(alias, qualname)
            self.bind(alias.asname or alias.name, Binding(qualname=qualname))

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for decorator in node.decorator_list:
            self.handle(decorator)
        self._handle_signature(node.args)
        if node.returns is not None:
            self.handle(node.returns)
        if self.scopes[-1] is self.module_scope and any(
            self.qualname(d) == "molt.export" for d in node.decorator_list
        ):
            self.exports.append(node)
        self.bind(node.name, Binding(node=node))
        self._deferred.append((node, list(self.scopes)))

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._handle_signature(node.args)
        self._deferred.append((node, list(self.scopes)))

    def _handle_signature(self, args: ast.arguments) -> None:
        for default in (*args.defaults, *args.kw_defaults):
            if default is not None:
                self.handle(default)
        for arg in (*args.posonlyargs, *args.args, args.vararg, *args.kwonlyargs, args.kwarg):
            if arg is not None and arg.annotation is not None:
                self.handle(arg.annotation)

    def _bind_parameters(self, args: ast.arguments) -> None:
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
            self.bind(arg.arg, Binding(kind=self.annotation_kind(arg.annotation)))
        for arg in (args.vararg, args.kwarg):
            if arg is not None:
                self.bind(arg.arg, Binding())

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for decorator in node.decorator_list:
            self.handle(decorator)
        for base in node.bases:
            self.handle(base)
        for keyword in node.keywords:
            self.handle(keyword.value)
        with self.scope(CLASS, node):
            self.handle_body(node.body)
        if self.scopes[-1] is self.module_scope:
            self.classes[node.name] = node
        self.bind(node.name, Binding(node=node))

    def visit_Assign(self, node: ast.Assign) -> None:
        self.handle(node.value)
        for hook in self.detectors.store:
            for target in node.targets:
                hook(self, target, node)
        for target in node.targets:
            if target.__class__ is ast.Name:
                self.bind(target.id, self._value_binding(node.value))  # type: ignore[attr-defined]
            else:
                self.handle(target)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.handle(node.annotation)
        if node.value is not None:
            self.handle(node.value)
        for hook in self.detectors.store:
            hook(self, node.target, node)
        if node.target.__class__ is ast.Name:
            binding = self._value_binding(node.value) if node.value is not None else Binding()
            binding.kind = self.annotation_kind(node.annotation) or binding.kind
            self.bind(node.target.id, binding)  # type: ignore[attr-defined]
        else:
            self.handle(node.target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.handle(node.value)
        for hook in self.detectors.store:
            hook(self, node.target, node)
        if node.target.__class__ is not ast.Name:
            self.handle(node.target)

    def visit_Delete(self, node: ast.Delete) -> None:
        for hook in self.detectors.store:
            for target in node.targets:
                hook(self, target, node)
        for target in node.targets:
            self.handle(target)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.handle(node.value)
        scope = len(self.scopes) - 1
        while scope > 0 and self.scopes[scope].kind is COMPREHENSION:
            scope -= 1  # := in a comprehension binds in the enclosing scope
        self.scopes[scope].bindings[node.target.id] = self._value_binding(node.value)
        self._named.add(node.target.id)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self.handle(node.iter)
        for hook in self.detectors.iteration:
            hook(self, node.iter, node)
        self.handle(node.target)
        self.handle_body(node.body)
        self.handle_body(node.orelse)

    visit_AsyncFor = visit_For

    def _comprehension(self, node: ast.AST, generators: list[ast.comprehension]) -> None:
        first = generators[0]
        self.handle(first.iter)
        with self.scope(COMPREHENSION, node):
            for index, generator in enumerate(generators):
                if index:
                    self.handle(generator.iter)
                for hook in self.detectors.iteration:
                    hook(self, generator.iter, node)
                self.handle(generator.target)
                self.handle_body(generator.ifs)
            yield_ = getattr(node, "elt", None)
            if yield_ is not None:
                self.handle(yield_)
            else:
                self.handle(node.key)  # type: ignore[attr-defined]
                self.handle(node.value)  # type: ignore[attr-defined]

    def visit_ListComp(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp) -> None:
        self._comprehension(node, node.generators)

    visit_SetComp = visit_GeneratorExp = visit_DictComp = visit_ListComp

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        for hook in self.detectors.handler:
            hook(self, node)
        if node.type is not None:
            self.handle(node.type)
        if node.name:
            self.bind(node.name, Binding())
        self.handle_body(node.body)

    def visit_Name(self, node: ast.Name) -> None:
        ctx = node.ctx.__class__
        if ctx is ast.Load:
            if node.id in self._named:
                qualname = self.resolve_name(node.id)
                if qualname is not None:
                    self.reference(node, qualname)
        elif ctx is ast.Store:
            self.bind(node.id, Binding())

    def visit_Attribute(self, node: ast.Attribute) -> None:
        qualname = self.qualname(node)
        if qualname is not None:
            self.reference(node, qualname)
            return
        self._handle_chain_root(node.value)

    def _handle_chain_root(self, node: ast.AST) -> None:
        """Visit the root of an unresolved attribute chain; the links hold nothing to check."""
        while node.__class__ is ast.Attribute:
            node = node.value  # type: ignore[attr-defined]
        if node.__class__ is not ast.Name:
            self.handle(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        callee = self.qualname(func)
        if callee is not None:
            hooks = self._calls.get(callee)
            if hooks:
                for hook in hooks:
                    hook(self, node)
        if func.__class__ is ast.Attribute:
            hooks = self._methods.get(func.attr)  # type: ignore[attr-defined]
            if hooks:
                for hook in hooks:
                    hook(self, node)
        resolved = self._dynamic_qualname(node) if callee in _DYNAMIC else None
        if resolved is not None:
            self.reference(node, resolved)
            return
        if callee is not None:
            self.reference(func, callee)
        elif func.__class__ is not ast.Name:
            self._handle_chain_root(func)
        dispatch = self._dispatch
        generic = self.handle_children
        for arg in node.args:
            dispatch.get(arg.__class__, generic)(arg)
        for keyword in node.keywords:
            value = keyword.value
            dispatch.get(value.__class__, generic)(value)


_DYNAMIC = frozenset({"builtins.getattr", "builtins.__import__", "importlib.import_module"})


def _is_str(node: ast.AST) -> bool:
    return node.__class__ is ast.Constant and isinstance(node.value, str)  # type: ignore[attr-defined]


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None
