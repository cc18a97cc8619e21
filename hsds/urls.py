"""The HSDS API's paths, each served through `hsds.api.public_view` (rate limit, then the
catalogue page cache): ninja's operations return data, not pages, so the cache wraps the
paths ninja makes rather than the operations."""

from django.urls import include, path
from django.urls.resolvers import URLPattern

from hsds.api import api, public_view


def _served(patterns):
    return [
        URLPattern(item.pattern, public_view(item.callback), item.default_args, item.name)
        if isinstance(item, URLPattern) else item
        for item in patterns
    ]


_patterns, _app_name, _namespace = api.urls
urlpatterns = [path("", include((_served(_patterns), _app_name), namespace=_namespace))]
