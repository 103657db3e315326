"""Mastery per section on /me/: the bar chart (pure), the report and the view."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from flashcards.models import record_review
from learners.mastery import SectionMastery
from progress import charts
from progress.reports import learner_dashboard
from quizzes.models import QuestionState
from tests.factories import (
    make_finished_attempt,
    make_note,
    make_question,
    make_study_set,
)

NOW = datetime.fromisoformat("2026-12-01T10:00:00+08:00")


def remember(user, question, *, correct=True, now=NOW) -> QuestionState:
    return QuestionState.remember(
        user, question.pk, correct=correct, wrong_before=False, now=now, desired_retention=0.9
    )


class TestChart:
    def sections(self):
        return [
            SectionMastery(1, 0.93, 3, 0, title="注意力机制"),
            SectionMastery(2, 0.4, 1, 2, title="位置编码"),
            SectionMastery(3, None, 0, 4, title="训练"),
        ]

    def test_a_bar_per_section_with_its_words_and_value(self):
        svg = charts.mastery_chart(self.sections(), chart_id="m-x", label="大模型\uff1a各章节记忆")
        assert svg.count('class="chart__bar chart__bar--') == 2  # 未学 has no bar
        assert "chart__bar--strong" in svg
        assert "chart__bar--weak" in svg
        for text in ("注意力机制", "位置编码", "训练", "93%", "40%", "未学"):
            assert text in svg
        assert 'role="img"' in svg
        assert '<title id="m-x-title">大模型\uff1a各章节记忆</title>' in svg
        assert 'aria-labelledby="m-x-title m-x-desc"' in svg
        assert "掌握 1 个" in svg
        assert "薄弱 1 个" in svg
        assert "未学 1 个" in svg

    def test_longer_recall_is_a_longer_bar_and_values_clamp(self):
        rows = [
            SectionMastery(1, 1.4, 1, 0, title="甲"),
            SectionMastery(2, 0.5, 1, 0, title="乙"),
            SectionMastery(3, -0.2, 1, 0, title="丙"),
        ]
        widths = [
            float(w)
            for w in re.findall(
                r'class="chart__bar[^"]*"[^>]*width="([\d.]+)"',
                charts.mastery_chart(rows, chart_id="c", label="x"),
            )
        ]
        assert widths[0] == pytest.approx(2 * widths[1])
        assert widths[2] == 0
        assert max(widths) <= charts.MASTERY_BAR_WIDTH

    def test_titles_are_escaped_and_long_ones_shortened_in_full_on_hover(self):
        rows = [SectionMastery(1, 0.7, 1, 0, title="<b>一个非常非常非常长的章节标题</b>")]
        svg = charts.mastery_chart(rows, chart_id="c", label="x")
        assert "<b>" not in svg
        assert "…" in svg
        assert "&lt;b&gt;一个非常非常非常长的章节标题&lt;/b&gt;" in svg  # in its <title>


@pytest.mark.django_db
class TestReport:
    def test_sections_in_notes_order_with_levels(self, learner):
        study_set = make_study_set()
        first, second, third = (
            make_note(study_set, title=t) for t in ("第一节", "第二节", "第三节")
        )
        strong = make_question(study_set, note=second)
        weak = make_question(study_set, note=first)
        make_question(study_set, note=third)
        make_finished_attempt(learner, study_set)
        first_answer = remember(learner, strong, now=NOW - timedelta(days=2, hours=1))
        remember(learner, strong, now=first_answer.due)  # right twice, at the due date
        remember(learner, weak, now=NOW - timedelta(days=200))
        with time_machine.travel(NOW, tick=False):
            progress = learner_dashboard(learner, now=NOW).sets[0]
        assert [s.title for s in progress.sections] == ["第一节", "第二节", "第三节"]
        assert [s.label for s in progress.sections] == ["薄弱", "掌握", "未学"]
        assert progress.has_memories

    def test_no_memories_yet(self, learner):
        study_set = make_study_set()
        make_question(study_set, note=make_note(study_set, title="第一节"))
        make_finished_attempt(learner, study_set)
        progress = learner_dashboard(learner, now=NOW).sets[0]
        assert [s.label for s in progress.sections] == ["未学"]
        assert not progress.has_memories


@pytest.mark.django_db
class TestRightAfterStudy:
    """Mastery is recall a week ahead: recall now is about 100 % straight after
    any answer, so a learner who had just got 0/3 in a section saw 掌握 · 100 %."""

    @pytest.fixture
    def questions(self, learner):
        study_set = make_study_set(slug="yi-jie")
        note = make_note(study_set, title="注意力")
        make_finished_attempt(learner, study_set)
        return [make_question(study_set, note=note) for _ in range(3)]

    def shown(self, client, learner) -> tuple[str, str, str]:
        """(level, label, percent) of the section on /me/, at the time-machine's now."""
        client.force_login(learner)
        html = client.get("/me/").content.decode()
        row = html.split('class="table mastery-table"', 1)[1].split("<tbody>", 1)[1]
        found = re.search(r'mastery-mark--(\w+)">(\w+)</span></td>\s*<td>(\d+)%', row)
        assert found, row
        return found[1], found[2], found[3]

    def answer_all(self, learner, questions, *, correct):
        return [remember(learner, q, correct=correct, now=timezone.now()) for q in questions]

    def test_answered_all_wrong_just_now_is_weak(self, client, learner, questions):
        with time_machine.travel(NOW, tick=False):
            self.answer_all(learner, questions, correct=False)
            assert self.shown(client, learner) == ("weak", "薄弱", "58")

    def test_answered_right_once_is_fair(self, client, learner, questions):
        with time_machine.travel(NOW, tick=False):
            self.answer_all(learner, questions, correct=True)
            assert self.shown(client, learner) == ("fair", "一般", "81")

    def test_right_twice_at_the_due_date_is_mastered_and_fades_when_left(
        self, client, learner, questions
    ):
        with time_machine.travel(NOW, tick=False):
            due = self.answer_all(learner, questions, correct=True)[0].due
        with time_machine.travel(due, tick=False):
            self.answer_all(learner, questions, correct=True)
            assert self.shown(client, learner) == ("strong", "掌握", "93")
        with time_machine.travel(due + timedelta(weeks=4), tick=False):
            level, label, percent = self.shown(client, learner)
        assert (level, label) == ("fair", "一般")
        assert int(percent) < 85

    def test_right_then_wrong_is_fair_not_mastered(self, client, learner, questions):
        with time_machine.travel(NOW, tick=False):
            due = self.answer_all(learner, questions, correct=True)[0].due
        with time_machine.travel(due, tick=False):
            self.answer_all(learner, questions, correct=False)
            assert self.shown(client, learner) == ("fair", "一般", "68")


