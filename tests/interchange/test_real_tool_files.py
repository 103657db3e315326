"""Files as the real programs write them: Anki's "Notes in Plain Text", Quizlet's export,
Moodle's GIFT question bank export. Samples in tests/data/exchange/; the Anki ones were
written by the official Anki library 26.9 (`export_note_csv`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from interchange import formats, tabular
from interchange.document import FormatError

EXCHANGE = Path(__file__).resolve().parents[1] / "data" / "exchange"


def read(name: str):
    return formats.read(name, (EXCHANGE / name).read_bytes())


def cards(doc) -> list[tuple[str, str]]:
    return [(c.front, c.back) for c in doc.cards]


def questions(doc) -> list[tuple[str, str, list[tuple[str, bool]], str]]:
    return [
        (q.prompt, q.kind, [(c.text, c.correct) for c in q.choices], q.explanation)
        for q in doc.questions
    ]


class TestAnkiNotesInPlainText:
    def test_extra_columns_are_read_by_their_headers_and_html_becomes_text(self):
        doc = read("anki-notes-plain-text.txt")
        assert cards(doc) == [
            ("过拟合", "模型在训练集上表现好\uff0c测试集上差。\n常见原因\uff1a\n数据少\n模型太复杂"),
            ("欠拟合", "模型太简单 <学不到>\uff0c\"偏差\"大"),
            ("梯度下降的英文", "gradient descent"),
        ]  # fmt: skip
        assert all(c.section == "" for c in doc.cards)  # no guid, note type or tags as a section

    def test_cloze_rows_become_fill_in_blank_questions(self):
        doc = read("anki-notes-plain-text.txt")
        assert questions(doc) == [
            ("____用于评估模型的泛化能力。", "fill_blank", [("交叉验证", True)], "见第三章"),
            ("交叉验证用于评估模型的____\uff08能力\uff09。", "fill_blank", [("泛化能力", True)], "见第三章"),
        ]  # fmt: skip

    def test_the_deck_column_becomes_the_title(self):
        assert read("anki-notes-plain-text.txt").title == "机器学习 · 基础"

    def test_without_html_the_text_is_kept_as_written(self):
        doc = read("anki-notes-plain-text-no-html.txt")
        assert ("欠拟合", "模型太简单 <学不到>\uff0c\"偏差\"大") in cards(doc)  # fmt: skip
        assert len(doc.questions) == 2

    def test_import_headers_columns_deck_and_quoted_commas(self):
        doc = read("anki-import-columns.csv")
        assert cards(doc) == [
            ("过拟合", "模型在训练集上表现好,在新数据上表现差"),
            ("欠拟合", "模型太简单"),
        ]
        assert [c.section for c in doc.cards] == ["", ""]  # the Tags column is not a section
        assert doc.title == "机器学习 · 基础"

    @pytest.mark.parametrize(
        ("header", "separator"),
        [("Tab", "\t"), ("Comma", ","), ("Semicolon", ";"), ("Pipe", "|"), ("Space", " "),
         ("Colon", ":"), ("|", "|")],
    )  # fmt: skip
    def test_every_separator_anki_names(self, header, separator):
        doc = tabular.parse(f"#separator:{header}\n过拟合{separator}训练好测试差\n")
        assert cards(doc) == [("过拟合", "训练好测试差")]

    def test_a_guid_that_starts_with_a_hash_is_a_row_not_a_comment(self):
        text = '#separator:tab\n#html:false\n#guid column:1\n"#a1b2"\t量化\t降低精度\n'
        assert cards(tabular.parse(text)) == [("量化", "降低精度")]

    def test_an_unknown_separator_is_refused(self):
        with pytest.raises(FormatError, match="分隔符"):
            tabular.parse("#separator:Banana\n量化,降低精度\n")


class TestQuizletExport:
    def test_tab_between_term_and_definition_new_line_between_rows(self):
        doc = read("quizlet-tab.txt")
        assert cards(doc) == [
            ("过拟合", "模型在训练集上表现好\uff0c在新数据上表现差"),
            ("欠拟合", "模型太简单\uff0c连训练集都学不好"),
            ("正则化", "在损失函数中加入惩罚项\uff0c限制模型复杂度"),
        ]

    def test_comma_between_term_and_definition_semicolon_between_rows(self):
        doc = formats.read(
            "quizlet.txt", (EXCHANGE / "quizlet-comma-semicolon.txt").read_bytes(), "csv"
        )
        assert cards(doc) == [
            ("过拟合", "模型在训练集上表现好\uff0c在新数据上表现差"),
            ("欠拟合", "模型太简单"),
            ("正则化", "加入惩罚项, 限制模型复杂度"),
        ]

    def test_custom_dash_and_blank_lines_keep_a_definition_on_two_lines(self):
        doc = formats.read("quizlet.txt", (EXCHANGE / "quizlet-custom.txt").read_bytes(), "csv")
        assert cards(doc) == [
            ("过拟合", "模型在训练集上表现好\n在新数据上表现差"),
            ("欠拟合", "模型太简单"),
            ("正则化", "加入惩罚项 - 限制模型复杂度"),
        ]


class TestMoodleGiftExport:
    def test_every_question_kind_moodle_writes(self):
        doc = read("moodle-question-bank.gift")
        assert questions(doc) == [
            ("哪个指标关注漏掉了多少？", "single",
             [("召回率", True), ("准确率", False), ("精确率 (precision)", False)],
             "召回率: 真正为正的样本中，被预测为正的比例。\n见「评估指标」。"),
            ("交叉验证可以评估模型的泛化能力。", "true_false", [("正确", True), ("错误", False)],
             "见「模型评估」一节。"),
            ("哪些是模型压缩的方法？", "multiple",
             [("量化", True), ("剪枝", True), ("扩容", False)], ""),
            ("卷积神经网络的**英文缩写**是什么？", "fill_blank",
             [("CNN", True), ("ConvNet", True)], ""),  # a 0% answer is not accepted
            ("表达式 a = b ~ c # d 中: 哪个符号表示{相等}？", "single",
             [("=", True), ("~", False), ("#", False)], ""),
        ]  # fmt: skip

    def test_categories_are_sections_and_moodle_default_category_is_none(self):
        doc = read("moodle-question-bank.gift")
        assert [q.section for q in doc.questions] == ["评估指标", "评估指标"] + ["模型压缩"] * 3

    def test_a_numerical_question_is_refused_by_name_and_line(self):
        with pytest.raises(FormatError, match="数值题") as caught:
            read("moodle-numerical.gift")
        assert caught.value.line == 2

    @pytest.mark.parametrize(
        ("text", "message"),
        [("::作文::[html]<p>谈谈大模型。</p>{}\n", "问答题"),
         ("::作文::谈谈大模型。{####要点：规模}\n", "问答题")],
    )  # fmt: skip
    def test_an_essay_is_refused_by_name(self, text, message):
        with pytest.raises(FormatError, match=message):
            formats.read("bank.gift", text.encode())

    def test_our_export_escapes_what_moodle_escapes(self):
        from interchange import gift
        from interchange.document import ChoiceDoc, QuestionDoc, SetDoc

        doc = SetDoc(questions=[QuestionDoc("a = b: {c} ~ #d\\e?", "single",
                                            [ChoiceDoc("=", True), ChoiceDoc("~")])])  # fmt: skip
        text = gift.write(doc)
        assert "a \\= b\\: \\{c\\} \\~ \\#d\\\\e?" in text
        assert gift.parse(text).questions[0].prompt == "a = b: {c} ~ #d\\e?"
