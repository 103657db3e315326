from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in

from learners.visitor import forget_attempts, session_attempts


def claim_anonymous_attempts(sender, request, user, **kwargs) -> None:
    """An anonymous learner who signs up or logs in keeps the quiz they took."""
    from quizzes.models import Attempt  # models load only once the app registry is ready

    if request is not None and hasattr(request, "session"):
        Attempt.objects.claim_for(user, list(session_attempts(request.session)))
        forget_attempts(request.session)  # only once claimed: a failed claim keeps them


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "问答"

    def ready(self) -> None:
        user_logged_in.connect(claim_anonymous_attempts, dispatch_uid="quizzes.claim_attempts")
