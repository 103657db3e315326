"""练习这一节 (issue 22, item 4): the practice start with a one-section plan, which
the notes' mastery marks post to."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from learners.models import Preferences
from notes.models import Note
from progress.practice import order_for_section
from quizzes.models import Attempt, QuestionState
from tests.factories import make_note, make_question, make_study_set
from tests.quizzes.helpers import answer, current, start

pytestmark = pytest.mark.django_db
URL = "/me/practice/da-mo-xing/start/"
KEY_TECH = 104  # 关键技术: four questions


def remember(user, question_id: int, *, correct: bool, days_ago: float = 0) -> None:
    QuestionState.remember(
        user,
        question_id,
        correct=correct,
        wrong_before=False,
        now=timezone.now() - timedelta(days=days_ago),
        desired_retention=0.9,
    )


def section_ids(note_id: int) -> list[int]:
    return list(
        Note.objects.get(pk=note_id).questions.order_by("position").values_list("pk", flat=True)
    )


def test_an_anonymous_visitor_is_sent_to_log_in(client, da_mo_xing):
    response = client.post(URL, {"mode": "section", "section": KEY_TECH})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not Attempt.objects.exists()


def test_a_get_starts_nothing(client, learner, da_mo_xing):
    client.force_login(learner)
    assert client.get(URL, {"mode": "section", "section": KEY_TECH}).status_code == 405
    assert not Attempt.objects.exists()


def test_the_section_s_questions_become_a_quiz(client, learner, da_mo_xing):
    client.force_login(learner)
    response = client.post(URL, {"mode": "section", "section": KEY_TECH})
    assert response.status_code == 302
    assert response["Location"] == "/sets/da-mo-xing/quiz/"
    attempt = Attempt.objects.get()
    assert attempt.mode == "section"
    assert attempt.get_mode_display() == "本节练习"
    assert [item.question_id for item in attempt.item_list] == section_ids(KEY_TECH)


def test_due_then_weak_then_unmet_and_cut_to_the_quiz_length(client, learner, da_mo_xing):
    first, second, third, fourth = section_ids(KEY_TECH)
    remember(learner, fourth, correct=False, days_ago=2)  # due two days ago
    remember(learner, second, correct=True, days_ago=60)  # due for weeks: most overdue
    remember(learner, first, correct=True)  # well remembered: after the unmet third
    Preferences.objects.create(user=learner, quiz_length=3)
    client.force_login(learner)
    client.post(URL, {"mode": "section", "section": KEY_TECH})
    attempt = Attempt.objects.get()
    assert [item.question_id for item in attempt.item_list] == [second, fourth, third]


def test_random_order_shuffles_only_the_chosen_questions(client, learner, da_mo_xing):
    Preferences.objects.create(user=learner, quiz_length=2, quiz_order="random")
    first, second, third, fourth = section_ids(KEY_TECH)
    remember(learner, third, correct=False, days_ago=2)
    remember(learner, fourth, correct=False, days_ago=3)
    client.force_login(learner)
    client.post(URL, {"mode": "section", "section": KEY_TECH})
    assert {item.question_id for item in Attempt.objects.get().item_list} == {third, fourth}


def test_the_order_rule_is_pure():
    now = timezone.now()
    rows = [
        (1, 10, None, None, None),  # unmet
        (2, 20, now + timedelta(days=3), 3.0, now - timedelta(days=1)),  # well remembered
        (3, 30, now - timedelta(hours=1), 1.0, now - timedelta(days=2)),  # due
        (4, 40, now + timedelta(days=1), 1.0, now - timedelta(days=6)),  # met, faded
    ]
    assert order_for_section(rows, now) == [3, 4, 1, 2]


@pytest.mark.parametrize(
    ("section", "why"),
    [
        ("", "missing"),
        ("abc", "not a number"),
        ("１０４", "full-width digits"),
        ("-104", "signed"),
        ("999999", "no such note"),
        ("10400000000000000000000", "overflow"),
    ],
)
def test_a_bad_section_is_a_clear_400(client, learner, da_mo_xing, section, why):
    client.force_login(learner)
    response = client.post(URL, {"mode": "section", "section": section})
    assert response.status_code == 400, why
    assert response.content.decode().count("找不到这一节。") == 1, why  # said once, nothing else
    assert "有效的值" not in response.content.decode()
    htmx = client.post(URL, {"mode": "section", "section": section}, headers={"HX-Request": "true"})
    assert htmx.status_code == 400
    assert "<html" not in htmx.content.decode()
    assert "找不到这一节。" in htmx.content.decode()
    assert not Attempt.objects.exists()


def test_a_section_of_another_set_is_a_400(client, learner, da_mo_xing):
    other = make_study_set(slug="other")
    note = make_note(other, title="别的集")
    make_question(other, note=note)
    client.force_login(learner)
    response = client.post(URL, {"mode": "section", "section": note.pk})
    assert response.status_code == 400
    assert "找不到这一节。" in response.content.decode()
    assert not Attempt.objects.exists()


def test_a_private_set_is_a_404(client, learner, django_user_model):
    owner = django_user_model.objects.create_user("owner", password="owner-pass-学习")
    private = make_study_set(slug="secret", owner=owner, is_public=False)
    note = make_note(private, title="私人")
    make_question(private, note=note)
    client.force_login(learner)
    response = client.post("/me/practice/secret/start/", {"mode": "section", "section": note.pk})
    assert response.status_code == 404
    assert not Attempt.objects.exists()


def test_a_section_without_questions_says_so(client, learner):
    study_set = make_study_set(slug="cards-only")
    note = make_note(study_set, title="只有卡片")
    make_question(study_set, note=note, is_draft=True)  # a draft is no question yet
    client.force_login(learner)
    response = client.post(
        "/me/practice/cards-only/start/", {"mode": "section", "section": note.pk}
    )
    assert response.status_code == 400
    assert "这一节还没有题目。" in response.content.decode()
    assert not Attempt.objects.exists()


def test_queries_are_pinned(client, learner, da_mo_xing, django_assert_num_queries):
    remember(learner, section_ids(KEY_TECH)[0], correct=False, days_ago=1)
    client.force_login(learner)
    # user, set, note, preferences, memories, ids, questions, choices, the attempt (4)
    with django_assert_num_queries(12):
        response = client.post(URL, {"mode": "section", "section": KEY_TECH})
    assert response.status_code == 302


def test_the_results_page_of_a_section_practice_offers_its_cards(client, learner, da_mo_xing):
    client.force_login(learner)
    client.post(URL, {"mode": "section", "section": KEY_TECH})
    attempt = Attempt.objects.get()
    Attempt.objects.filter(pk=attempt.pk).update(status="finished", finished_at=timezone.now())
    html = client.get(f"/sets/da-mo-xing/quiz/{attempt.pk}/results/").content.decode()
    assert "本节练习" in html
    assert 'href="/sets/da-mo-xing/flashcards/?section=104">复习到期卡片</a>' in html
    # Again means this section again, not the whole set.
    forms = re.findall(r'<form method="post" action="([^"]+)">(.*?)</form>', html, re.S)
    again = next(form for form in forms if "再练这一节" in form[1])
    assert again[0] == URL
    assert 'name="mode" value="section"' in again[1]
    assert 'name="section" value="104"' in again[1]
    assert "再做一遍全部题目" not in html
    assert client.post(URL, {"mode": "section", "section": KEY_TECH}).status_code == 302
    assert Attempt.objects.latest("pk").mode == "section"


def test_a_section_gone_from_the_notes_offers_every_card(client, learner, da_mo_xing):
    client.force_login(learner)
    client.post(URL, {"mode": "section", "section": KEY_TECH})
    attempt = Attempt.objects.get()
    Attempt.objects.filter(pk=attempt.pk).update(status="finished", finished_at=timezone.now())
    note = Note.objects.get(pk=KEY_TECH)
    note.title = "关键技术（修订）"
    note.save()  # the attempt's questions still name the old heading
    html = client.get(f"/sets/da-mo-xing/quiz/{attempt.pk}/results/").content.decode()
    assert 'href="/sets/da-mo-xing/flashcards/">复习到期卡片</a>' in html


def test_the_cards_link_costs_no_query(client, learner, da_mo_xing, django_assert_num_queries):
    client.force_login(learner)
    client.post(URL, {"mode": "section", "section": KEY_TECH})
    attempt = Attempt.objects.get()
    Attempt.objects.filter(pk=attempt.pk).update(status="finished", finished_at=timezone.now())
    url = f"/sets/da-mo-xing/quiz/{attempt.pk}/results/"
    client.get(url)  # the sections, cached under the content version
    with django_assert_num_queries(5):  # as any attempt's results (quizzes' pin)
        assert "?section=104" in client.get(url).content.decode()


def test_a_section_practice_is_no_best_or_latest_score_of_the_set(client, learner, da_mo_xing):
    client.force_login(learner)
    start(client)  # the whole set, all answered wrong: 0 %
    whole = current()
    for item in whole.item_list:
        answer(client, whole, item, right=False)
    client.post(URL, {"mode": "section", "section": KEY_TECH})
    section = current()
    for item in section.item_list:
        answer(client, section, item, right=True)  # 100 %, of four questions
    progress = client.get("/me/").context["dashboard"].sets[0]
    assert (progress.best, progress.latest, progress.attempts) == (0, 0, 1)
    assert [past.mode for past in progress.history] == ["section", "all"]  # the table lists both
    assert [percent for _, percent in progress.points] == [0]
    home = client.get("/").context["study_sets"][0].progress
    assert (home.best, home.quizzes_taken) == (0, 1)
