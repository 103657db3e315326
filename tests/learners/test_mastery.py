"""Mastery per section: the pure rule (learners.mastery) and the one query that
feeds it (progress.mastery), through the registry the lower apps ask."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from flashcards.models import record_review
from learners import mastery, scheduling
from learners.mastery import MASTERED, SectionMastery, item_recall, summarize
from learners.scheduling import AGAIN, EASY, GOOD, HARD
from quizzes.models import QuestionState
from tests.factories import make_card, make_note, make_question, make_study_set

NOW = datetime.fromisoformat("2026-12-01T10:00:00+08:00")
DUE = "due"  # in a history: the answer comes at the date the item is due


def history(*answers, steps=scheduling.QUESTION_STEPS) -> tuple[scheduling.Memory, datetime]:
    """An item's memory after (rating, when) answers, `when` a timedelta after the
    previous answer or DUE, as the questions schedule (no fuzz); and the last time."""
    memory, when = None, NOW.astimezone(UTC)
    for rating, after in answers:
        if memory is not None:
            when = memory.due if after == DUE else when + after
        memory = scheduling.review(memory, rating, when, fuzz=False, steps=steps)
    assert memory is not None
    return memory, when


def level_of(memory: scheduling.Memory, now: datetime) -> tuple[int | None, str]:
    """(percent, level) of a section of this one item, at `now`."""
    recall = item_recall(memory.stability, memory.last_review, memory.state, now)
    section = summarize([(1, recall)], {1: 1})[1]
    return section.percent, section.level


class TestRule:
    def test_mean_recall_over_items_met_and_the_rest_unmet(self):
        result = summarize([(1, 0.9), (1, 0.7), (2, 0.3), (None, 1.0)], {1: 5, 2: 1, 3: 4})
        assert result[1] == SectionMastery(note_id=1, recall=pytest.approx(0.8), met=2, unmet=3)
        assert result[2].met == 1
        assert result[2].unmet == 0
        assert result[3] == SectionMastery(note_id=3, recall=None, met=0, unmet=4)
        assert None not in result

    @pytest.mark.parametrize(
        ("recall", "level", "label"),
        [
            (None, "new", "未学"),
            (0.85, "strong", "掌握"),
            (0.97, "strong", "掌握"),
            (0.84, "fair", "一般"),
            (0.6, "fair", "一般"),
            (0.59, "weak", "薄弱"),
            (0.0, "weak", "薄弱"),
        ],
    )
    def test_levels_have_words_not_only_colours(self, recall, level, label):
        section = SectionMastery(note_id=1, recall=recall, met=0 if recall is None else 1, unmet=0)
        assert (section.level, section.label) == (level, label)

    def test_anonymous_visitors_have_no_mastery(self):
        class Anonymous:
            is_authenticated = False

        assert mastery.for_sections(Anonymous(), object(), NOW) == {}


class TestItemRecall:
    """Recall a week ahead: right after any answer recall *now* is about 100 %,
    right or wrong, which made mastery say nothing just after study."""

    @pytest.mark.parametrize(
        ("answers", "percent", "level"),
        [
            ([(AGAIN, 0)], 58, "weak"),
            ([(GOOD, 0)], 81, "fair"),
            ([(GOOD, 0), (GOOD, DUE)], 93, "strong"),
            ([(GOOD, 0), (AGAIN, DUE)], 68, "fair"),  # a lapse
        ],
    )
    def test_right_after_the_answers(self, answers, percent, level):
        memory, when = history(*[(r, timedelta(0) if a == 0 else a) for r, a in answers])
        assert level_of(memory, when) == (percent, level)

    def test_a_card_rated_once_is_not_mastered_either(self):
        memory, when = history((GOOD, timedelta(0)), steps=scheduling.CARD_STEPS)
        assert level_of(memory, when) == (81, "fair")

    def test_it_fades_without_review(self):
        memory, when = history((GOOD, timedelta(0)), (GOOD, DUE))
        weeks = [level_of(memory, when + timedelta(weeks=n)) for n in range(5)]
        assert [p for p, _ in weeks] == sorted((p for p, _ in weeks), reverse=True)
        assert weeks[0] == (93, "strong")
        assert weeks[4][1] == "fair"

    @pytest.mark.parametrize(
        "answers",
        [
            # Wrong an hour after three right answers: FSRS's same-day rule keeps
            # a stability of 12.8 days, 94 % a week on.
            [(GOOD, timedelta(0)), (GOOD, DUE), (GOOD, DUE), (AGAIN, timedelta(hours=1))],
            # Wrong at the due date after four right answers (seven months): 87 %.
            [(GOOD, timedelta(0)), (GOOD, DUE), (GOOD, DUE), (GOOD, DUE), (AGAIN, DUE)],
        ],
    )
    def test_a_wrong_latest_answer_is_never_mastered_on_its_own(self, answers):
        memory, when = history(*answers)
        fsrs_alone = scheduling.recall(
            memory.stability, memory.last_review, when + mastery.MASTERY_HORIZON
        )
        assert fsrs_alone >= MASTERED
        percent, level = level_of(memory, when)
        assert level == "fair"
        assert percent is not None
        assert percent < 85  # the number agrees with the word

    def test_relearnt_it_counts_in_full_again(self):
        memory, when = history(
            *[(GOOD, timedelta(0)), (GOOD, DUE), (GOOD, DUE), (GOOD, DUE), (AGAIN, DUE)],
            (GOOD, timedelta(minutes=10)),
        )
        assert level_of(memory, when) == (87, "strong")

    @pytest.mark.parametrize("steps", [scheduling.QUESTION_STEPS, scheduling.CARD_STEPS])
    def test_no_history_ending_wrong_is_mastered(self, steps):
        rng = random.Random(22)
        gaps = [timedelta(minutes=10), timedelta(hours=3), timedelta(days=1), DUE, DUE, DUE]
        for _ in range(200):
            answers = [
                (rng.choice([AGAIN, HARD, GOOD, GOOD, GOOD, EASY]), rng.choice(gaps))
                for _ in range(rng.randint(0, 9))
            ]
            memory, when = history(*answers, (AGAIN, rng.choice(gaps)), steps=steps)
            for later in (timedelta(0), timedelta(hours=1), timedelta(days=3)):
                assert level_of(memory, when + later)[1] != "strong", answers


@pytest.mark.django_db
class TestQuery:
    def test_cards_and_questions_met_in_one_query(self, learner, django_assert_num_queries):
        study_set = make_study_set()
        first, second = make_note(study_set), make_note(study_set)
        card = make_card(study_set, note=first)
        make_card(study_set, note=first)  # not met
        question = make_question(study_set, note=first)
        make_question(study_set, note=second)  # not met
        make_card(study_set, note=first, is_draft=True)  # drafts do not count
        record_review(learner, card, 3, uuid.uuid4(), now=NOW.astimezone(UTC))
        QuestionState.remember(
            learner, question.pk, correct=True, wrong_before=False, now=NOW, desired_retention=0.9
        )
        mastery.for_sections(learner, study_set, NOW)  # the totals, once per content version
        with django_assert_num_queries(1):
            result = mastery.for_sections(learner, study_set, NOW + timedelta(hours=1))
        assert (result[first.pk].met, result[first.pk].unmet) == (2, 1)
        assert (result[first.pk].percent, result[first.pk].level) == (81, "fair")  # each once
        assert result[second.pk] == SectionMastery(note_id=second.pk, recall=None, met=0, unmet=1)

    def test_recall_fades_with_time_and_other_learners_do_not_count(
        self, learner, django_user_model
    ):
        other = django_user_model.objects.create_user("xiaohong", password="另一个-pass-9")
        study_set = make_study_set()
        note = make_note(study_set)
        question = make_question(study_set, note=note)
        QuestionState.remember(
            other, question.pk, correct=True, wrong_before=False, now=NOW, desired_retention=0.9
        )
        assert mastery.for_sections(learner, study_set, NOW)[note.pk].recall is None
        state = QuestionState.remember(
            learner, question.pk, correct=True, wrong_before=False, now=NOW, desired_retention=0.9
        )
        QuestionState.remember(
            learner, question.pk, correct=True, wrong_before=False, now=state.due,
            desired_retention=0.9,
        )  # fmt: skip
        soon = mastery.for_sections(learner, study_set, state.due + timedelta(days=1))[note.pk]
        later = mastery.for_sections(learner, study_set, state.due + timedelta(days=90))[note.pk]
        assert soon.level == "strong"
        assert later.recall < soon.recall
        assert later.level in {"fair", "weak"}

    def test_a_wrong_latest_answer_is_capped_in_the_query_too(self, learner, settings):
        settings.FSRS_FUZZ = False
        study_set = make_study_set()
        note = make_note(study_set)
        question = make_question(study_set, note=note)

        def answer(correct, now):
            return QuestionState.remember(
                learner, question.pk, correct=correct, wrong_before=False, now=now,
                desired_retention=0.9,
            )  # fmt: skip

        state = answer(True, NOW)
        state = answer(True, state.due)
        state = answer(True, state.due)
        state = answer(False, state.last_review + timedelta(hours=1))
        now = state.last_review
        fsrs_alone = scheduling.recall(state.stability, now, now + mastery.MASTERY_HORIZON)
        assert fsrs_alone >= MASTERED
        section = mastery.for_sections(learner, study_set, now)[note.pk]
        assert section.level == "fair"

    def test_a_new_item_counts_as_unmet_at_once(self, learner):
        study_set = make_study_set()
        note = make_note(study_set)
        assert mastery.for_sections(learner, study_set, NOW)[note.pk].unmet == 0
        make_question(study_set, note=note)
        study_set.refresh_from_db()  # the content version the next request reads
        assert mastery.for_sections(learner, study_set, NOW)[note.pk].unmet == 1
