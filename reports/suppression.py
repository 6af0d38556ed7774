"""Small-number suppression for published tables: primary, then secondary until no hidden count can be worked out.

Primary: a count from 1 up to the threshold (not included) is hidden. Zero is shown: it describes no
one, and hiding every zero would hide most of a small area's table for no protection.

Secondary: a table's lines are sets of cells whose sum is also published (a column and its total, a
row and its total). If a line has exactly one hidden entry, subtracting the others from the total
reveals it, so the smallest other entry of that line is hidden too (a non-zero category before a zero,
a category before the total). This repeats until every line has none or at least two hidden entries.
"""

from collections.abc import Iterable, Sequence

Cell = tuple[int, int]
SUPPRESSED = "*"


def primary(values: dict[Cell, int], threshold: int) -> set[Cell]:
    """Return the cells whose count is from 1 up to the threshold (not included)."""
    return {cell for cell, value in values.items() if 0 < value < threshold}


def secondary(values: dict[Cell, int], hidden: set[Cell], lines: Iterable[Sequence[Cell]]) -> set[Cell]:
    """Return `hidden` grown until no line (its members, then its total last) has exactly one hidden entry."""
    hidden = set(hidden)
    lines = [list(line) for line in lines]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(cell in hidden for cell in line) != 1:
                continue
            shown = [cell for cell in line if cell not in hidden]
            if not shown:
                continue
            total = line[-1]
            # Smallest first; a non-zero count before a zero; a category before the line's total.
            pick = min(shown, key=lambda cell: (cell == total, values[cell] == 0, values[cell], cell))
            hidden.add(pick)
            changed = True
    return hidden


def column_lines(rows: int, columns: int) -> list[list[Cell]]:
    """Lines of a table whose last row holds each column's total."""
    return [[(row, column) for row in range(rows)] for column in range(columns)]


def row_lines(rows: int, columns: int) -> list[list[Cell]]:
    """Lines of a table whose last column holds each row's total."""
    return [[(row, column) for column in range(columns)] for row in range(rows)]


def suppress(table: list[list[int]], *, threshold: int, lines: Iterable[Sequence[Cell]]) -> list[list[int | str]]:
    """Return the table with the cells to hide replaced by "*"."""
    values = {(r, c): value for r, row in enumerate(table) for c, value in enumerate(row)}
    hidden = secondary(values, primary(values, threshold), lines)
    return [[SUPPRESSED if (r, c) in hidden else value for c, value in enumerate(row)] for r, row in enumerate(table)]
