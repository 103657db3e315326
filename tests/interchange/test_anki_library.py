"""Our .apkg against the official Anki library (PyPI `anki`, the desktop app's backend).

Both ways: what we export imports into a fresh Anki collection, every note
loadable, and a newer export updates those notes instead of duplicating them;
what Anki itself writes (legacy and current .apkg, .colpkg), built here with
Anki's own API, imports into our app with the right cards and questions.
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from interchange import anki as ours
from interchange import formats
from interchange.document import CardDoc, ChoiceDoc, FormatError, QuestionDoc, SetDoc
from notes.models import StudySet

if os.environ.get("CI", "").lower() in {"1", "true"}:
    from anki.collection import Collection  # CI installs .[dev]: a missing library is an error
else:
    Collection = pytest.importorskip(  # type: ignore[misc]  # the same class, or a skip
        "anki.collection",
        reason="the official Anki library (pip install anki) has no wheel for this platform",
    ).Collection

from anki.collection import (  # noqa: E402
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)

T0 = 1_790_000_000.0  # an export time (2026-09); a later export is T0 + an hour


def sample() -> SetDoc:
    return SetDoc(
        title="大模型",
        slug="da-mo-xing",
        questions=[
            QuestionDoc(
                "什么是大模型\uff1f",
                "single",
                [ChoiceDoc("参数量巨大的模型", True), ChoiceDoc("很小的模型")],
                "见\u300c概念\u300d。",
                "概念",
            ),
            QuestionDoc(
                "哪些是压缩方法\uff1f",
                "multiple",
                [ChoiceDoc("量化", True), ChoiceDoc("剪枝", True), ChoiceDoc("扩容")],
            ),
            QuestionDoc(
                "大模型一定需要联网\u3002",
                "true_false",
                [ChoiceDoc("正确"), ChoiceDoc("错误", True)],
            ),
            QuestionDoc("____是把权重换成低精度数值", "fill_blank", [ChoiceDoc("量化", True)]),
        ],
        cards=[
            CardDoc("量化", "降低数值精度\n例如 <int8> & fp16", "关键技术"),
            CardDoc("剪枝", "去掉不重要的连接"),
        ],
    )


def import_into(collection, data: bytes, tmp_path: Path, name: str = "deck.apkg"):
    path = tmp_path / name
    path.write_bytes(data)
    request = ImportAnkiPackageRequest(
        package_path=str(path), options=ImportAnkiPackageOptions()
    )  # Anki's defaults: update notes and note types "if newer"
    return collection.import_anki_package(request).log


@pytest.fixture
def collection(tmp_path):
    col = Collection(str(tmp_path / "collection.anki2"))
    yield col
    col.close()


def notes_of(col) -> dict[str, object]:
    return {col.get_note(nid).fields[0]: col.get_note(nid) for nid in col.find_notes("")}


class TestOurExportInAnki:
    def test_every_note_imports_and_loads_with_its_fields(self, collection, tmp_path):
        log = import_into(collection, ours.write(sample(), now=T0), tmp_path)
        assert len(log.new) == 6
        notes = notes_of(collection)
        assert set(notes) == {"量化", "剪枝", "什么是大模型\uff1f", "哪些是压缩方法\uff1f",
                              "大模型一定需要联网\u3002", "____是把权重换成低精度数值"}  # fmt: skip
        card = notes["量化"]
        assert card.note_type()["name"] == "StudySite 抽认卡"
        assert card.fields == ["量化", "降低数值精度<br>例如 &lt;int8&gt; &amp; fp16", "关键技术"]
        question = notes["什么是大模型\uff1f"]
        assert question.note_type()["name"] == "StudySite 问答"
        assert question["答案"] == "✓ 参数量巨大的模型"
        assert question["解析"] == "见\u300c概念\u300d。"
        for note in notes.values():
            assert note.id > 0
            assert note.mod == int(T0)
            for card in note.cards():
                assert card.id > 0
                assert card.question()  # the template renders
        assert len(collection.find_cards("")) == 6

    def test_anki_check_database_finds_nothing_to_fix(self, collection, tmp_path):
        untouched = collection.fix_integrity()  # what it says of a fresh collection
        import_into(collection, ours.write(sample(), now=T0), tmp_path)
        assert collection.fix_integrity() == untouched

    def test_a_newer_export_after_an_edit_updates_the_notes(self, collection, tmp_path):
        doc = sample()
        import_into(collection, ours.write(doc, now=T0), tmp_path, "first.apkg")
        ids = {front: note.id for front, note in notes_of(collection).items()}
        decks, notetypes = collection.decks.count(), len(collection.models.all_names_and_ids())

        doc.cards[1] = replace(doc.cards[1], back="去掉不重要的连接和神经元")
        doc.questions[0] = replace(
            doc.questions[0], explanation="参数量巨大\uff0c见\u300c概念\u300d。"
        )
        log = import_into(collection, ours.write(doc, now=T0 + 3600), tmp_path, "second.apkg")

        assert len(log.new) == 0
        assert len(log.duplicate) == 0
        assert len(log.updated) == 6
        notes = notes_of(collection)
        assert {front: note.id for front, note in notes.items()} == ids
        assert notes["剪枝"]["背面"] == "去掉不重要的连接和神经元"
        assert notes["什么是大模型\uff1f"]["解析"] == "参数量巨大\uff0c见\u300c概念\u300d。"
        assert collection.decks.count() == decks  # the same deck and note types, not copies
        assert len(collection.models.all_names_and_ids()) == notetypes

    def test_an_older_export_does_not_overwrite_a_newer_one(self, collection, tmp_path):
        doc = sample()
        import_into(collection, ours.write(doc, now=T0 + 3600), tmp_path, "newer.apkg")
        doc.cards[1] = replace(doc.cards[1], back="旧的释义")
        log = import_into(collection, ours.write(doc, now=T0), tmp_path, "older.apkg")
        assert len(log.updated) == 0
        assert notes_of(collection)["剪枝"]["背面"] == "去掉不重要的连接"

    def test_the_set_lands_in_its_deck(self, collection, tmp_path):
        import_into(collection, ours.write(sample(), now=T0), tmp_path)
        assert "学习站::大模型" in collection.decks.all_names()
        assert len(collection.find_cards('"deck:学习站::大模型"')) == 6


# Notes as a learner makes them in Anki, one of each note type we read.
ANKI_NOTES = [
    ("Basic", "过拟合", "模型在训练集上表现好\uff0c<b>测试集</b>上差\u3002<br>常见原因\uff1a"
     "<div>数据少</div><div>模型太复杂</div>"),
    ("Basic (and reversed card)", "欠拟合", "模型太简单&nbsp;&lt;学不到&gt; &amp; 偏差大"),
    ("Basic (type in the answer)", "梯度下降的英文", "gradient descent"),
    ("Cloze", "{{c1::交叉验证}}用于评估模型的{{c2::泛化能力::能力}}\u3002", "见<i>第三章</i>"),
    ("Basic", "混淆矩阵<img src=\"matrix.png\">", "[sound:matrix.mp3]行是真实类别\uff0c列是预测类别"),
]  # fmt: skip


def anki_collection(folder: Path):
    col = Collection(str(folder / "collection.anki2"))
    deck = col.decks.id("机器学习::基础")
    assert deck is not None  # made if missing
    for kind, *fields in ANKI_NOTES:
        note_type = col.models.by_name(kind)
        assert note_type is not None  # a new collection has the stock note types
        note = col.new_note(note_type)
        for index, value in enumerate(fields):
            note.fields[index] = value
        col.add_note(note, deck)
    (Path(col.media.dir()) / "matrix.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return col


@pytest.fixture(scope="module")
def anki_packages(tmp_path_factory) -> dict[str, bytes]:
    """The same deck as each package Anki writes today: .apkg legacy and current, .colpkg."""
    folder = tmp_path_factory.mktemp("anki")
    col = anki_collection(folder)
    packages = {}
    for name, legacy in (("legacy.apkg", True), ("current.apkg", False)):
        col.export_anki_package(
            out_path=str(folder / name),
            options=ExportAnkiPackageOptions(with_media=True, legacy=legacy),
            limit=None,
        )
        packages[name] = (folder / name).read_bytes()
    for name, html in (("notes-html.txt", True), ("notes-plain.txt", False)):
        col.export_note_csv(
            out_path=str(folder / name), limit=None, with_html=html, with_tags=True,
            with_deck=True, with_notetype=True, with_guid=True,
        )  # fmt: skip
        packages[name] = (folder / name).read_bytes()
    for name, legacy in (("legacy.colpkg", True), ("current.colpkg", False)):
        col.export_collection_package(str(folder / name), include_media=True, legacy=legacy)
        packages[name] = (folder / name).read_bytes()
        col.reopen()
    col.close()
    return packages


PACKAGES = ["legacy.apkg", "current.apkg", "legacy.colpkg", "current.colpkg"]

EXPECTED_CARDS = [
    ("过拟合", "模型在训练集上表现好\uff0c测试集上差\u3002\n常见原因\uff1a\n数据少\n模型太复杂"),
    ("欠拟合", "模型太简单 <学不到> & 偏差大"),
    ("混淆矩阵", "行是真实类别\uff0c列是预测类别"),
]
EXPECTED_QUESTIONS = [
    ("梯度下降的英文", "fill_blank", [("gradient descent", True)], ""),
    ("____用于评估模型的泛化能力\u3002", "fill_blank", [("交叉验证", True)], "见第三章"),
    ("交叉验证用于评估模型的____\uff08能力\uff09\u3002", "fill_blank", [("泛化能力", True)], "见第三章"),
]  # fmt: skip


class TestPackagesWrittenByAnki:
    def test_the_current_package_holds_a_zstd_collection_beside_a_stub(self, anki_packages):
        names = zipfile.ZipFile(io.BytesIO(anki_packages["current.apkg"])).namelist()
        assert {"collection.anki21b", "collection.anki2"} <= set(names)

    def test_the_stub_alone_is_refused_with_what_to_do(self, anki_packages):
        current = zipfile.ZipFile(io.BytesIO(anki_packages["current.apkg"]))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as stub_only:
            stub_only.writestr("collection.anki2", current.read("collection.anki2"))
        with pytest.raises(FormatError, match="占位笔记"):
            formats.read("deck.apkg", out.getvalue())

    @pytest.mark.parametrize("name", PACKAGES)
    def test_cards_and_questions_come_in(self, anki_packages, name):
        doc = formats.read(name, anki_packages[name])
        assert [(c.front, c.back) for c in doc.cards] == EXPECTED_CARDS
        assert [
            (q.prompt, q.kind, [(c.text, c.correct) for c in q.choices], q.explanation)
            for q in doc.questions
        ] == EXPECTED_QUESTIONS
        assert not any("Please update" in c.front for c in doc.cards)

    @pytest.mark.parametrize("name", PACKAGES)
    def test_the_deck_name_becomes_the_title(self, anki_packages, name):
        assert formats.read(name, anki_packages[name]).title == "机器学习 · 基础"

    @pytest.mark.parametrize("name", ["legacy.apkg", "current.apkg"])
    def test_media_is_left_out_with_a_note(self, anki_packages, name):
        doc = formats.read(name, anki_packages[name])
        assert len(doc.skipped) == 1
        assert "图片和音频" in doc.skipped[0]
        assert "混淆矩阵" in doc.skipped[0]

    @pytest.mark.parametrize("name", ["notes-html.txt", "notes-plain.txt"])
    def test_notes_in_plain_text_come_in_as_from_the_package(self, anki_packages, name):
        doc = formats.read(name, anki_packages[name])
        # Plain text does not say a note type asks to type the answer: that note is a card.
        assert [c.front for c in doc.cards] == ["过拟合", "欠拟合", "梯度下降的英文", "混淆矩阵"]
        assert doc.cards[-1].back == "行是真实类别\uff0c列是预测类别"
        assert [q.prompt for q in doc.questions] == [p for p, *_ in EXPECTED_QUESTIONS[1:]]
        assert doc.title == "机器学习 · 基础"

    @pytest.mark.django_db
    def test_import_command_stores_the_set_and_says_what_was_left_out(
        self, anki_packages, tmp_path
    ):
        from django.core.management import call_command

        path = tmp_path / "机器学习.apkg"
        path.write_bytes(anki_packages["current.apkg"])
        out = io.StringIO()
        call_command("import_studyset", str(path), stdout=out)
        study_set = StudySet.objects.get()
        assert study_set.title == "机器学习 · 基础"
        assert study_set.cards.count() == 3
        assert study_set.questions.filter(kind="fill_blank", is_draft=False).count() == 3
        assert "图片和音频" in out.getvalue()

    @pytest.mark.django_db
    def test_admin_import_lists_what_was_left_out(self, anki_packages, client, django_user_model):
        from django.core.files.uploadedfile import SimpleUploadedFile

        client.force_login(
            django_user_model.objects.create_superuser("editor", password="x-pass-1")
        )
        upload = SimpleUploadedFile("deck.colpkg", anki_packages["current.colpkg"])
        response = client.post("/admin/notes/studyset/import/", {"file": upload, "format": "auto"})
        assert response.status_code == 200
        assert "未导入" in response.content.decode()
        assert "图片和音频" in response.content.decode()
        assert StudySet.objects.get().title == "机器学习 · 基础"
