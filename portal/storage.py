"""Where the static files' URLs come from in production."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage (hashed, compressed files), remembering each file's URL.

    The manifest that maps a name to its hashed file is read once at start-up and does not
    change while the process runs, yet Django works each URL out again (parsing, hashing the
    name's lookup, quoting) for every ``{% static %}`` and every script of a form's media: a
    change list asks for the same dozen URLs on each request (issue 15's 20 ms)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls = {}

    def url(self, name, force=False):
        key = (name, force)
        if key not in self._urls:
            # A name missing from the manifest raises, and is not remembered.
            self._urls[key] = super().url(name, force)
        return self._urls[key]
