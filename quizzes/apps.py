from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


def claim_anonymous_attempts(sender, request, user, **kwargs) -> None:
    """An anonymous learner who signs up or logs in keeps the quiz they took."""
    from learners.visitor import forget_attempts
    from quizzes.models import Attempt

    if request is not None and hasattr(request, "session"):
        Attempt.objects.claim_for(user, forget_attempts(request.session))


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "问答"

    def ready(self) -> None:
        user_logged_in.connect(claim_anonymous_attempts, dispatch_uid="quizzes.claim_attempts")
