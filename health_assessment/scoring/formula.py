"""Ratio formulas: arithmetic over named financial inputs, nothing else.

A formula is a Python-syntax expression restricted to numbers, input names,
``+ - * /``, unary minus and parentheses (``shu / total_aset * 100``). It is parsed
once when the rule set loads, so a typo or an unknown name is a load error rather
than a surprise during an assessment.
"""

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

_OPERATORS = (ast.Add, ast.Sub, ast.Mult, ast.Div)


class FormulaError(ValueError):
    """The formula text is not a plain arithmetic expression."""


class NotAvailable(Exception):
    """The formula cannot be computed: inputs are missing or a denominator is zero
    (``denominator``: that divisor as written in the formula)."""

    def __init__(
        self,
        missing: tuple[str, ...] = (),
        zero_denominator: bool = False,
        denominator: str = "",
    ):
        super().__init__(missing, zero_denominator, denominator)
        self.missing = missing
        self.zero_denominator = zero_denominator
        self.denominator = denominator


@dataclass(frozen=True)
class Formula:
    text: str
    tree: ast.expr
    names: frozenset[str]

    def evaluate(self, values: Mapping[str, Decimal | None]) -> Decimal:
        """The exact value; raises ``NotAvailable`` instead of guessing."""
        missing = tuple(sorted(n for n in self.names if values.get(n) is None))
        if missing:
            raise NotAvailable(missing=missing)
        return _evaluate(self.tree, values)

    def negative_denominators(
        self, values: Mapping[str, Decimal | None]
    ) -> tuple[str, ...]:
        """Each divisor (as written) that is negative with these values: the ratio
        then means nothing (negative equity makes a loss look like a return). Call
        after ``evaluate`` succeeded."""
        return tuple(
            ast.unparse(node.right)
            for node in ast.walk(self.tree)
            if isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Div)
            and _evaluate(node.right, values) < 0
        )


def compile_formula(text: str) -> Formula:
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as error:
        raise FormulaError(f"rumus tidak dapat dibaca: {error.msg}") from None
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                raise FormulaError(f"nilai tetap tidak sah: {node.value!r}")
        elif isinstance(node, ast.BinOp):
            if not isinstance(node.op, _OPERATORS):
                raise FormulaError("hanya + - * / yang boleh dipakai")
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.USub):
                raise FormulaError("hanya tanda minus yang boleh dipakai")
        elif not isinstance(node, (ast.Load, *_OPERATORS, ast.USub)):
            raise FormulaError(f"bagian rumus tidak dikenal: {type(node).__name__}")
    if not names:
        raise FormulaError("rumus tidak memakai satu pun masukan")
    return Formula(text=text.strip(), tree=tree, names=frozenset(names))


def _evaluate(node: ast.expr, values: Mapping[str, Decimal | None]) -> Decimal:
    if isinstance(node, ast.Name):
        value = values[node.id]
        assert value is not None  # checked by Formula.evaluate
        return Decimal(value)
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    if isinstance(node, ast.UnaryOp):
        return -_evaluate(node.operand, values)
    assert isinstance(node, ast.BinOp)
    left = _evaluate(node.left, values)
    right = _evaluate(node.right, values)
    if isinstance(node.op, ast.Add):
        return left + right
    if isinstance(node.op, ast.Sub):
        return left - right
    if isinstance(node.op, ast.Mult):
        return left * right
    if right == 0:
        raise NotAvailable(zero_denominator=True, denominator=ast.unparse(node.right))
    return left / right
