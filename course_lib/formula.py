"""A safe evaluator for the formulas students type, such as ``sin(3*x) + x**2``.

User text is never passed to ``eval``. It is parsed with :mod:`ast` into a syntax tree,
and the tree is walked against a whitelist: numbers, the variable ``x``, the constants
``pi`` and ``e``, the operators ``+ - * / **`` (and unary ``-``), and calls of a few
numpy functions by name. Anything else — attribute access (``x.__class__``), subscripts,
strings, lambdas, comprehensions, keyword arguments, unknown names — is refused with a
plain-language :class:`FormulaError` before anything is computed.

The walk itself computes with float64 numpy arrays, never Python integers, so
``9**9**9`` cannot hang the server: exponents written as numbers are capped, and any
overflow, division by zero or ``log`` of a negative number is reported with the ``x``
where it happened.

Example::

    >>> x = np.linspace(-1, 1, 5)
    >>> evaluate_formula("abs(x) + 1", x)
    array([2. , 1.5, 1. , 1.5, 2. ])
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable

import numpy as np

#: The functions a formula may call, with how many arguments each takes.
FUNCTIONS: dict[str, tuple[Callable[..., np.ndarray], int]] = {
    "sin": (np.sin, 1),
    "cos": (np.cos, 1),
    "tan": (np.tan, 1),
    "arcsin": (np.arcsin, 1),
    "arccos": (np.arccos, 1),
    "arctan": (np.arctan, 1),
    "sinh": (np.sinh, 1),
    "cosh": (np.cosh, 1),
    "tanh": (np.tanh, 1),
    "exp": (np.exp, 1),
    "log": (np.log, 1),
    "log10": (np.log10, 1),
    "sqrt": (np.sqrt, 1),
    "abs": (np.abs, 1),
    "sign": (np.sign, 1),
    "floor": (np.floor, 1),
    "round": (np.round, 1),
    "minimum": (np.minimum, 2),
    "maximum": (np.maximum, 2),
}
CONSTANTS = {"pi": math.pi, "e": math.e}
VARIABLE = "x"

#: Limits that keep a formula small and its evaluation quick.
MAX_LENGTH = 200  # characters
MAX_NODES = 120  # nodes of the syntax tree
MAX_DEPTH = 25  # nesting of the syntax tree
MAX_EXPONENT = 20  # |p| for a number written as an exponent, as in x**p
MAX_NUMBER = 1e6  # |number| written in the formula

_OPERATORS = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Pow: np.power,
}


class FormulaError(ValueError):
    """The formula cannot be used; the message says why, for the student."""


def _allowed_names() -> str:
    return f"x, {', '.join(CONSTANTS)} and the functions {', '.join(FUNCTIONS)}"


def _depth(node: ast.AST) -> int:
    children = list(ast.iter_child_nodes(node))
    return 1 + max((_depth(child) for child in children), default=0)


def parse_formula(text: str) -> ast.Expression:
    """Parse and check a formula; raise :class:`FormulaError` if it is not allowed."""
    text = text.strip()
    if not text:
        raise FormulaError("The formula is empty. Type an expression in x, e.g. sin(3*x) + x**2.")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"The formula is too long: at most {MAX_LENGTH} characters, please.")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        where = f" near character {error.offset}" if error.offset else ""
        raise FormulaError(
            f"This is not a formula Python can read{where}. Check the brackets and "
            "operators; multiplication needs a *, as in 3*x."
        ) from None
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_NODES or _depth(tree) > MAX_DEPTH:
        raise FormulaError("The formula is too large or too deeply nested; keep it short.")
    for node in nodes:
        _check_node(node)
    return tree


def _check_node(node: ast.AST) -> None:
    """Refuse every kind of node that is not on the whitelist."""
    if isinstance(node, ast.Expression | ast.Load):
        return
    if isinstance(node, ast.operator | ast.unaryop):
        if isinstance(node, ast.BitXor):
            raise FormulaError("Write powers with **, as in x**2 (^ is not a power in Python).")
        if not isinstance(
            node, ast.Add | ast.Sub | ast.Mult | ast.Div | ast.Pow | ast.USub | ast.UAdd
        ):
            raise FormulaError("Only the operators + - * / and ** are allowed.")
        return
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FormulaError(
                "Only numbers are allowed as constants (no text, no complex numbers)."
            )
        if abs(value) > MAX_NUMBER:
            raise FormulaError(f"Numbers must stay within ±{MAX_NUMBER:g}.")
        return
    if isinstance(node, ast.Name):
        if node.id.startswith("_"):
            raise FormulaError("Names starting with an underscore are not allowed.")
        if node.id != VARIABLE and node.id not in CONSTANTS and node.id not in FUNCTIONS:
            raise FormulaError(f"Unknown name {node.id!r}. You can use {_allowed_names()}.")
        return
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Pow):
            exponent = _number(node.right)
            if exponent is not None and abs(exponent) > MAX_EXPONENT:
                raise FormulaError(f"Exponents must stay within ±{MAX_EXPONENT}.")
        return
    if isinstance(node, ast.UnaryOp):
        return
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute):
            raise FormulaError("Attribute access (a dot after a name) is not allowed.")
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            raise FormulaError(f"Only these functions can be called: {', '.join(FUNCTIONS)}.")
        if node.keywords:
            raise FormulaError("Functions take plain arguments here, without name=value.")
        _, arity = FUNCTIONS[node.func.id]
        if len(node.args) != arity or any(isinstance(a, ast.Starred) for a in node.args):
            plural = "s" if arity > 1 else ""
            raise FormulaError(f"{node.func.id} takes {arity} argument{plural}.")
        return
    if isinstance(node, ast.Attribute):
        raise FormulaError("Attribute access (a dot after a name) is not allowed.")
    if isinstance(node, ast.Subscript):
        raise FormulaError("Indexing with [ ] is not allowed.")
    if isinstance(node, ast.Compare | ast.BoolOp):
        raise FormulaError("Comparisons and and/or are not allowed; try sign(x) or maximum(x, 0).")
    raise FormulaError(
        f"{type(node).__name__} is not allowed in a formula. Use numbers, {_allowed_names()}."
    )


def _number(node: ast.AST) -> float | None:
    """The value of a number literal, possibly with a sign, else ``None``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _number(node.operand)
        return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
    return None


