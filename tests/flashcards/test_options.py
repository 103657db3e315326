"""The deck's options: validated once, turned into links by the form, never changed in place."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from flashcards.forms import DeckOptionsForm
from tests.factories import make_card, make_study_set
from tests.flashcards.test_views import rate


def form(data, *, signed_in=True) -> DeckOptionsForm:
    bound = DeckOptionsForm(data, signed_in=signed_in)
    assert bound.is_valid(), bound.errors
    return bound


class TestToQuery:
    def test_a_learner_studies_by_default_and_links_keep_the_flags(self):
        options = form({"reverse": "1", "starred": "1"})
        assert options.cleaned_data["mode"] == "study"
        assert options.to_query() == "?mode=study&reverse=1&starred=1"

    def test_browsing_keeps_the_seed_and_position(self):
        options = form({"mode": "browse", "shuffle": "1", "seed": "7", "i": "2"})
        assert options.to_query() == "?mode=browse&shuffle=1&seed=7&i=2"
        assert options.to_query(i=3) == "?mode=browse&shuffle=1&seed=7&i=3"

    def test_changes_leave_the_options_as_they_were(self):
        options = form({"mode": "browse", "i": "2"})
        before = dict(options.cleaned_data)
        options.to_query(mode="study", i=0)
        assert options.cleaned_data == before

    def test_an_anonymous_visitor_browses_and_has_no_stars(self):
        options = form({"mode": "study", "starred": "1"}, signed_in=False)
        assert options.to_query() == "?mode=browse&i=0"


@pytest.mark.django_db
def test_a_review_reads_the_learners_preferences_once(client, learner):
    study_set = make_study_set(slug="prefs-once")
    cards = [make_card(study_set) for _ in range(3)]
    client.force_login(learner)
    with CaptureQueriesContext(connection) as queries:
        assert rate(client, cards[0], 3).status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if "preferences" in q["sql"]]
    assert len(reads) == 1, reads
