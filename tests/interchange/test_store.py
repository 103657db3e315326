"""Import into the database and export back: commands, round trips, all-or-nothing."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from flashcards.models import Card
from interchange import formats, store
from interchange.document import FormatError
from notes.models import Note, StudySet
from quizzes.models import Choice, Question
from tests.interchange.test_formats import SEED

pytestmark = pytest.mark.django_db


def snapshot(study_set: StudySet):
    return snapshot_of(store.load(study_set))


@pytest.fixture
def seed_file(tmp_path):
    path = tmp_path / "000_fa3858be3fb9bde3.txt"
    path.write_text(SEED, encoding="utf-8")
    return path


class TestImportCommand:
    def test_seed_file_makes_a_set_with_drafts_listed(self, seed_file, capsys):
        call_command("import_studyset", str(seed_file), "--title", "大模型")
        out = capsys.readouterr().out
        study_set = StudySet.objects.get(slug="da-mo-xing")
        assert study_set.questions.count() == 10
        assert study_set.questions.filter(is_draft=True).count() == 7
        assert study_set.cards.count() == 9
        assert study_set.cards.filter(is_draft=True).count() == 6
        assert list(study_set.notes.values_list("title", flat=True)) == [
            "", "概念", "发展历程", "关键技术", "应用领域", "面临的挑战", "未来发展趋势"
        ]  # fmt: skip
        assert "待完善\uff0813 项" in out
        assert out.rstrip().endswith("卡片\uff1a安全性")  # drafts come last

    def test_drafts_are_hidden_from_learners(self, seed_file, client):
        call_command("import_studyset", str(seed_file), "--title", "大模型")
        html = client.get("/sets/da-mo-xing/").content.decode()
        assert "3 道题" in html
        assert "模型压缩技术的目标是什么" not in html
        assert client.get("/sets/da-mo-xing/flashcards/").context["cards_total"] == 3

    def test_importing_again_updates_instead_of_duplicating(self, seed_file):
        call_command("import_studyset", str(seed_file), "--title", "大模型")
        first = snapshot(StudySet.objects.get())
        call_command("import_studyset", str(seed_file), "--title", "大模型")
        assert StudySet.objects.count() == 1
        assert snapshot(StudySet.objects.get()) == first
        assert Question.objects.count() == 10
        assert Choice.objects.count() == 12

    def test_reimport_keeps_what_staff_completed(self, seed_file):
        call_command("import_studyset", str(seed_file), "--title", "大模型")
        card = Card.objects.get(front="推荐系统")
        card.back, card.is_draft = "根据用户的历史行为和偏好推荐。", False
        card.save()
        call_command("import_studyset", str(seed_file), "--title", "大模型")
        card.refresh_from_db()
        assert (card.back, card.is_draft) == ("根据用户的历史行为和偏好推荐。", False)

    def test_malformed_file_is_refused_with_its_line_and_nothing_is_imported(self, tmp_path):
        path = tmp_path / "bad.gift"
        path.write_text("好题 {=a ~b}\n\n坏题 没有答案\n", encoding="utf-8")
        with pytest.raises(CommandError, match="第 3 行\uff1a找不到答案部分"):
            call_command("import_studyset", str(path), "--title", "坏")
        assert not StudySet.objects.exists()

    def test_failure_midway_rolls_back(self, monkeypatch, seed_file):
        def explode(*args, **kwargs):
            raise FormatError("模拟的写入失败")

        monkeypatch.setattr(store, "_save_cards", explode)
        with pytest.raises(CommandError, match="模拟的写入失败"):
            call_command("import_studyset", str(seed_file), "--title", "大模型")
        assert not StudySet.objects.exists()
        assert not Note.objects.exists()
        assert not Question.objects.exists()

    def test_unknown_file(self, tmp_path):
        path = tmp_path / "x.txt"
        path.write_text("随便写的几行字", encoding="utf-8")
        with pytest.raises(CommandError, match="无法识别文件格式"):
            call_command("import_studyset", str(path), "--title", "x")

    def test_missing_file(self):
        with pytest.raises(CommandError, match="找不到文件"):
            call_command("import_studyset", "/nonexistent/file.txt")

    def test_cards_from_csv_into_an_existing_set(self, da_mo_xing, tmp_path):
        path = tmp_path / "cards.csv"
        path.write_text("term,definition\n量化,降低数值精度\n", encoding="utf-8")
        call_command("import_studyset", str(path), "--slug", "da-mo-xing")
        assert da_mo_xing.cards.filter(front="量化", is_draft=False).exists()
        assert da_mo_xing.cards.count() == 10


def notes_of(doc):
    return [(n.title, n.body) for n in doc.notes]


def questions_of(doc, *, explanation=True):
    return [
        (
            q.prompt,
            q.kind,
            [(c.text, c.correct) for c in q.choices],
            q.explanation if explanation else "",
        )
        for q in doc.questions
    ]


def cards_of(doc):
    return [(c.front, c.back) for c in doc.cards]


# What each format carries; sections need the notes, which only json and quizgecko hold.
CARRIES = {
    "json": lambda d: (snapshot_of(d),),
    "quizgecko": lambda d: (
        notes_of(d),
        [q for q in questions_of(d, explanation=False) if q[1] != "fill_blank"],  # none on the page
        cards_of(d),
    ),
    "apkg": lambda d: (questions_of(d), cards_of(d)),
    "gift": lambda d: (questions_of(d),),
    "csv": lambda d: (cards_of(d),),
    "tsv": lambda d: (cards_of(d),),
}


def snapshot_of(doc):
    return (
        notes_of(doc),
        [
            (
                q.prompt,
                q.kind,
                [(c.text, c.correct) for c in q.choices],
                q.explanation,
                q.section,
                q.draft,
            )
            for q in doc.questions
        ],
        [(c.front, c.back, c.section, c.draft) for c in doc.cards],
    )


@pytest.mark.parametrize("fmt", list(CARRIES))
def test_export_then_import_gives_back_the_same_set(da_mo_xing, tmp_path, fmt):
    before = CARRIES[fmt](store.load(da_mo_xing))
    out = tmp_path / f"export.{formats.EXTENSIONS[fmt]}"
    call_command("export_studyset", "da-mo-xing", "--format", fmt, "--output", str(out))
    StudySet.objects.all().delete()
    if fmt == "json":
        call_command("loaddata", str(out), verbosity=0)
    else:
        call_command("import_studyset", str(out), "--title", "大模型", "--slug", "da-mo-xing")
    after = CARRIES[fmt](store.load(StudySet.objects.get(slug="da-mo-xing")))
    assert after == before
    assert all(part for part in after)  # each format carried something real


def test_json_export_loads_twice_without_duplicates(da_mo_xing, tmp_path):
    out = tmp_path / "export.json"
    call_command("export_studyset", "da-mo-xing", "--format", "json", "--output", str(out))
    call_command("loaddata", str(out), verbosity=0)
    call_command("loaddata", str(out), verbosity=0)
    assert Question.objects.count() == 16
    assert Card.objects.count() == 9


def test_export_of_an_unknown_set(tmp_path):
    with pytest.raises(CommandError, match="没有网址名为 nope"):
        call_command("export_studyset", "nope", "--format", "csv", "--output", str(tmp_path / "x"))


class TestImportPublishesOnlyCompleteItems:
    """An import applies the one completeness rule: what admin or the generator's
    review would refuse to publish comes in as 待完善."""

    def doc(self, *questions, cards=()):
        from interchange.document import SetDoc

        return SetDoc(title="导入测试", questions=list(questions), cards=list(cards))

    @pytest.mark.parametrize(
        ("kind", "choices"),
        [
            ("single", [("唯一的选项", True)]),
            ("single", [("甲", True), ("乙", True)]),
            ("fill_blank", [("自注意力", True), ("卷积", False)]),
        ],
    )
    def test_an_incomplete_question_is_imported_as_a_draft(self, kind, choices):
        from interchange.document import ChoiceDoc, QuestionDoc

        question = QuestionDoc("下列哪项正确\uff1f", kind, [ChoiceDoc(t, r) for t, r in choices])
        report = store.save(self.doc(question))
        assert report.study_set.questions.get().is_draft
        assert report.drafts == ["题目\uff1a下列哪项正确\uff1f"]

    def test_a_card_whose_back_is_whitespace_is_imported_as_a_draft(self):
        from interchange.document import CardDoc

        report = store.save(self.doc(cards=[CardDoc("预训练", " \u3000 ")]))
        assert report.study_set.cards.get().is_draft

    @pytest.mark.parametrize("blank", ["", "\u3000", " \u3000\n"])
    def test_a_blank_option_is_not_stored(self, blank):
        # The rule does not count an option without text, so a question with one
        # is published; stored, the blank option showed as an empty choice and,
        # marked right, made a 单选题 no answer could get right (two right options).
        from interchange.document import ChoiceDoc, QuestionDoc
        from quizzes.grading import grade

        choices = [ChoiceDoc("甲", True), ChoiceDoc(blank, True), ChoiceDoc("乙", False)]
        report = store.save(self.doc(QuestionDoc("下列哪项正确\uff1f", "single", choices)))
        question = report.study_set.questions.get()
        assert not question.is_draft
        assert [(c.text, c.is_correct) for c in question.choices.all()] == [
            ("甲", True),
            ("乙", False),
        ]
        item = question.snapshot(0)
        right = [option.id for option in item.options if option.correct]
        assert len(item.options) == 2
        assert grade("single", right=right, chosen=right).correct
