"""Static files: WhiteNoise's compressed manifest storage, each URL worked out once."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """The manifest is read once at start-up and cannot change while the process
    runs, so neither can a name's hashed URL. Django works it out again for every
    {% static %} tag (a manifest lookup, a urljoin and a quote, four times a
    page); this remembers it per process."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[tuple[str, bool], str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        if name is None:
            return super().url(name, force)
        key = (name, force)
        if key not in self._urls:
            self._urls[key] = super().url(name, force)
        return self._urls[key]
