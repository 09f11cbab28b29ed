"""Finds logic written twice: pairs of places where ≥ 6 consecutive logical lines have the same token shape.

How a file is read: `tokenize` splits it into logical lines (a bracketed call spread over ten
physical lines is one logical line). Each token is normalised — identifiers to `N`, strings to
`S`, numbers to `0`; keywords and operators are kept — and comments, blank lines and docstrings
(lines made only of strings) are dropped. A line's shape is its normalised tokens plus its
indentation relative to the first line of the run, so the same code nested differently differs.

What counts as a duplicate pair: two places, in one file or two, where a window of 6 consecutive
logical lines has the same shapes, and that window holds at least 3 *logic* lines. A logic line is
a statement inside a function body other than `pass`, `...`, `break`, `continue` or a bare
`return`, or a control statement (`if`, `for`, `while`, `try`, `with`…) anywhere. Imports,
decorators, `def`/`class` headers and module- or class-level assignments are not logic: a run of
field declarations, `Meta` options, view attributes or URL patterns is declaration, however
alike, and never makes a pair by itself. Windows of the same two places that overlap or touch are
merged into one pair, whose length is the number of logical lines it spans on its first side.
"""

import io
import itertools
import keyword
import tokenize
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

MIN_LINES = 6
MIN_LOGIC_LINES = 3
CONTROL_KEYWORDS = {"if", "elif", "else", "for", "while", "try", "except", "finally", "with", "match", "case"}
TRIVIAL_STATEMENTS = {"pass", "...", "break", "continue", "return", "return None"}
SKIPPED_TOKENS = {tokenize.COMMENT, tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER}
# Python 3.12 splits f-strings into several tokens; each f-string becomes one `S` all the same.
FSTRING_START = getattr(tokenize, "FSTRING_START", None)
FSTRING_END = getattr(tokenize, "FSTRING_END", None)


@dataclass(frozen=True)
class Line:
    """One logical line: where it starts, how deep it is indented, its normalised shape."""

    lineno: int
    depth: int
    shape: str
    logic: bool


@dataclass(frozen=True)
class Pair:
    """Two places with the same shape for `length` logical lines."""

    first: str
    first_line: int
    second: str
    second_line: int
    length: int

    def __str__(self) -> str:
        return f"{self.first}:{self.first_line} ~ {self.second}:{self.second_line} ({self.length} lines)"


def _normalise(token: tokenize.TokenInfo) -> str:
    if token.type == tokenize.NAME:
        return token.string if keyword.iskeyword(token.string) else "N"
    if token.type == tokenize.NUMBER:
        return "0"
    if token.type == tokenize.STRING:
        return "S"
    return token.string


def _is_logic(tokens: list[str], in_function: bool) -> bool:
    head = tokens[0]
    if head in {"import", "@", "def", "class"} or (head == "from" and "import" in tokens):
        return False
    if head == "async":
        return tokens[1] != "def"
    if " ".join(tokens) in TRIVIAL_STATEMENTS:
        return False
    return in_function or head in CONTROL_KEYWORDS


def logical_lines(source: str) -> list[Line]:
    """The file's logical lines with their shapes, without comments, blank lines and docstrings."""
    lines: list[Line] = []
    tokens: list[str] = []
    start = depth = fstring_depth = 0
    scopes: list[tuple[int, bool]] = []  # (depth, is a function) of the enclosing def/class headers
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.INDENT:
            depth += 1
        elif token.type == tokenize.DEDENT:
            depth -= 1
        elif token.type in SKIPPED_TOKENS:
            continue
        elif token.type == tokenize.NEWLINE:
            if tokens and set(tokens) != {"S"}:
                while scopes and scopes[-1][0] >= depth:
                    scopes.pop()
                in_function = any(is_function for _, is_function in scopes)
                lines.append(Line(start, depth, " ".join(tokens), _is_logic(tokens, in_function)))
                if tokens[0] in {"def", "class"} or tokens[:2] == ["async", "def"]:
                    scopes.append((depth, tokens[0] != "class"))
            tokens = []
        elif token.type == FSTRING_START:
            if not fstring_depth:
                tokens.append("S")
            fstring_depth += 1
        elif token.type == FSTRING_END:
            fstring_depth -= 1
        elif not fstring_depth:
            if not tokens:
                start = token.start[0]
            tokens.append(_normalise(token))
    return lines


def _window_key(window: list[Line]) -> tuple[tuple[str, int], ...]:
    return tuple((line.shape, line.depth - window[0].depth) for line in window)


def _merge(starts: list[tuple[int, int]]) -> list[list[int]]:
    """Joins windows (start on side A, start on side B) that overlap or touch on both sides into runs."""
    runs: list[list[int]] = []  # [a_start, a_end, b_start, b_end], ends exclusive
    for a, b in sorted(starts):
        for run in reversed(runs):
            if a <= run[1] and run[0] <= a + MIN_LINES and b <= run[3] and run[2] <= b + MIN_LINES:
                run[:] = [min(run[0], a), max(run[1], a + MIN_LINES), min(run[2], b), max(run[3], b + MIN_LINES)]
                break
        else:
            runs.append([a, a + MIN_LINES, b, b + MIN_LINES])
    return runs


def find_pairs(sources: dict[str, str]) -> list[Pair]:
    """Duplicate pairs among the given sources ({printed name: text}), longest first."""
    files = [(name, logical_lines(text)) for name, text in sources.items()]
    places: dict[tuple[tuple[str, int], ...], list[tuple[int, int]]] = defaultdict(list)
    for f, (_name, lines) in enumerate(files):
        for i in range(len(lines) - MIN_LINES + 1):
            window = lines[i : i + MIN_LINES]
            if sum(line.logic for line in window) >= MIN_LOGIC_LINES:
                places[_window_key(window)].append((f, i))

    hits: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for same_shape in places.values():
        for (fa, a), (fb, b) in itertools.combinations(same_shape, 2):
            if fa != fb or b - a >= MIN_LINES:  # a window never pairs with itself shifted by a line or two
                hits[(fa, fb)].append((a, b))

    pairs = []
    for (fa, fb), starts in hits.items():
        (name_a, lines_a), (name_b, lines_b) = files[fa], files[fb]
        for a_start, a_end, b_start, _b_end in _merge(starts):
            pairs.append(Pair(name_a, lines_a[a_start].lineno, name_b, lines_b[b_start].lineno, a_end - a_start))
    return sorted(pairs, key=lambda p: (-p.length, p.first, p.first_line, p.second, p.second_line))


def scan(paths: Iterable[Path], name: Callable[[Path], str]) -> list[Pair]:
    """Duplicate pairs among files on disk, named in the output by `name(path)`."""
    return find_pairs({name(path): path.read_text(encoding="utf-8") for path in paths})