def _first_bad_x(x: np.ndarray, bad: np.ndarray) -> str:
    """Where ``bad`` first holds; a constant sub-expression (``1/0``) is bad everywhere."""
    shape = np.broadcast_shapes(np.shape(x), np.shape(bad))
    first = np.argmax(np.broadcast_to(bad, shape))
    return f"x = {float(np.broadcast_to(x, shape).flat[first]):.4g}"


def _evaluate(node: ast.AST, x: np.ndarray) -> np.ndarray:
    if isinstance(node, ast.Expression):
        return _evaluate(node.body, x)
    if isinstance(node, ast.Constant):
        return np.float64(node.value)
    if isinstance(node, ast.Name):
        return x if node.id == VARIABLE else np.float64(CONSTANTS[node.id])
    if isinstance(node, ast.UnaryOp):
        value = _evaluate(node.operand, x)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp):
        left, right = _evaluate(node.left, x), _evaluate(node.right, x)
        if isinstance(node.op, ast.Div):
            if np.ndim(right) == 0 and right == 0:  # as in 1/0: the same for every x
                raise FormulaError("Division by zero: the formula divides by 0 for every x.")
            zero = np.broadcast_to(right == 0, np.broadcast(left, right).shape)
            if zero.any():
                raise FormulaError(f"Division by zero at {_first_bad_x(x, zero)}.")
            return np.divide(left, right)
        if isinstance(node.op, ast.Pow) and np.ndim(right) == 0 and abs(right) > MAX_EXPONENT:
            # a computed constant exponent, as in 9**9**9
            raise FormulaError(f"Exponents must stay within ±{MAX_EXPONENT}.")
        return _OPERATORS[type(node.op)](left, right)
    if isinstance(node, ast.Call):
        function, _ = FUNCTIONS[node.func.id]
        return function(*(_evaluate(arg, x) for arg in node.args))
    raise FormulaError(f"{type(node).__name__} is not allowed in a formula.")  # checked before


def evaluate_formula(text: str, x: np.ndarray) -> np.ndarray:
    """The values of a student's formula at the points ``x``.

    Args:
        text: an expression in ``x``, e.g. ``"sin(3*x) + x**2"``.
        x: points, shape ``(n,)``.

    Returns:
        float64 array of shape ``(n,)``, all finite.

    Raises:
        FormulaError: (a ValueError) with a message for the student when the formula is
            not allowed, or is not a finite number somewhere on ``x``.
    """
    tree = parse_formula(text)
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(all="ignore"):  # non-finite results are reported below, with where
        y = np.broadcast_to(_evaluate(tree, x), x.shape).astype(np.float64)
    bad = ~np.isfinite(y)
    if bad.any():
        raise FormulaError(
            f"The formula is not a finite number at {_first_bad_x(x, bad)} (an overflow, "
            "a log or sqrt of a negative number, or similar). Change the formula or the interval."
        )
    return y


def to_numpy_source(text: str) -> str:
    """A checked formula as plain numpy code, e.g. ``"sin(3*x)"`` → ``"np.sin(3 * x)"``.

    For the exported notebook: the formula passed :func:`parse_formula`, so it holds
    only numbers, ``x``, operators and whitelisted names, which become ``np.<name>``.
    """
    tree = parse_formula(text)

    class ToNumpy(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.AST:
            if node.id == VARIABLE:
                return node
            return ast.Attribute(ast.Name("np", ast.Load()), node.id, ast.Load())

    return ast.unparse(ast.fix_missing_locations(ToNumpy().visit(tree)))
