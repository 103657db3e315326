"""Who is asking: the account, and what this browser's session grants.

The only module that knows the session keys. Views build a `Visitor` with
`Visitor.from_request(request)` and hand it to models and QuerySets, which
never see a request; views record what the session should remember with the
small functions below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The share tokens this session has opened. The token, not the set, is kept, so
# a withdrawn or renewed link stops granting access on the very next request.
SHARED_TOKENS = "shared_tokens"
# The quiz attempts an anonymous visitor began in this session.
ATTEMPTS = "quiz_attempt_ids"
MAX_SHARED_TOKENS = 100
MAX_ATTEMPTS = 50


@dataclass(frozen=True)
class Visitor:
    """A learner (or an anonymous visitor) and what their session grants."""

    user: Any
    shared_tokens: tuple[str, ...] = ()
    attempt_ids: tuple[int, ...] = ()

    @classmethod
    def from_request(cls, request) -> Visitor:
        session = request.session
        return cls(
            user=request.user,
            shared_tokens=tuple(token for token in session.get(SHARED_TOKENS, []) if token),
            attempt_ids=session_attempts(session),
        )

    @property
    def is_authenticated(self) -> bool:
        return bool(self.user.is_authenticated)

    @property
    def account(self):
        """The user to store things under, or None for an anonymous visitor."""
        return self.user if self.is_authenticated else None


def remember_shared_token(session, token: str) -> None:
    """The session opened a share link: it may see that set while the link lasts."""
    granted = session.get(SHARED_TOKENS, [])
    if token not in granted:
        session[SHARED_TOKENS] = [*granted, token][-MAX_SHARED_TOKENS:]


def remember_attempt(session, attempt_id: int) -> None:
    """An anonymous visitor began an attempt: the session owns it."""
    session[ATTEMPTS] = [*session.get(ATTEMPTS, [])[-(MAX_ATTEMPTS - 1) :], attempt_id]


def session_attempts(session) -> tuple[int, ...]:
    """The attempts an anonymous visitor began in this session."""
    return tuple(session.get(ATTEMPTS, []))


def forget_attempts(session) -> None:
    """The session's anonymous attempts now belong to an account."""
    session.pop(ATTEMPTS, None)
