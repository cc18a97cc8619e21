"""Forms for the questionnaire pages, built from the published rules."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from iop.filters import filter_choices
from iop.geo import zip_clean
from screening import engine
from screening.rules import Page, Rules
from screening.selectors import DEFAULT_RADIUS_MILES


def _field_for(question: engine.Question) -> forms.Field:
    messages = {
        "required": question.error or _("Choose an answer to this question."),
        "invalid_choice": _("Choose one of the answers shown."),
        "invalid_list": _("Choose one or more of the answers shown."),
    }
    choices = [(option.value, option.label) for option in question.options]
    if question.multiple:
        return forms.MultipleChoiceField(
            label=question.text, help_text=question.help_text, choices=choices,
            required=question.required, widget=forms.CheckboxSelectMultiple,
            error_messages={
                **messages, "required": question.error or _("Choose at least one answer."),
            },
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
    """Optional answers used only to find programs (the questionnaire's extras). Never stored
    in the database. ``answers`` (the person's answers so far) lets the exact age be checked
    against the age group they chose (a value or a list of values per question key)."""

    def __init__(self, *args, questionnaire: engine.Questionnaire, answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        self.answers = answers or {}
        for extra in questionnaire.extras:
            if extra.kind == "zip":
                field = forms.CharField(max_length=10)
            elif extra.kind == "age":
                field = forms.IntegerField(
                    min_value=0, max_value=120,
                    error_messages={
                        "invalid": _("Enter your age as a number, like 34, or leave it empty."),
                        "min_value": _("Enter an age from 0 to 120, or leave it empty."),
                        "max_value": _("Enter an age from 0 to 120, or leave it empty."),
                    },
                )
            elif extra.kind == "language":
                # The cached option lists of the program filters: no query.
                languages = filter_choices()["language"]
                field = forms.ChoiceField(
                    choices=[("", _("Skip this question")), *languages],
                    error_messages={"invalid_choice": _("Choose one of the languages shown.")},
                )
                # On a page in a language other than English, programs that speak it first
                # (the person can change or skip it).
                page_language = get_language() or ""
                if page_language != "en" and page_language in {code for code, _n in languages}:
                    self.initial.setdefault(extra.key, page_language)
            elif extra.kind == "radius":
                field = forms.ChoiceField(
                    choices=[(choice.value, choice.label) for choice in extra.choices],
                    error_messages={"invalid_choice": _("Choose one of the distances shown.")},
                )
                values = [choice.value for choice in extra.choices]
                default = str(DEFAULT_RADIUS_MILES)
                self.initial.setdefault(extra.key, default if default in values else values[-1])
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

    def _age_band(self) -> tuple[str, int | None, int | None] | None:
        """The age group answered so far: (its words, lowest age, highest age)."""
        answer = self.questionnaire.age_answer(self.answers)
        if answer is None:
            return None
        _question, option = answer
        return option.label, option.age_min, option.age_max

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            if name in self.errors:
                continue
            if field.kind == "zip":
                try:
                    point = zip_clean(cleaned.get(name))
                except forms.ValidationError as error:
                    self.add_error(name, error)
                    continue
                cleaned[name] = point.zip_code if point else ""
            elif field.kind == "age" and cleaned.get(name) is not None:
                age, band = cleaned[name], self._age_band()
                if band and not ((band[1] is None or age >= band[1])
                                 and (band[2] is None or age <= band[2])):
                    self.add_error(name, forms.ValidationError(
                        _("%(age)s is not in the age group you chose (“%(group)s”). Check your "
                          "age here, or change your age group on “Check your answers”."),
                        code="age_outside_group", params={"age": age, "group": band[0]},
                    ))
                    continue
                cleaned[name] = str(age)
        return cleaned

    def valid_answers(self) -> dict[str, str]:
        self.is_valid()
        return {
            k: str(v) for k, v in self.cleaned_data.items()
            if v not in ("", None) and k not in self.errors
        }

    def display_value(self, name: str, value: str) -> str:
        """How an answer reads on "Check your answers"."""
        field = self.fields[name]
        for choice, label in getattr(field, "choices", ()):
            if choice == value:
                return str(label)
        return value
