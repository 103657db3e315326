"""Each format: parse, write, round trip, and bad input — without a database."""

from __future__ import annotations

from pathlib import Path

import pytest

from interchange import anki, fixture, formats, gift, quizgecko, tabular
from interchange.document import (
    CardDoc,
    ChoiceDoc,
    FormatError,
    NoteDoc,
    QuestionDoc,
    SetDoc,
)

SEED = (Path(__file__).resolve().parents[1] / "data" / "da-mo-xing.quizgecko.txt").read_text(
    encoding="utf-8"
)


def sample() -> SetDoc:
    return SetDoc(
        title="样例",
        slug="yang-li",
        notes=[NoteDoc("概念", "- 量化:降低精度\n")],
        questions=[
            QuestionDoc(
                "单选: {x} = 1?",
                "single",
                [ChoiceDoc("对~", True), ChoiceDoc("错#")],
                "解析 **粗体**",
                "概念",
            ),
            QuestionDoc(
                "多选?", "multiple", [ChoiceDoc("a", True), ChoiceDoc("b", True), ChoiceDoc("c")]
            ),
            QuestionDoc("判断?", "true_false", [ChoiceDoc("正确", False), ChoiceDoc("错误", True)]),
            QuestionDoc(
                "填空:____",
                "fill_blank",
                [ChoiceDoc("量化", True), ChoiceDoc("quantization", True)],
            ),
        ],
        cards=[
            CardDoc("量化", '降低数值精度, "压缩"模型', "概念"),
            CardDoc("剪枝", "去掉不重要的连接"),
        ],
    )


def shape(doc: SetDoc, *, notes=True, questions=True, cards=True, sections=True):
    """What a round trip must preserve, without primary keys."""
    return (
        [(n.title, n.body) for n in doc.notes] if notes else None,
        [
            (
                q.prompt,
                q.kind,
                [(c.text, c.correct) for c in q.choices],
                q.explanation,
                q.section if sections else "",
            )
            for q in doc.questions
        ]
        if questions
        else None,
        [(c.front, c.back, c.section if sections else "") for c in doc.cards] if cards else None,
    )


class TestQuizgecko:
    def test_seed_file(self):
        doc = quizgecko.parse(SEED)
        assert len(doc.questions) == 10
        assert sum(q.draft for q in doc.questions) == 7
        assert len(doc.cards) == 9
        assert sum(c.draft for c in doc.cards) == 6
        assert [n.title for n in doc.notes] == [
            "",
            "概念",
            "发展历程",
            "关键技术",
            "应用领域",
            "面临的挑战",
            "未来发展趋势",
        ]
        assert "Signup" not in str(doc)
        assert "Studying That Suits You" not in str(doc)

    def test_right_options_and_kinds(self):
        doc = quizgecko.parse(SEED)
        first = doc.questions[0]
        assert first.kind == "single"
        assert [c.correct for c in first.choices].count(True) == 1
        assert not first.choices[0].text.endswith("(correct)")

    def test_another_set_in_the_same_format(self):
        text = "\n".join([
            "Podcast", "Questions and Answers",
            "光合作用的产物是什么?", "光合作用的产物是什么?",
            "- 葡萄糖和氧气 (correct)", "- 二氧化碳和水",
            "哪些是植物细胞特有的结构?", "哪些是植物细胞特有的结构?",
            "- 细胞壁 (correct)", "- 叶绿体 (correct)", "- 细胞膜",
            "Flashcards", "叶绿体", "叶绿体", "进行光合作用的细胞器", "线粒体", "线粒体", LOCKED_TEXT,
            "Study Notes", "细胞", "- 叶绿体:进行光合作用", "- 结构:", "- 细胞壁", "- 细胞膜",
            "Studying That Suits You", "Use AI to generate personalized quizzes",
        ])  # fmt: skip
        doc = quizgecko.parse(text)
        assert [q.kind for q in doc.questions] == ["single", "multiple"]
        assert [c.draft for c in doc.cards] == [False, True]
        assert doc.cards[0].section == "细胞"
        assert doc.notes[0].body == "- 叶绿体:进行光合作用\n- 结构:\n    - 细胞壁\n    - 细胞膜\n"

    def test_round_trip(self):
        doc = quizgecko.parse(SEED)
        again = quizgecko.parse(quizgecko.write(doc))
        assert shape(again) == shape(doc)

    @pytest.mark.parametrize(
        ("text", "line", "message"),
        [
            ("just some text\nmore", 1, "不是 Quizgecko 导出格式"),
            ("Questions and Answers\n- 孤立的选项\nFlashcards\n", 2, "选项前面没有题目"),
            ("Questions and Answers\n问?\n问?\n-  (correct)\nFlashcards\n", 4, "选项是空的"),
            ("Questions and Answers\nFlashcards\n术语\n术语\n", 3, "缺少背面"),
            ("前言\nQuestions and Answers\nFlashcards\n", 1, "第一个分节行之前"),
        ],
    )
    def test_malformed_input_names_the_line(self, text, line, message):
        with pytest.raises(FormatError, match=message) as caught:
            quizgecko.parse(text)
        assert caught.value.line == line
        assert f"第 {line} 行" in str(caught.value)


LOCKED_TEXT = quizgecko.LOCKED


