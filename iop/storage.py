"""Static files as production serves them: WhiteNoise's compressed, content-hashed storage,
with each file's address worked out once.

Django's manifest storage parses, looks up and rebuilds a file's address on every call: about
14 µs, three or four times on every page (the style sheets, the icon, a script). The
addresses only change when ``collectstatic`` writes a new manifest, which clears them.
"""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

MAX_KEPT = 2_000  # names come from templates and code, never from a visitor; a bound anyway


class KeptUrlsStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        self._kept_urls: dict[str, str] = {}
        super().__init__(*args, **kwargs)

    def url(self, name, force=False):
        if force or settings.DEBUG:
            return super().url(name, force)
        url = self._kept_urls.get(name)
        if url is None:
            url = super().url(name)  # a name missing from the manifest raises, and is not kept
            if len(self._kept_urls) < MAX_KEPT:
                self._kept_urls[name] = url
        return url

    def post_process(self, *args, **kwargs):
        self._kept_urls = {}
        yield from super().post_process(*args, **kwargs)
        self._kept_urls = {}

    def _clear_cached_properties(self, setting, **kwargs):
        # STATIC_URL or STATIC_ROOT changed (tests): the addresses with them.
        super()._clear_cached_properties(setting, **kwargs)
        self._kept_urls = {}
