"""Login throttling: django-axes' database handler with a second, wider limit."""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class LoginThrottle(AxesDatabaseHandler):
    """Axes counts failures for one username from one address (AXES_FAILURE_LIMIT).
    This also counts an address's failures over all usernames within the cool-off
    (LOGIN_FAILURES_PER_ADDRESS), so one address trying many usernames, one password
    each (password spraying), is locked as well.

    A success still clears only its own username's failures from that address (the
    lockout parameters stay username and address), so a sprayer cannot reset the
    address's count by logging in to an account of their own."""

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        from_address = (
            AccessAttempt.objects.filter(
                ip_address=request.axes_ip_address,
                attempt_time__gte=get_cool_off_threshold(request),
            ).aggregate(total=Sum("failures_since_start"))["total"]
            or 0
        )
        if from_address >= settings.LOGIN_FAILURES_PER_ADDRESS:
            request.login_address_locked = True  # the lockout page says which lock it is
            # Axes compares this one count with AXES_FAILURE_LIMIT: report it reached.
            return max(failures, get_failure_limit(request, credentials))
        return failures
