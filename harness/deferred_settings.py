"""The negative control of `make reliability`: the app exactly as configured, but
with Django's default DEFERRED SQLite transactions, which take the write lock
only when they first write. Under concurrent answers that fails ("database is
locked" at the upgrade), and the harness must see it. Never used to serve."""

from studysite.settings import *  # noqa: F403
from studysite.settings import DATABASES

DATABASES["default"]["OPTIONS"] = {
    **DATABASES["default"]["OPTIONS"],
    "transaction_mode": "DEFERRED",
}
