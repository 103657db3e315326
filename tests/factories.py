"""The test data builders live in `harness.factories`, shared with bench/."""

from harness.factories import (
    make_card,
    make_finished_attempt,
    make_note,
    make_question,
    make_study_set,
)

__all__ = ["make_card", "make_finished_attempt", "make_note", "make_question", "make_study_set"]
