"""The one CSV writer: text that a spreadsheet would run as a formula gets a leading quote."""

import io

import pytest

from peerprogram.csvsafe import csv_safe_row, csv_writer


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+45 12 34 56 78", "'+45 12 34 56 78"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Forår, Lejre", "Forår, Lejre"),
        ("", ""),
        # Numbers are data, whether given as numbers or as plain number text.
        (-0.5, -0.5),
        (-3, -3),
        ("-0,50", "-0,50"),
        ("+3", "+3"),
        (None, None),
    ],
)
def test_only_formula_like_text_is_prefixed(value, written):
    assert csv_safe_row([value]) == [written]


def test_the_writer_makes_every_row_safe():
    out = io.StringIO()
    writer = csv_writer(out, delimiter=";")
    writer.writerow(["=1+1", -1])
    writer.writerows([["@x", "ok"]])
    assert out.getvalue().splitlines() == ["'=1+1;-1", "'@x;ok"]
