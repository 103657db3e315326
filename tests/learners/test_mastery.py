"""Mastery per section: the pure rule (learners.mastery) and the one query that
feeds it (progress.mastery), through the registry the lower apps ask."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from flashcards.models import record_review
from learners import mastery
from learners.mastery import SectionMastery, summarize
from quizzes.models import QuestionState
from tests.factories import make_card, make_note, make_question, make_study_set

NOW = datetime.fromisoformat("2026-12-01T10:00:00+08:00")


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
        assert result[first.pk].level == "strong"
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
        QuestionState.remember(
            learner, question.pk, correct=True, wrong_before=False, now=NOW, desired_retention=0.9
        )
        soon = mastery.for_sections(learner, study_set, NOW + timedelta(days=1))[note.pk]
        later = mastery.for_sections(learner, study_set, NOW + timedelta(days=90))[note.pk]
        assert soon.level == "strong"
        assert later.recall < soon.recall
        assert later.level in {"fair", "weak"}

    def test_a_new_item_counts_as_unmet_at_once(self, learner):
        study_set = make_study_set()
        note = make_note(study_set)
        assert mastery.for_sections(learner, study_set, NOW)[note.pk].unmet == 0
        make_question(study_set, note=note)
        study_set.refresh_from_db()  # the content version the next request reads
        assert mastery.for_sections(learner, study_set, NOW)[note.pk].unmet == 1
