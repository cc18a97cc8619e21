from django.conf import settings
from django.contrib.messages import get_messages

from iop.crisis import crisis_lines


def site(request):
    """Crisis lines for the banner on every page (evaluated lazily)."""
    return {"crisis_lines": crisis_lines}


def messages(request):
    """Flash messages, without reading the session of a visitor who has none.

    Listed after Django's processor, whose `messages` it replaces: `{% if messages %}` in
    base.html would otherwise load the session on every page, and a page that reads the
    session varies on the cookie and cannot be cached for everyone (iop.cache)."""
    storage = get_messages(request)
    if settings.SESSION_COOKIE_NAME in request.COOKIES or getattr(
        storage, "_queued_messages", None
    ):
        return {"messages": storage}
    return {"messages": ()}
