"""`make bench` and `make bench-deadline` judge each target of issue 15 from the figures they measure: these
check the judging (no server, no database), so a table that says "yes" means the target was met."""

from bench.common import Row, scaling_rows, small_database_url, target_for
from bench.deadline_checks import target_rows


def figures(rps: float, p95: float, **overrides) -> dict:
    errors = {"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0}
    return {"requests": 100, "rps": rps, "p50": p95 / 2, "p95": p95, "p99": p95, "queries": 5, **errors, **overrides}


def verdicts(results: dict, proofs: dict | None = None) -> dict[str, str]:
    rows = Row.from_results(results, proofs or {}, {"ranking_error": "not timed"}, baseline_rps=1000)
    return {row.page: row.met for row in rows}


def test_each_uncached_page_is_held_to_its_own_ratio_and_p95():
    met = verdicts(
        {
            "baseline": figures(1000, 5),
            "challenge page": figures(450, 20),  # 45 % of the baseline: needs 50 %
            "home page": figures(450, 20),  # needs 30 %
            "challenge listing": figures(450, 61),  # p95 over 60 ms
            "archive search, broad ('council')": figures(210, 49),
            "archive search, filter only (a theme)": figures(190, 20),  # 19 %: needs 20 %
            "supplier: a section (question page)": figures(300, 60),
            "ranking page, 1 connection": figures(10, 101),
        }
    )
    assert met == {
        "baseline": "—",
        "challenge page": "**no**",
        "home page": "yes",
        "challenge listing": "**no**",
        "archive search, broad ('council')": "yes",
        "archive search, filter only (a theme)": "**no**",
        "supplier: a section (question page)": "yes",
        "ranking page, 1 connection": "**no**",
        "the results page's ranking (results_page, page 1), in-process (median of 5)": "—",
        "ranking with every proposal's criterion means (the exports), in-process": "—",
    }


def test_errors_no_finished_request_or_an_unmeasured_page_never_meet_a_target():
    met = verdicts(
        {
            "baseline": figures(1000, 5),
            "home page": figures(900, 5, timeout=3),
            "ranking page, 16 connections": figures(0, 0, requests=0),
            "supplier: a proposal's task list": {"skipped": "/proposals/3/ answered 302"},
        }
    )
    assert met["home page"] == "**no**"
    assert met["ranking page, 16 connections"] == "**no**"
    assert met["supplier: a proposal's task list"] == "**not measured**"
    assert target_for("supplier: a proposal's task list")[0] == "≥ 30% of baseline rps, p95 ≤ 60 ms"


def test_cached_pages_need_3000_rps_and_hits_that_made_no_query():
    met = verdicts(
        {
            "baseline": figures(1000, 5),
            "home page, cached": figures(3100, 5),
            "challenge page, cached": figures(3100, 5),
            "challenge listing, cached": figures(2900, 5),
        },
        {"home page, cached": (200, 0), "challenge page, cached": (200, 1), "challenge listing, cached": (200, 0)},
    )
    assert (met["home page, cached"], met["challenge page, cached"], met["challenge listing, cached"]) == (
        "yes",
        "**no**",
        "**no**",
    )


def test_an_export_is_met_only_when_its_slowest_download_takes_at_most_a_second():
    met = verdicts(
        {
            "baseline": figures(1000, 5),
            "ranking export, CSV": {"downloads_ms": [300, 400, 1001], "status": 200, "bytes": 10},
            "ranking export, XLSX": {"downloads_ms": [900, 950, 990], "status": 200, "bytes": 10},
        }
    )
    assert (met["ranking export, CSV"], met["ranking export, XLSX"]) == ("**no**", "yes")


def test_a_public_page_scales_when_its_time_at_10000_is_within_one_and_a_half_times_its_time_at_100():
    small = {name: {"status": 200, "median_ms": 10.0, "queries": 8, "path": "/"} for name in ("a", "b", "c")}
    large = {
        "a": {"status": 200, "median_ms": 15.0, "queries": 8, "path": "/"},
        "b": {"status": 200, "median_ms": 15.1, "queries": 8, "path": "/"},
        "c": {"status": 404, "path": "/"},
    }
    assert [row[-1] for row in scaling_rows(small, large)] == ["yes", "**no**", "**not measured**"]


def test_the_deadline_spike_is_judged_against_each_target():
    rows = target_rows(
        rate=10.0,
        duration=20.0,
        per_submission=0.081,
        submit_p95=2.0,
        spike_p95=2.1,
        server_errors=0,
        other_errors=0,
        checks=[("submitted proposals", "200 of 200", True), ("stored files", "199 of 200", False)],
    )
    assert [row.rsplit("|", 2)[1].strip() for row in rows] == ["yes", "**NO**", "yes", "**NO**", "**NO**", "yes", "yes"]


def test_the_small_database_is_named_after_the_main_one():
    assert small_database_url("postgres://postgres@127.0.0.1:5432/bench_site") == (
        "postgres://postgres@127.0.0.1:5432/bench_site_small"
    )
