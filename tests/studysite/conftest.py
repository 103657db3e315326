"""Two learners and the owner's private things, for ownership and fuzz tests."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from notes.models import StudySet
from podcasts.models import Episode
from quizzes.models import Attempt
from tests.factories import make_card, make_finished_attempt, make_note, make_question
from tests.quizzes.helpers import start

SECRET = "机密学习集标题"


@pytest.fixture
def world(client, da_mo_xing, learner, django_user_model, settings, tmp_path):
    """The owner's private set (notes, a draft question and card, a podcast, a
    share link) and quiz attempts; then the client is logged in as another learner."""
    settings.MEDIA_ROOT = tmp_path
    owner = learner
    private = StudySet.objects.create(
        slug="private-set", title=SECRET, owner=owner, is_public=False, share_token="s3cret-token"
    )
    note = make_note(private, title="秘密章节", body=f"- {SECRET}")
    question = make_question(private, note=note, is_draft=True, prompt=f"{SECRET}?")
    card = make_card(private, is_draft=False, front=SECRET)
    episode = Episode.objects.create(study_set=private, status=Episode.Status.READY)
    episode.audio.save("private.mp3", ContentFile(b"ID3" + bytes(600)))
    client.force_login(owner)
    start(client)
    open_attempt = Attempt.objects.get(user=owner, status="in_progress")
    finished = make_finished_attempt(owner, da_mo_xing)
    other = django_user_model.objects.create_user("other", password="other-pass-学习")
    other_set = StudySet.objects.create(slug="others-own", title="别人的", owner=other)
    client.force_login(other)
    item = open_attempt.item_list[0]
    return {
        "private": private,
        "question": question,
        "card": card,
        "open": open_attempt,
        "item": item,
        "finished": finished,
        "other_set": other_set,
        "owner": owner,
        "other": other,
    }
