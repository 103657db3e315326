"""The one Markdown pipeline: structure, ids, glossary links, and safety."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notes.rendering import (
    ALLOWED_TAGS,
    GlossaryTerm,
    heading_id,
    render_markdown,
    sanitize,
)

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="javascript:alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=//evil.example></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](javascript:alert(1))",
    '[x](https://ok.example "t" onclick=alert(1))',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="position:fixed;inset:0">cover</div>',
    '<button hx-get="/admin/" hx-trigger="load">x</button>',
    '<div data-hx-post="/accounts/logout/" data-hx-trigger="load">x</div>',
    '<a hx-delete="/x" href="#">x</a>',
    "<form action=//evil.example><input name=q></form>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<select><template><style><img src=x onerror=alert(1)></style></template></select>",
    '<a href="vbscript:msgbox(1)">x</a>',
    "<base href=//evil.example/>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<link rel=stylesheet href=//evil.example/x.css>",
    "<style>*{display:none}</style>",
    "<!--<img src=x onerror=alert(1)>-->",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    '<h2 id="main">clobber</h2>',
    "<a name=getElementById>x</a>",
]


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def elements(fragment: str):
    collector = _Collector()
    collector.feed(fragment)
    return collector.tags


def url_scheme(url: str) -> str:
    """The scheme a browser reads in `url` (WHATWG URL: leading C0 controls and
    spaces dropped, tabs and newlines removed, a letter then letters, digits,
    + - .), or "" for a relative URL such as ";:"."""
    cleaned = re.sub(r"[\t\n\r]", "", url).lstrip("".join(map(chr, range(0x21))))
    found = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    return found.group(1).lower() if found else ""


def assert_nothing_executable(fragment: str) -> None:
    for tag, attrs in elements(fragment):
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs:
            assert not name.startswith("on"), name
            assert name not in {"style", "srcdoc", "action", "formaction", "name"}, name
            assert not name.startswith(("hx-", "data-")), name
            if name in {"href", "src"} and value:
                scheme = url_scheme(value)
                assert scheme in {"", "http", "https", "mailto"}, value


def test_corpus_is_large_enough():
    assert len(XSS_PAYLOADS) >= 30


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_nothing_executable_survives_rendering(payload):
    out = render_markdown(f"- {payload}\n\n{payload}\n").html
    assert_nothing_executable(out)
    assert "<script" not in out.lower()


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_nothing_executable_survives_sanitising_raw_html(payload):
    assert_nothing_executable(sanitize(payload))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitising_twice_changes_nothing(payload):
    once = render_markdown(payload).html
    assert sanitize(once) == once
    raw_once = sanitize(payload)
    assert sanitize(raw_once) == raw_once


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>\"'=/ :-*_[]()!#`\n\tab模型&;")), max_size=80))
def test_any_input_renders_to_idempotent_safe_html(text):
    out = render_markdown(text).html
    assert sanitize(out) == out
    assert_nothing_executable(out)


def test_raw_html_in_the_source_is_shown_as_text():
    out = render_markdown("a <b>bold</b> word").html
    assert "&lt;b&gt;bold&lt;/b&gt;" in out


def test_source_cannot_set_an_id_that_clobbers_the_page():
    out = render_markdown('<h2 id="main">x</h2>\n\n# 标题 {#main}').html
    ids = [value for _, attrs in elements(out) for name, value in attrs if name == "id"]
    assert "main" not in ids


class TestStructure:
    def test_headings_get_readable_unicode_ids(self):
        assert heading_id("概念") == "概念"
        assert heading_id("自然语言处理 (NLP)") == "自然语言处理-nlp"
        out = render_markdown("# 关键技术\n\n## 模型结构").html
        assert '<h3 id="关键技术">' in out
        assert '<h4 id="模型结构">' in out

    def test_ids_are_prefixed_and_unique(self):
        out = render_markdown("- 量化:一\n- 量化:二\n- 普通要点", id_prefix="节").html
        assert '<li id="节-量化">' in out
        assert '<li id="节-量化-2">' in out
        assert '<li id="节-p3">' in out

    def test_colon_bullets_head_their_nested_bullets_in_the_contents(self):
        rendered = render_markdown("- 训练方法:\n    - 预训练:先学\n    - 微调:后学", id_prefix="s")
        assert [(e.anchor, e.title) for e in rendered.toc] == [("s-训练方法", "训练方法")]

    def test_passages_carry_own_text_without_nested_lists(self):
        rendered = render_markdown("- 推理优化:\n    - 模型压缩:剪枝、量化", id_prefix="s")
        texts = {p.anchor: p.text for p in rendered.passages}
        assert texts["s-推理优化"] == "推理优化:"
        assert texts["s-模型压缩"] == "模型压缩:剪枝、量化"


class TestGlossary:
    TERMS = [
        GlossaryTerm("模型压缩", "/c#1", "降低成本"),
        GlossaryTerm("大模型", "/c#2", "参数巨大"),
    ]

    def test_links_only_the_first_occurrence(self):
        out = render_markdown("- 模型压缩很有用\n- 再说模型压缩", glossary=self.TERMS).html
        assert out.count('href="/c#1"') == 1
        assert out.index('href="/c#1"') < out.index("再说")

    def test_tip_is_described_by_the_link(self):
        out = render_markdown("大模型来了", id_prefix="x", glossary=self.TERMS).html
        assert 'aria-describedby="tip-x-1"' in out
        assert '<span class="term-tip" id="tip-x-1" role="tooltip">参数巨大</span>' in out

    def test_several_terms_in_one_text_node(self):
        out = render_markdown("大模型需要模型压缩。", glossary=self.TERMS).html
        assert out.count('class="term"') == 2
        assert "。" in out

    def test_not_linked_inside_code_links_or_headings(self):
        text = "# 大模型\n\n`模型压缩` and [大模型](https://x.example)"
        out = render_markdown(text, glossary=self.TERMS).html
        assert 'class="term"' not in out

    def test_definition_text_is_escaped(self):
        terms = [GlossaryTerm("量化", "/c#9", '<img src=x onerror="alert(1)">')]
        out = render_markdown("量化", glossary=terms).html
        assert_nothing_executable(out)
        assert "&lt;img" in out

    def test_hostile_href_is_dropped(self):
        terms = [GlossaryTerm("量化", "javascript:alert(1)", "x")]
        out = render_markdown("量化", glossary=terms).html
        assert "javascript:" not in out


def test_unescaped_text_round_trip():
    out = render_markdown("参数 & 数据 < 10").html
    assert html.unescape(out).count("参数 & 数据 < 10") == 1


def test_the_markdown_filter_renders_each_text_once(monkeypatch):
    from notes.templatetags import notes_tags

    calls = []
    monkeypatch.setattr(notes_tags, "render_safe", lambda text: calls.append(text) or text)
    notes_tags._rendered.cache_clear()
    for _ in range(3):
        assert notes_tags.markdown("依据「概念」:**同一段解析**") == "依据「概念」:**同一段解析**"
    assert calls == ["依据「概念」:**同一段解析**"]
    notes_tags._rendered.cache_clear()


def test_ids_for_a_repeated_term_take_linear_work():
    """9,000 bullets that start with the same term once took 17 s: each new id
    probed every id before it. Count the probes instead of timing them."""
    from notes.rendering import _Anchors

    class CountingSet(set):
        probes = 0

        def __contains__(self, item):
            CountingSet.probes += 1
            return super().__contains__(item)

    anchors = _Anchors(markdown.Markdown(), "节", ())
    anchors.used, anchors.next_suffix = CountingSet(), {}
    ids = [anchors._unique("术语") for _ in range(2000)]
    assert ids[:3] == ["节-术语", "节-术语-2", "节-术语-3"]
    assert len(set(ids)) == 2000
    assert CountingSet.probes <= 2 * 2000


def test_an_id_taken_by_another_heading_is_skipped():
    body = "### 术语-2\n\n- 术语:一\n- 术语:二\n- 术语:三"
    ids = re.findall(r'id="([^"]+)"', render_markdown(body).html)
    assert len(ids) == len(set(ids)) == 4


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        (";:", ""),
        ("/notes/#x", ""),
        ("javascript:alert(1)", "javascript"),
        (" \tjava\nscript:alert(1)", "javascript"),
        ("\x01JavaScript:x", "javascript"),
        ("HTTPS://example.com", "https"),
    ],
)
def test_url_scheme_reads_urls_as_a_browser_does(url, scheme):
    assert url_scheme(url) == scheme
