"""Values a process works out once and keeps until a setting they depend on changes (the
settings change only in tests): the fixed url and translate tags' output, the program
address maker. Keys come from templates and code, never from a visitor; bounded anyway."""

from django.core.signals import setting_changed

# What a URL's address depends on besides the view, its arguments and the request.
URL_SETTINGS = frozenset({"ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE", "FORCE_SCRIPT_NAME",
                          "INSTALLED_APPS"})


class Kept(dict):
    def __init__(self, *, settings: set[str] | frozenset[str], most: int = 20_000):
        super().__init__()
        self.settings, self.most = frozenset(settings), most
        setting_changed.connect(self._setting_changed, weak=False)

    def _setting_changed(self, *, setting, **kwargs):
        if setting in self.settings:
            self.clear()

    def get_or_make(self, key, make):
        """The value kept under `key`, else `make()` (kept while there is room)."""
        value = self.get(key)
        if value is None:
            value = make()
            if len(self) < self.most:
                self[key] = value
        return value
