"""Every page's breadcrumb and <h1> come from one include (issue 20 §4)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string

from tests.factories import make_study_set

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
HEADER = TEMPLATES / "_page_header.html"


def page_templates() -> list[Path]:
    """The site's own templates; Django admin's keep admin's own breadcrumbs."""
    return [
        path
        for path in sorted(TEMPLATES.rglob("*.html"))
        if "admin" not in path.relative_to(TEMPLATES).parts
    ]


def test_breadcrumbs_are_written_only_in_the_page_header_include():
    written = [
        str(path.relative_to(TEMPLATES))
        for path in page_templates()
        if path != HEADER and 'class="breadcrumbs"' in path.read_text()
    ]
    assert HEADER.exists()
    assert written == []


def test_every_page_with_breadcrumbs_includes_the_page_header():
    including = {
        str(path.relative_to(TEMPLATES))
        for path in page_templates()
        if '{% include "_page_header.html"' in path.read_text()
    }
    assert including >= {
        "notes/overview.html",
        "notes/notes.html",
        "progress/stats.html",
        "generator/review.html",
        "generator/progress.html",
        "quizzes/results.html",
        "quizzes/quiz.html",
        "flashcards/flashcards.html",
        "podcasts/podcast.html",
    }


@pytest.mark.django_db
def test_page_header_links_home_the_set_and_a_parent_then_marks_the_current_page():
    study_set = make_study_set(title="细胞生物学")
    html = render_to_string(
        "_page_header.html",
        {
            "crumb_set": study_set,
            "crumb_parent_url": "/sets/x/quiz/",
            "crumb_parent_label": "问答",
            "crumb": "结果",
            "heading": "答题结果",
        },
    )
    nav = re.search(r'<nav class="breadcrumbs" aria-label="位置">(.*?)</nav>', html, re.S)
    assert nav is not None
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav.group(1))
    assert links == [
        ("/", "学习集"),
        (study_set.get_absolute_url(), "细胞生物学"),
        ("/sets/x/quiz/", "问答"),
    ]
    assert nav.group(1).count('<span aria-hidden="true">›</span>') == 3
    assert '<span aria-current="page">结果</span>' in nav.group(1)
    assert re.search(r"<h1>答题结果</h1>", html)


@pytest.mark.django_db
def test_page_header_heading_defaults_to_the_page_and_the_set_title():
    study_set = make_study_set(title="细胞生物学")
    html = render_to_string("_page_header.html", {"crumb_set": study_set, "crumb": "抽认卡"})
    assert "<h1>抽认卡\uff1a细胞生物学</h1>" in html


def test_page_header_shows_a_chip_after_the_heading():
    html = render_to_string(
        "_page_header.html", {"crumb": "我的集", "heading": "我的集", "heading_chip": "私有"}
    )
    assert '<h1>我的集 <span class="chip">私有</span></h1>' in html
    assert html.count('<span aria-hidden="true">›</span>') == 1
