"""HTML fields → text, and Cloze deletions → fill-in-blank questions (pure, no Anki needed)."""

from __future__ import annotations

import time

import pytest

from interchange.anki import cloze_deletions, cloze_questions, field_text
from interchange.markup import html_to_text


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("量化<br>剪枝", "量化\n剪枝"),
        ("量化<BR/>剪枝", "量化\n剪枝"),
        ("<div>量化</div><div>剪枝</div>", "量化\n剪枝"),
        ("<div>量化</div><div><br></div><div>剪枝</div>", "量化\n\n剪枝"),  # Anki's blank line
        ("<p>量化</p>\n<p>剪枝</p>", "量化\n剪枝"),
        ("<ul><li>量化</li><li>剪枝</li></ul>", "量化\n剪枝"),
        ("<b>大</b>模型", "大模型"),
        ("&lt;int8&gt; &amp; fp16", "<int8> & fp16"),
        ("精度&nbsp;下降", "精度 下降"),
        ("&#20013;&#x6587;", "中文"),
        ("a<script>alert(1)</script>b", "ab"),
        ("<style>.x{}</style>正文", "正文"),
        ("<!-- 注释 -->正文", "正文"),
        ("1 < 2 且 3 > 2", "1 < 2 且 3 > 2"),
        ("<img src=\"x.png\">图", "图"),
        ("  <div>  </div>  ", ""),
    ],
)  # fmt: skip
def test_html_becomes_text(field, text):
    assert html_to_text(field) == text


def test_sound_references_go_with_the_media():
    assert field_text("[sound:a.mp3]行是真实类别") == "行是真实类别"


@pytest.mark.parametrize("hostile", ["<a" * 500_000, "<!--" * 250_000, "{{c1::" * 170_000])
def test_hostile_fields_cost_linear_time(hostile):
    started = time.monotonic()
    field_text(hostile)
    cloze_questions(hostile)
    assert time.monotonic() - started < 2


def test_cloze_deletions_with_hints_in_order():
    assert cloze_deletions("{{c1::交叉验证}}评估{{c2::泛化能力::能力}}") == [
        (0, 12, 1, "交叉验证", ""),
        (14, 30, 2, "泛化能力", "能力"),
    ]


def test_each_cloze_number_is_its_own_question_with_the_others_shown():
    found = cloze_questions("{{c1::量化}}和{{c2::剪枝}}都能压缩模型", "见关键技术", "概念")
    assert [(q.prompt, [c.text for c in q.choices], q.explanation, q.section) for q in found] == [
        ("____和剪枝都能压缩模型", ["量化"], "见关键技术", "概念"),
        ("量化和____都能压缩模型", ["剪枝"], "见关键技术", "概念"),
    ]


def test_deletions_sharing_a_number_are_one_question_answered_in_order():
    (question,) = cloze_questions("{{c1::量化}}和{{c1::剪枝}}都能压缩模型")
    assert question.prompt == "____和____都能压缩模型"
    assert [c.text for c in question.choices] == ["量化\u3001剪枝"]


def test_a_deletion_without_text_is_a_draft():
    (question,) = cloze_questions('{{c1::<img src="a.png">}}是什么')
    assert question.draft
    assert question.choices == []


def test_text_without_deletions_makes_no_question():
    assert cloze_questions("没有填空 {{c::x}} {{cx::y}}") == []