class TestGift:
    def test_round_trip_every_kind(self):
        doc = sample()
        assert shape(gift.parse(gift.write(doc)), notes=False, cards=False) == shape(
            doc, notes=False, cards=False
        )

    def test_reads_moodle_syntax(self):
        text = """
// a comment
::Q1:: 1+1 等于几? {=2 ~3 ~4 #不对}

::Q2:: 地球是圆的。{TRUE}

哪些是偶数?{
~%50%2
~%50%4
~%-100%3
####2 和 4
}

谁写了《红楼梦》?{=曹雪芹 =曹霑}
"""
        doc = gift.parse(text)
        assert [q.kind for q in doc.questions] == ["single", "true_false", "multiple", "fill_blank"]
        assert doc.questions[0].choices[1].text == "3"
        assert doc.questions[2].explanation == "2 和 4"
        assert [c.text for c in doc.questions[3].choices] == ["曹雪芹", "曹霑"]

    @pytest.mark.parametrize(
        ("text", "line", "message"),
        [
            ("问题一 {=a ~b}\n\n问题二 没有答案\n", 3, "找不到答案部分"),
            ("\n\n数值 {#3.14:0.01}", 3, "数值题"),
            ("匹配 {=猫 -> cat =狗 -> dog}", 1, "匹配题"),
            ("都错 {~a ~b}", 1, "没有标出正确答案"),
            ("::无结尾 题目 {=a}", 1, "::"),
            ("// only a comment", 1, "没有 GIFT 题目"),
        ],
    )
    def test_malformed_input_names_the_line(self, text, line, message):
        with pytest.raises(FormatError, match=message) as caught:
            gift.parse(text)
        assert caught.value.line == line


class TestTabular:
    def test_csv_round_trip(self):
        doc = sample()
        assert shape(tabular.parse(tabular.write(doc)), notes=False, questions=False) == shape(
            doc, notes=False, questions=False
        )

    def test_tsv_round_trip(self):
        doc = sample()
        text = tabular.write(doc, "\t")
        assert "\t" in text
        assert shape(tabular.parse(text), notes=False, questions=False) == shape(
            doc, notes=False, questions=False
        )

    def test_header_and_bom_are_skipped(self):
        doc = tabular.parse("\ufeffterm,definition\n量化,降低精度\n")
        assert [(c.front, c.back) for c in doc.cards] == [("量化", "降低精度")]

    def test_anki_style_comment_lines_are_skipped(self):
        doc = tabular.parse("#separator:tab\n#html:false\n量化\t降低精度\n")
        assert len(doc.cards) == 1

    @pytest.mark.parametrize(
        ("text", "line", "message"),
        [
            ("量化,降低精度\n只有一列\n", 2, "需要两列"),
            (",释义\n", 1, "术语是空的"),
            ("量化,\n", 1, "释义是空的"),
            ("\n\n", 1, "没有卡片"),
        ],
    )
    def test_malformed_input_names_the_line(self, text, line, message):
        with pytest.raises(FormatError, match=message) as caught:
            tabular.parse(text)
        assert caught.value.line == line


class TestAnki:
    def test_round_trip_cards_and_questions(self):
        doc = sample()
        back = anki.parse(anki.write(doc))
        assert shape(back, notes=False) == shape(doc, notes=False)

    def test_is_a_real_anki_package(self):
        import io
        import sqlite3
        import tempfile
        import zipfile

        data = anki.write(sample())
        archive = zipfile.ZipFile(io.BytesIO(data))
        assert "collection.anki2" in archive.namelist()
        with tempfile.NamedTemporaryFile(suffix=".anki2") as db:
            db.write(archive.read("collection.anki2"))
            db.flush()
            count = sqlite3.connect(db.name).execute("SELECT count(*) FROM notes").fetchone()[0]
        assert count == 6

    def test_writing_leaves_no_temporary_file(self, tmp_path, monkeypatch):
        import tempfile

        monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
        anki.write(sample())
        assert list(tmp_path.iterdir()) == []

    @pytest.mark.parametrize(
        ("data", "message"),
        [(b"not a zip", "不是有效的 .apkg"), (b"PK\x05\x06" + b"\0" * 18, "没有 Anki 数据库")],
    )
    def test_malformed_input(self, data, message):
        with pytest.raises(FormatError, match=message):
            anki.parse(data)


class TestFixture:
    def test_round_trip(self):
        doc = sample()
        doc.pk = 7
        for pk, note in enumerate(doc.notes, start=70):
            note.pk = pk
        for pk, question in enumerate(doc.questions, start=700):
            question.pk = pk
        assert shape(fixture.parse(fixture.write(doc))) == shape(doc)

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("{not json", "JSON 格式错误"),
            ('{"a": 1}', "不是 Django fixture"),
            ("[]", "正好有一个学习集"),
        ],
    )
    def test_malformed_input(self, text, message):
        with pytest.raises(FormatError, match=message):
            fixture.parse(text)


class TestDetect:
    @pytest.mark.parametrize(
        ("name", "data", "fmt"),
        [
            ("x.txt", SEED.encode(), "quizgecko"),
            ("cards.csv", b"a,b", "csv"),
            ("cards.tsv", b"a\tb", "tsv"),
            ("q.txt", "题 {=a ~b}".encode(), "gift"),
            ("deck.apkg", b"PK\x03\x04", "apkg"),
            ("set.json", b"[]", "json"),
        ],
    )
    def test_by_name_and_content(self, name, data, fmt):
        assert formats.detect(name, data) == fmt

    @pytest.mark.parametrize(
        ("name", "data", "message"),
        [
            ("notes.txt", "只是一些文字".encode(), "无法识别文件格式"),
            ("x.txt", b"\xff\xfe\x00bad", "不是 UTF-8"),
            ("x.csv", b"   ", "文件是空的"),
        ],
    )
    def test_unknown_or_broken_files_are_refused(self, name, data, message):
        with pytest.raises(FormatError, match=message):
            formats.read(name, data)
