"""Django's ``{% url %}`` tag, with the address of a view named by literals kept (TEMPLATES'
"builtins" puts this module after Django's own, so its ``url`` is the one templates use).

Reversing a URL costs about 20 µs, and a page names five to ten fixed ones (the menu, the
list, the privacy page). The address only depends on what the tag names, the language (the
``/es/`` prefix), the script prefix, the URL configuration and the current application, so
it is kept under all of those; a tag with a variable, or ``as``, is Django's, unchanged, and a
name that does not reverse raises every time, as before.
"""

from django import template
from django.template import defaulttags
from django.template.base import Variable
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from iop.kept import URL_SETTINGS, Kept

register = template.Library()

_kept = Kept(settings=URL_SETTINGS)


def _literal(expression):
    """The constant value of a template expression without filters (a quoted string, which
    the parser has already read, or a number), or None."""
    if expression.filters:
        return None
    value = expression.var.literal if isinstance(expression.var, Variable) else expression.var
    return value if type(value) in (str, SafeString, int, float) else None


class KeptURLNode(defaulttags.URLNode):
    def __init__(self, view_name, args, kwargs, asvar):
        super().__init__(view_name, args, kwargs, asvar)
        parts = [_literal(view_name), *(_literal(arg) for arg in args),
                 *(_literal(value) for value in kwargs.values())]
        self.kept_key = (
            (parts[0], tuple(parts[1:len(args) + 1]),
             tuple(zip(kwargs, parts[len(args) + 1:], strict=True)))
            if asvar is None and all(part is not None for part in parts) else None
        )

    def render(self, context):
        if self.kept_key is None:
            return super().render(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        key = (self.kept_key, current_app, get_language(), get_script_prefix(), get_urlconf(),
               context.autoescape)
        # NoReverseMatch: raised, nothing kept.
        return _kept.get_or_make(key, lambda: super(KeptURLNode, self).render(context))


@register.tag
def url(parser, token):
    node = defaulttags.url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)
