"""scripts/lighthouse.py: how a Lighthouse report becomes scores, failing audits and a verdict
(the run itself needs Chromium and the demo site: `make lighthouse`)."""

from __future__ import annotations

from typing import Any

from scripts.lighthouse import THRESHOLDS, CsrfTokenParser, percent, problems, summarise

URL = "http://127.0.0.1:8000/permits/"


def audit(audit_id: str, score: float | None, mode: str = "binary", **extra: Any) -> dict:
    title = f"Title of {audit_id}"
    return {"id": audit_id, "title": title, "score": score, "scoreDisplayMode": mode, **extra}


def report(scores: dict[str, float | None], audits: list[dict], **extra: Any) -> dict:
    """A Lighthouse report (LHR) cut down to what the script reads; every audit belongs to
    every category here."""
    refs = [{"id": a["id"], "weight": 1} for a in audits]
    return {
        "requestedUrl": URL,
        "finalDisplayedUrl": URL,
        "lighthouseVersion": "12.2.3",
        "configSettings": {"formFactor": "mobile"},
        "categories": {
            category: {"id": category, "score": score, "auditRefs": refs}
            for category, score in scores.items()
        },
        "audits": {a["id"]: a for a in audits},
        **extra,
    }


def test_percent_rounds_as_lighthouse_shows_it():
    assert percent(None) is None
    assert percent(1) == 100
    assert percent(0.975) == 98
    assert percent(0.974) == 97
    assert percent(0.625) == 63


def test_a_page_at_the_thresholds_passes():
    lhr = report({category: minimum / 100 for category, minimum in THRESHOLDS.items()}, [])
    summary = summarise(lhr)
    assert summary["scores"] == THRESHOLDS
    assert summary["failing"] == []
    assert problems(summary, URL) == []


def test_each_category_below_its_threshold_fails():
    lhr = report({"accessibility": 0.97, "best-practices": 0.94, "seo": 0.94}, [])
    assert problems(summarise(lhr), URL) == [
        "accessibility 97 < 98",
        "best-practices 94 < 95",
        "seo 94 < 95",
    ]


def test_failing_and_errored_audits_are_listed_passing_and_unscored_ones_not():
    audits = [
        audit("color-contrast", 0, details={"items": [{}, {}]}),
        audit("image-alt", 1),
        audit("target-size", 0.5, mode="numeric"),
        audit("valid-lang", None, mode="notApplicable"),
        audit("focus-traps", None, mode="manual"),
        audit("csp-xss", None, mode="informative"),
        audit("deprecations", None, mode="error", errorMessage="Protocol error"),
    ]
    lhr = report({"accessibility": 0.9, "best-practices": 1, "seo": 1}, audits)
    failing = [a for a in summarise(lhr)["failing"] if a["category"] == "accessibility"]
    assert [(a["id"], a["score"], a["items"], a["error"]) for a in failing] == [
        ("color-contrast", 0, 2, None),
        ("target-size", 50, 0, None),
        ("deprecations", None, 0, "Protocol error"),
    ]
    assert failing[0]["title"] == "Title of color-contrast"


def test_a_missing_score_or_category_fails():
    lhr = report({"accessibility": None, "best-practices": 1}, [])
    assert problems(summarise(lhr), URL) == ["accessibility: no score", "seo: no score"]


def test_a_failed_run_fails():
    summary = summarise({"runtimeError": {"code": "NO_FCP", "message": "No content"}})
    assert problems(summary, URL)[0] == "Lighthouse failed: No content"


def test_a_page_that_redirected_elsewhere_fails():
    lhr = report(dict.fromkeys(THRESHOLDS, 1), [])
    lhr["finalDisplayedUrl"] = "http://127.0.0.1:8000/accounts/login/?next=/permits/"
    assert problems(summarise(lhr), URL) == [f"audited {lhr['finalDisplayedUrl']} instead of {URL}"]


def test_the_csrf_token_of_the_first_form_is_found():
    parser = CsrfTokenParser()
    parser.feed(
        '<form method="get"><input name="q"></form>'
        '<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="abc">'
        '<input name="username"></form>'
        '<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="def"></form>'
    )
    assert parser.token == "abc"
