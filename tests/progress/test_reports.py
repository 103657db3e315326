"""/me/ and the staff statistics: numbers, pictures, privacy, fixed query counts."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from flashcards.models import ReviewLog, record_review
from progress.reports import study_time
from quizzes.models import Attempt
from tests.factories import make_finished_attempt

pytestmark = pytest.mark.django_db
NOW = "2026-11-20 20:00:00+08:00"


def generate_history(user, study_set, *, days=21, reviews_per_day=5):
    """A few weeks of study: a quiz every third day, getting better, and daily reviews."""
    cards = list(study_set.cards.all())
    questions = list(study_set.questions.values_list("pk", flat=True))
    start = timezone.now() - timedelta(days=days)
    for day in range(days):
        moment = start + timedelta(days=day)
        if day % 3 == 0:
            make_finished_attempt(
                user, study_set, wrong=set(questions[: max(0, 6 - day // 3)]), when=moment
            )
        for n in range(reviews_per_day):
            card = cards[(day + n) % len(cards)]
            record_review(
                user,
                card,
                3 if (day + n) % 4 else 1,
                uuid.uuid4(),
                now=moment + timedelta(minutes=n),
            )


class TestMe:
    def test_requires_login(self, client):
        assert client.get("/me/").status_code == 302

    def test_shows_scores_due_cards_retention_streak_and_time(self, client, learner, da_mo_xing):
        with time_machine.travel(NOW, tick=False):
            generate_history(learner, da_mo_xing)
            client.force_login(learner)
            response = client.get("/me/")
        dashboard = response.context["dashboard"]
        [progress] = dashboard.sets
        assert progress.attempts == 7
        assert progress.best == 100
        assert progress.latest == 100
        assert len(progress.points) == 7
        assert progress.points[0][1] == 62  # six wrong of sixteen at first (62.5 %)
        assert progress.reviews > 0
        assert 0 < progress.retention <= 1
        assert dashboard.current_streak == 21  # every day up to yesterday
        assert dashboard.study_days == 21
        assert dashboard.seconds_studied > 0
        html = response.content.decode()
        assert "测验得分变化" in html
        assert 'role="img"' in html
        assert "过去一年的学习日历" in html

    def test_streak_counts_up_to_today(self, client, learner, da_mo_xing):
        with time_machine.travel(NOW, tick=False):
            for back in range(4):
                make_finished_attempt(
                    learner, da_mo_xing, when=timezone.now() - timedelta(days=back)
                )
            client.force_login(learner)
            dashboard = client.get("/me/").context["dashboard"]
        assert (dashboard.current_streak, dashboard.longest_streak) == (4, 4)

    def test_due_today_and_tomorrow(self, client, learner, da_mo_xing):
        with time_machine.travel(NOW, tick=False):
            cards = list(da_mo_xing.cards.all())
            record_review(learner, cards[0], 1, uuid.uuid4())  # due in minutes: today
            record_review(learner, cards[1], 4, uuid.uuid4())  # due in days
            client.force_login(learner)
            [progress] = client.get("/me/").context["dashboard"].sets
        assert progress.due_today == 1
        assert progress.due_tomorrow == 0

    def test_every_past_attempt_links_to_its_results(self, client, learner, da_mo_xing):
        attempts = [
            make_finished_attempt(learner, da_mo_xing, when=timezone.now() - timedelta(days=d))
            for d in range(3)
        ]
        client.force_login(learner)
        client.post("/sets/da-mo-xing/quiz/start/", {"mode": "all"})  # open: no results yet
        html = client.get("/me/").content.decode()
        for attempt in attempts:
            assert f'href="/sets/da-mo-xing/quiz/{attempt.pk}/results/"' in html
        assert html.count("/results/") == 3

    def test_the_calendar_legend_runs_from_less_to_more_in_swatches(
        self, client, learner, da_mo_xing
    ):
        make_finished_attempt(learner, da_mo_xing)
        client.force_login(learner)
        html = client.get("/me/").content.decode()
        legend = html.split('class="heat-legend"', 1)[1].split("</p>", 1)[0]
        assert legend.index("少") < legend.index("heat-swatch heat--0")
        assert legend.index("heat-swatch heat--4") < legend.index("多")
        assert "越深" not in html

    def test_a_single_quiz_is_drawn_as_a_point_with_its_value(self, client, learner, da_mo_xing):
        make_finished_attempt(learner, da_mo_xing, wrong={201, 202, 203, 204})
        client.force_login(learner)
        html = client.get("/me/").content.decode()
        chart = html.split('<svg class="chart"', 1)[1].split("</svg>", 1)[0]
        assert 'class="chart__dot"' in chart
        assert '<text class="chart__value"' in chart
        assert ">75%</text>" in chart

    def test_a_learner_sees_only_their_own_history(
        self, client, learner, da_mo_xing, django_user_model
    ):
        other = django_user_model.objects.create_user("other", password="x-pass-1234")
        make_finished_attempt(other, da_mo_xing)
        client.force_login(learner)
        assert client.get("/me/").context["dashboard"].sets == []

    def test_query_count_does_not_grow_with_history(
        self, client, learner, da_mo_xing, django_assert_num_queries
    ):
        with time_machine.travel(NOW, tick=False):
            generate_history(learner, da_mo_xing, days=10, reviews_per_day=2)
            client.force_login(learner)
            client.get("/me/")  # each set's sections, cached under its content version
            with django_assert_num_queries(9) as small:
                client.get("/me/")
            generate_history(learner, da_mo_xing, days=60, reviews_per_day=8)
            with django_assert_num_queries(len(small.captured_queries)):
                client.get("/me/")


class TestQuizPreferences:
    def test_length_order_and_explanations_at_the_end(self, client, learner, da_mo_xing):
        from learners.models import Preferences

        Preferences.objects.create(
            user=learner, quiz_length=4, quiz_order="random", explanations="end"
        )
        client.force_login(learner)
        client.post(reverse("quizzes:start", args=["da-mo-xing"]), {"mode": "all"})
        attempt = Attempt.objects.get()
        assert attempt.question_count == 4
        assert not attempt.explain_each
        # Random order: the first item may be the fill-in question, which has no options.
        item = next(i for i in attempt.item_list if not i.is_fill_blank)
        wrong = [attempt.option_token(o.id) for o in item.options if not o.correct][:1]
        url = reverse("quizzes:answer", args=["da-mo-xing", attempt.pk, item.question_id])
        html = client.post(
            url, {"choices": wrong}, headers={"HX-Request": "true", "HX-Target": "answer-result"}
        )
        html = html.content.decode()
        assert "✗ 错误" in html
        assert "答案和解析在全部答完后的结果页显示" in html
        assert "正确答案" not in html
        assert item.explanation not in html


class TestStats:
    URL = "/sets/da-mo-xing/stats/"

    @pytest.fixture
    def cohort(self, da_mo_xing, django_user_model):
        """Ten learners; question 201 is missed by the strong and got right by the weak."""
        qids = list(da_mo_xing.questions.values_list("pk", flat=True))
        learners = []
        for n in range(10):
            user = django_user_model.objects.create_user(f"learner{n}", password="x-pass-1234")
            wrong = set(qids[1 : 1 + n])  # learner0 best ... learner9 worst
            wrong ^= {201} if n < 3 or n > 6 else set()
            make_finished_attempt(
                user, da_mo_xing, wrong=wrong, when=timezone.now() - timedelta(days=2)
            )
            make_finished_attempt(user, da_mo_xing, when=timezone.now())  # a later perfect run
            learners.append(user)
        return learners

    @pytest.fixture
    def staff(self, client, django_user_model):
        user = django_user_model.objects.create_user(
            "teacher", password="x-pass-1234", is_staff=True
        )
        client.force_login(user)
        return user

    def test_not_for_learners_or_visitors(self, client, learner, da_mo_xing):
        assert client.get(self.URL).status_code == 404
        client.force_login(learner)
        assert client.get(self.URL).status_code == 404

    def test_indices_from_first_attempts(self, client, staff, cohort):
        report = client.get(self.URL).context["report"]
        rows = {row.question.pk: row.stats for row in report.rows}
        assert rows[201].responses == 10
        # 201: wrong for learners 0,1,2 (strong) and 7,8,9 (weak) -> right 4 of 10.
        assert rows[201].facility == pytest.approx(0.4)
        # top 3 = learners 0,1,2 (0 of 3 right); bottom 3 = 7,8,9 (0 of 3 right).
        assert rows[201].discrimination == pytest.approx(0.0)
        # 202 is missed by learners 1..9 (n >= 1): only learner0 right -> 0.1, too hard.
        assert rows[202].facility == pytest.approx(0.1)
        assert "太难" in rows[202].flags
        # 210 (the last) is missed only by learner 9: facility 0.9, D = 1 - 2/3.
        assert rows[210].facility == pytest.approx(0.9)
        assert rows[210].discrimination == pytest.approx(1 / 3)

    def test_all_attempts_when_chosen(self, client, staff, cohort):
        report = client.get(self.URL, {"attempts": "all"}).context["report"]
        rows = {row.question.pk: row.stats for row in report.rows}
        assert rows[201].responses == 20
        assert rows[202].facility == pytest.approx(11 / 20)

    def test_wrong_options_are_counted(self, client, staff, cohort):
        report = client.get(self.URL).context["report"]
        row = next(r for r in report.rows if r.question.pk == 202)
        assert sum(o.picks for o in row.options if not o.correct) == 9

    def test_names_only_with_permission(self, client, staff, cohort):
        html = client.get(self.URL).content.decode()
        assert "learner0" not in html
        assert "学员 #1" in html
        staff.user_permissions.add(Permission.objects.get(codename="view_user"))
        client.force_login(staff)
        assert "learner0" in client.get(self.URL).content.decode()

    def test_query_count_does_not_grow(
        self, client, staff, cohort, da_mo_xing, django_user_model, django_assert_num_queries
    ):
        with django_assert_num_queries(9) as first:
            client.get(self.URL)
        for n in range(10, 30):
            user = django_user_model.objects.create_user(f"more{n}", password="x")
            make_finished_attempt(user, da_mo_xing, wrong={202, 203})
        with django_assert_num_queries(len(first.captured_queries)):
            client.get(self.URL)


class TestStudyTime:
    def test_time_studied_counts_answers_and_reviews_older_than_the_calendar(
        self, client, learner, da_mo_xing
    ):
        with time_machine.travel(NOW, tick=False):
            long_ago = timezone.now() - timedelta(days=400)
            make_finished_attempt(learner, da_mo_xing, when=long_ago, seconds=7)
            make_finished_attempt(learner, da_mo_xing, seconds=5)
            card = da_mo_xing.cards.first()
            record_review(learner, card, 3, uuid.uuid4(), now=long_ago)
            record_review(learner, card, 3, uuid.uuid4())
            ReviewLog.objects.update(duration_ms=1500)  # 3,000 ms: three whole seconds
            client.force_login(learner)
            dashboard = client.get("/me/").context["dashboard"]
        questions = da_mo_xing.questions.filter(is_draft=False).count()
        assert dashboard.seconds_studied == questions * (7 + 5) + 3
        assert dashboard.study_days == 1  # the calendar shows the last year only


class TestLocalStudyDays:
    """Study days are the learner's local calendar days, computed by the database
    (natively on SQLite when the zone is the process's own), DST included."""

    @pytest.mark.parametrize(
        ("zone", "moment", "day"),
        [
            ("Asia/Shanghai", "2026-12-01T16:30:00+00:00", date(2026, 12, 2)),
            ("Asia/Shanghai", "2026-12-01T15:59:00+00:00", date(2026, 12, 1)),
            # New York: EST (UTC-5) until 8 March 2026, then EDT (UTC-4).
            ("America/New_York", "2026-03-08T04:30:00+00:00", date(2026, 3, 7)),
            ("America/New_York", "2026-03-09T04:30:00+00:00", date(2026, 3, 9)),
        ],
    )
    def test_a_review_counts_on_its_local_day(
        self, settings, learner, da_mo_xing, zone, moment, day
    ):
        settings.TIME_ZONE = zone
        record_review(
            learner, da_mo_xing.cards.first(), 3, uuid.uuid4(), now=datetime.fromisoformat(moment)
        )
        per_day, _seconds = study_time(learner, since=date(2026, 1, 1))
        assert dict(per_day) == {day: 1}
        with timezone.override("Europe/London"):  # not the process's zone: Django's own cast
            assert dict(study_time(learner, since=date(2026, 1, 1))[0]) == {
                datetime.fromisoformat(moment).astimezone(timezone.get_current_timezone()).date(): 1
            }


class TestMeShowsEditsAtOnce:
    """/me/'s drawings and form are rendered once per distinct input: a change
    to any input shows on the very next view."""

    def test_a_review_today_shows_in_the_calendar(self, client, learner, da_mo_xing):
        with time_machine.travel(NOW, tick=False):
            today = f"{timezone.localdate():%Y-%m-%d}"
            client.force_login(learner)
            assert f"{today}\uff1a0 次" in client.get("/me/").content.decode()
            record_review(learner, da_mo_xing.cards.first(), 3, uuid.uuid4())
            html = client.get("/me/").content.decode()
        assert 'heat--1" x="' in html
        assert f"{today}\uff1a1 次" in html
        assert f"{today}\uff1a0 次" not in html

    def test_saved_preferences_show_in_the_form(self, client, learner):
        from learners.models import Preferences

        client.force_login(learner)
        assert 'value="20"' in client.get("/me/").content.decode()
        Preferences.objects.create(user=learner, new_cards_per_day=7)
        html = client.get("/me/").content.decode()
        assert 'name="new_cards_per_day" value="7"' in html
        assert 'value="20"' not in html

    def test_a_set_renamed_in_the_admin_shows_under_its_new_title(
        self, client, learner, da_mo_xing
    ):
        make_finished_attempt(learner, da_mo_xing)
        client.force_login(learner)
        assert "大模型" in client.get("/me/").content.decode()
        da_mo_xing.title = "大语言模型"  # what the admin's change view saves
        da_mo_xing.save()
        html = client.get("/me/").content.decode()
        assert "大语言模型\uff1a测验得分变化" in html
        assert ">大语言模型</a></h2>" in html