@pytest.mark.django_db
class TestMeView:
    def test_table_chart_and_marks_with_words(self, client, learner, da_mo_xing):
        question = da_mo_xing.questions.filter(note__isnull=False).first()
        make_finished_attempt(learner, da_mo_xing)
        remember(learner, question, now=datetime.now(UTC))
        client.force_login(learner)
        html = client.get("/me/").content.decode()
        section = html.split('class="set-mastery"', 1)[1].split("</section>", 1)[0]
        assert "各章节掌握程度" in section
        assert "一周后还记得的概率" in section  # what the percentages are
        assert "现在还记得" not in section
        assert question.note.title in section
        assert 'class="mastery-mark mastery-mark--fair">一般</span>' in section  # right once
        assert "未学" in section
        assert 'role="img"' in section
        assert "<table" in section
        assert ">概述</a>" in section  # the untitled first section, named as the notes name it

    def test_a_learner_without_memories_is_told_how_to_start(self, client, learner, da_mo_xing):
        make_finished_attempt(learner, da_mo_xing)
        client.force_login(learner)
        html = client.get("/me/").content.decode()
        assert "复习卡片或做测验后" in html
        assert "mastery-mark" not in html

    def test_a_new_review_shows_on_the_next_view(self, client, learner, da_mo_xing):
        card = da_mo_xing.cards.filter(note__isnull=False).first()
        make_finished_attempt(learner, da_mo_xing)
        client.force_login(learner)
        before = client.get("/me/").context["dashboard"].sets[0].sections
        assert all(s.met == 0 for s in before)
        record_review(learner, card, 3, uuid.uuid4())
        after = client.get("/me/").context["dashboard"].sets[0].sections
        assert [s.met for s in after if s.note_id == card.note_id] == [1]
        question = da_mo_xing.questions.filter(note__isnull=False).first()
        remember(learner, question, now=datetime.now(UTC))
        again = client.get("/me/").context["dashboard"].sets[0].sections
        assert sum(s.met for s in again) == 2

    def test_one_query_for_mastery_whatever_the_number_of_sets(
        self, client, learner, da_mo_xing, django_assert_num_queries
    ):
        question = da_mo_xing.questions.filter(note__isnull=False).first()
        make_finished_attempt(learner, da_mo_xing)
        remember(learner, question, now=datetime.now(UTC))
        client.force_login(learner)
        client.get("/me/")  # sections cached under the content version
        with django_assert_num_queries(9):
            client.get("/me/")
        for n in range(3):
            other = make_study_set(slug=f"extra-{n}")
            note = make_note(other, title="一节")
            remember(learner, make_question(other, note=note), now=datetime.now(UTC))
            make_finished_attempt(learner, other)
        client.get("/me/")
        with django_assert_num_queries(9):
            client.get("/me/")
