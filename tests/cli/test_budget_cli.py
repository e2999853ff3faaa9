"""``pmtui budget``'s what-if figures: finite numbers only, every bad one named in one line."""

from __future__ import annotations

import json
import math

import pytest

from pmtui.domain.budget import render_budget, what_if
from tests.cli.test_cli import assert_one_line_error, run

WHAT_IF = ["budget", "--slo", "99.9", "--window-days", "90"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--elapsed-days", "43", "--consumed", "inf"], ["--consumed: inf", "finite"]),
        (["--elapsed-days", "43", "--consumed", "nan"], ["--consumed: nan", "finite"]),
        (["--consumed", "-inf"], ["--consumed: -inf", "finite"]),
        (["--consumed", "-1"], ["--consumed: -1", "0 or more"]),
        (
            ["--elapsed-days", "43", "--consumed", "1e308", "--consumed", "1e308"],
            ["--consumed: 1e+308 minutes is more than the 90-day window has (129600)"],
        ),
        (["--elapsed-days", "nan"], ["--elapsed-days: nan", "at most 90"]),
        (["--elapsed-days", "inf"], ["--elapsed-days: inf"]),
        (["--elapsed-days", "1e-300"], ["--elapsed-days: 1e-300", "at least a minute"]),
        (["--elapsed-days", "120"], ["--elapsed-days: 120", "at most 90"]),
    ],
)
def test_what_if_refuses_a_figure_that_is_not_finite_or_sane(
    args: list[str], words: list[str]
) -> None:
    proc = run(*WHAT_IF, *args)
    assert_one_line_error(proc, *words)
    assert proc.returncode == 2


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--slo", "nan", "--window-days", "90"], ["--slo: nan"]),
        (["--slo", "inf", "--window-days", "90"], ["--slo: inf"]),
        (["--slo", "99.9", "--window-days", "100000000000000000000"], ["--window-days", "3660"]),
        (["--slo", "99.9", "--window-days", "0"], ["--window-days: 0"]),
    ],
)
def test_what_if_refuses_a_bad_slo_or_window(args: list[str], words: list[str]) -> None:
    proc = run("budget", *args)
    assert_one_line_error(proc, *words)
    assert proc.returncode == 2


def test_what_if_at_the_limits_prints_figures() -> None:
    proc = run(*WHAT_IF, "--elapsed-days", "0.001", "--consumed", "129600", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)[0]
    assert data["consumed_minutes"] == 129600
    assert data["exhausted"] is True
    assert math.isfinite(data["burn_rate_per_day"])


@pytest.mark.parametrize(
    ("elapsed", "consumed"),
    [(43, [1e308, 1e308]), (1e-300, [5.0]), (43, [1e20]), (90, [0.1, 0.2])],
)
def test_budget_arithmetic_never_raises_on_finite_figures(
    elapsed: float, consumed: list[float]
) -> None:
    """The domain itself survives huge figures (a stored document may carry one)."""
    budget = what_if(99.9, 90, elapsed, consumed)
    assert render_budget(budget).startswith("Error budget")
    budget.to_dict()


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan])
def test_budget_refuses_figures_that_are_not_finite(bad: float) -> None:
    with pytest.raises(ValueError, match="finite"):
        what_if(99.9, 90, 43, [23, bad])
    with pytest.raises(ValueError):
        what_if(99.9, 90, bad, [23])


def test_article_example_is_unchanged() -> None:
    proc = run(*WHAT_IF, "--elapsed-days", "43", "--consumed", "23", "--consumed", "51")
    assert proc.returncode == 0, proc.stderr
    for figure in ("129.6 min", "74 min (57.1 %)", "55.6 min (42.9 %)", "day 75"):
        assert figure in proc.stdout


def test_elapsed_days_for_stored_services_must_be_finite() -> None:
    proc = run("--db", "/nonexistent/pm.db", "budget", "--elapsed-days", "nan")
    assert_one_line_error(proc, "--elapsed-days: nan")
    assert proc.returncode == 2
