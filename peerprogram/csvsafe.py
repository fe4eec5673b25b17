"""CSV files that a spreadsheet opens as data, never as formulas (OWASP "CSV injection").

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel
and LibreOffice as a formula, so a course titled `=HYPERLINK("http://…")` would become a live
link in a coordinator's spreadsheet. Such a cell is written with a leading `'`, which the
spreadsheet shows as text. Numbers (also negative ones, as numbers or as plain number text
like "-0,50") cannot be formulas and are written as they are.

Every CSV export writes through `csv_writer` (or `csv_safe_row`).
"""

import csv
import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# A whole cell that is just a number ("-3", "+0,5", "-1.25") is no formula.
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def csv_safe_cell(value):
    """The value to write: a text that a spreadsheet would run as a formula gets a `'`."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def csv_safe_row(values: Iterable) -> list:
    return [csv_safe_cell(value) for value in values]


class SafeCsvWriter:
    """`csv.writer` whose rows are passed through `csv_safe_row`."""

    def __init__(self, file, **kwargs):
        self._writer = csv.writer(file, **kwargs)

    def writerow(self, row: Iterable):
        return self._writer.writerow(csv_safe_row(row))

    def writerows(self, rows: Iterable[Iterable]):
        for row in rows:
            self.writerow(row)


def csv_writer(file, **kwargs) -> SafeCsvWriter:
    """Like `csv.writer(file, **kwargs)`, with formula-like text cells made harmless."""
    return SafeCsvWriter(file, **kwargs)
