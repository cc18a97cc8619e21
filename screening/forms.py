"""Forms for the questionnaire pages, built from the published rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from iop.filters import filter_choices
from iop.geo import zip_clean
from screening import engine
from screening.rules import Page, Rules

EXTRAS_STEP = "programs"


def _field_for(question: engine.Question) -> forms.Field:
    messages = {
        "required": _("Choose an answer to this question."),
        "invalid_choice": _("Choose one of the answers shown."),
        "invalid_list": _("Choose one or more of the answers shown."),
    }
    choices = [(option.value, option.label) for option in question.options]
    if question.multiple:
        return forms.MultipleChoiceField(
            label=question.text, help_text=question.help_text, choices=choices,
            required=question.required, widget=forms.CheckboxSelectMultiple,
            error_messages={**messages, "required": _("Choose at least one answer.")},
        )
    return forms.ChoiceField(
        label=question.text, help_text=question.help_text, choices=choices,
        required=question.required, widget=forms.RadioSelect, error_messages=messages,
    )


class StepForm(forms.Form):
    """One page of the questionnaire: a radio group or checkboxes per question shown."""

    def __init__(self, *args, rules: Rules, page: Page, shown: frozenset[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = rules
        self.keys = [key for key in page.question_keys if key in shown]
        for key in self.keys:
            self.fields[key] = _field_for(rules.question(key))

    def clean(self):
        cleaned = super().clean()
        for key in self.keys:
            question = self.rules.question(key)
            values = cleaned.get(key)
            if question.multiple and values and len(values) > 1:
                exclusive = [v for v in values if question.option(v).exclusive]
                if exclusive:
                    label = question.option(exclusive[0]).label
                    self.add_error(key, forms.ValidationError(
                        _("“%(answer)s” cannot be ticked together with other answers. Untick "
                          "it, or untick the others."),
                        code="exclusive", params={"answer": label},
                    ))
        return cleaned

    def valid_answers(self) -> dict[str, list[str]]:
        """Answers that passed validation, even if the form as a whole did not (for Back)."""
        self.is_valid()
        answers = {}
        for key in self.keys:
            if key in self.errors:
                continue
            value = self.cleaned_data.get(key)
            if value:
                answers[key] = list(value) if isinstance(value, list) else [value]
        return answers


class ExtrasForm(forms.Form):
    """Optional answers used only to rank programs (the questionnaire's extras). Never stored
    in the database."""

    def __init__(self, *args, extras: tuple[engine.Extra, ...], **kwargs):
        super().__init__(*args, **kwargs)
        for extra in extras:
            if extra.kind == "zip":
                field = forms.CharField(max_length=10)
            elif extra.kind == "language":
                # The cached option lists of the program filters: no query.
                field = forms.ChoiceField(
                    choices=[("", _("Skip this question")), *filter_choices()["language"]],
                    error_messages={"invalid_choice": _("Choose one of the languages shown.")},
                )
            else:
                field = forms.ChoiceField(
                    choices=[("", _("Skip this question")),
                             *[(choice.value, choice.label) for choice in extra.choices]],
                    error_messages={"invalid_choice": _("Choose one of the answers shown.")},
                )
            field.required = False
            field.label, field.help_text = extra.text, extra.help_text
            field.kind = extra.kind
            self.fields[extra.key] = field

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            if field.kind == "zip" and name not in self.errors:
                try:
                    point = zip_clean(cleaned.get(name))
                except forms.ValidationError as error:
                    self.add_error(name, error)
                    continue
                cleaned[name] = point.zip_code if point else ""
        return cleaned

    def valid_answers(self) -> dict[str, str]:
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v and k not in self.errors}
