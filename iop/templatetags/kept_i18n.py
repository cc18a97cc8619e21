"""Django's ``i18n`` template library, with ``{% translate "a literal" %}`` worded once per
language. The project's templates ``{% load kept_i18n %}``; every other tag and filter is
Django's own, and Django's and the apps' templates keep Django's library.

Django's translate tag makes a lazy translation and evaluates it on every render: about 10 µs,
and a page has 15 to 60 of them. The text of a literal in a language never changes while the
process runs, so the first render's output is kept, keyed by the language and the literal,
and the tag's other forms (a variable, filters, ``noop``, ``context``, ``as``) are Django's,
unchanged. ``makemessages`` reads the tags in the templates' text, whichever library they
come from, so nothing changes for translators.

``{% blocktranslate %}`` is Django's too, but writes its message (the text between the tags,
trimmed) once, not on every render, and works out each variable once: Django's tag rendered
every variable of the plural form again (``{{ counter }}`` three times in the results line),
each number through the locale's formats, about 90 µs for that line. What it prints is the
same.
"""

from django import template
from django.templatetags import i18n as django_i18n
from django.utils.translation import get_language

from iop.kept import Kept

register = template.Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)

_kept = Kept(settings={"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"})


class KeptTranslateNode(django_i18n.TranslateNode):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        expression = self.filter_expression
        literal = getattr(expression.var, "literal", None)
        self.kept_literal = (
            literal if isinstance(literal, str) and not expression.filters
            and not self.noop and self.asvar is None and self.message_context is None
            else None
        )

    def render(self, context):
        if self.kept_literal is None:
            return super().render(context)
        # A literal is safe text, so Django's output is the same with or without
        # autoescaping: only the language changes it.
        return _kept.get_or_make((get_language(), self.kept_literal),
                                 lambda: super(KeptTranslateNode, self).render(context))


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    node = django_i18n.do_translate(parser, token)
    return KeptTranslateNode(node.filter_expression, node.noop, node.asvar, node.message_context)


class KeptBlockTranslateNode(django_i18n.BlockTranslateNode):
    def render_token_list(self, tokens):
        """Django's message and variables of the singular or plural part, worked out once
        for this node (the tokens never change once parsed). The plural part lists only the
        variables the singular part does not: render() renders every one it is given, and
        the same variable gives the same text."""
        part = "plural" if tokens is self.plural else "singular"
        kept = self.__dict__.setdefault("kept_parts", {}).get(part)
        if kept is None:
            message, names = super().render_token_list(tokens)
            names = dict.fromkeys(names)
            if part == "plural":
                for name in super().render_token_list(self.singular)[1]:
                    names.pop(name, None)
            kept = self.kept_parts[part] = (message, tuple(names))
        return kept[0], list(kept[1])  # a new list: render() extends the singular's


@register.tag("blocktranslate")
@register.tag("blocktrans")
def do_block_translate(parser, token):
    node = django_i18n.do_block_translate(parser, token)
    return KeptBlockTranslateNode(
        node.extra_context, node.singular, node.plural, node.countervar, node.counter,
        node.message_context, node.trimmed, node.asvar, node.tag_name,
    )
