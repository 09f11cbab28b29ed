"""Lists the functions and methods of product code whose cyclomatic complexity (radon) exceeds a limit."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from radon.visitors import Class, ComplexityVisitor, Function

LIMIT = 25


@dataclass(frozen=True)
class Complex:
    """A function or method over the limit."""

    path: str
    line: int
    name: str
    complexity: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line} {self.name} ({self.complexity})"


def _functions(blocks: Iterable[Function | Class]) -> Iterator[Function]:
    """Every function in radon's blocks, methods and nested functions included."""
    for block in blocks:
        if isinstance(block, Class):
            yield from _functions([*block.methods, *block.inner_classes])
        else:
            yield block
            yield from _functions(block.closures)


def _functions_in(path: Path) -> Iterator[Function]:
    visitor = ComplexityVisitor.from_code(path.read_text(encoding="utf-8"))
    return _functions([*visitor.functions, *visitor.classes])


def too_complex(paths: Iterable[Path], name: Callable[[Path], str], limit: int = LIMIT) -> list[Complex]:
    """Functions with complexity above `limit`, most complex first."""
    found = [
        Complex(name(path), function.lineno, function.fullname, function.complexity)
        for path in paths
        for function in _functions_in(path)
        if function.complexity > limit
    ]
    return sorted(found, key=lambda c: (-c.complexity, c.path, c.line))
