"""What the tests and the benchmarks share: a real gunicorn on loopback and
logged-in sessions for it (`servers`), another process holding the database's
write lock (`locks`), the DEFERRED-transaction settings of the negative control
(`deferred_settings`) and small builders of study data (`factories`). It may
import the apps; it never imports `tests`, so `bench/` needs nothing from there."""
