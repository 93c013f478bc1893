"""The line-capture guarantee: missing, doubled and misnumbered lines are caught."""
from __future__ import annotations

from agents.reconcile import numbering_issues, reconcile


def lines(*totals, numbers=None):
    numbers = numbers or list(range(1, len(totals) + 1))
    return [{"line_no": n, "sku": f"S{n}", "qty": "1", "unit_price": t, "line_total": t} for n, t in zip(numbers, totals)]


def test_lines_that_add_up_pass():
    assert reconcile({"lines": lines("10.00", "5.50"), "order_total": "15.50"}) == []


def test_a_missing_line_shows_as_a_total_mismatch_naming_the_suspicion():
    issues = reconcile({"lines": lines("10.00", "5.50"), "order_total": "20.50"})
    assert [i["code"] for i in issues] == ["total_mismatch"]
    assert "missing" in issues[0]["message_en"]


def test_a_doubled_line_is_caught_by_sum_and_repetition():
    doubled = lines("10.00", "5.50")
    doubled.append(dict(doubled[-1]))
    issues = reconcile({"lines": doubled, "order_total": "15.50"})
    checks = {i["check"] for i in issues}
    assert {"sum", "duplicate_line_no", "repeated_line"} <= checks


def test_numbering_gaps_in_steps_of_ten_are_found():
    issues = numbering_issues([10, 20, 40])
    assert issues and issues[0]["data"]["missing"] == [30]
    assert numbering_issues([1, 2, 3]) == []


def test_printed_line_count_must_equal_lines_read():
    issues = reconcile({"lines": lines("1", "2"), "printed_line_count": 3})
    assert issues[0]["check"] == "line_count"


def test_no_lines_is_a_doubt_too():
    issue = reconcile({"lines": []})[0]
    assert issue["check"] == "no_lines" and issue["code"] == "no_lines"
