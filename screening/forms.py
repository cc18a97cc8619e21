"""Forms for the questionnaire steps, built from the published rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from iop.filters import filter_choices
from iop.geo import zip_clean
from screening.rules import QuestionInfo, Rules, StepInfo
from screening.selectors import PAYMENT_SLUGS

EXTRAS_STEP = "programs"


def _field_for(question: QuestionInfo) -> forms.Field:
    messages = {
        "required": _("Choose an answer to this question."),
        "invalid_choice": _("Choose one of the answers shown."),
        "invalid_list": _("Choose one or more of the answers shown."),
    }
    if question.multiple:
        return forms.MultipleChoiceField(
            label=question.text, help_text=question.help_text, choices=question.choices,
            required=question.required, widget=forms.CheckboxSelectMultiple,
            error_messages={**messages, "required": _("Choose at least one answer.")},
        )
    return forms.ChoiceField(
        label=question.text, help_text=question.help_text, choices=question.choices,
        required=question.required, widget=forms.RadioSelect, error_messages=messages,
    )


class StepForm(forms.Form):
    """One step of the questionnaire: a radio group or checkboxes per question."""

    def __init__(self, *args, rules: Rules, step: StepInfo, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        for key in step.question_keys:
            self.fields[key] = _field_for(rules.questions[key])

    def valid_answers(self) -> dict[str, list[str]]:
        """Answers that passed validation, even if the form as a whole did not (for Back)."""
        self.is_valid()
        answers = {}
        for key in self.step.question_keys:
            value = self.cleaned_data.get(key)
            if value:
                answers[key] = list(value) if isinstance(value, list) else [value]
        return answers


PAYMENT_CHOICES = [
    ("", _("Skip this question")),
    *[(key, label) for key, label in (
        ("medicaid", _("Medicaid")),
        ("medicare", _("Medicare")),
        ("private", _("Private insurance")),
        ("self_pay", _("I would pay myself")),
        ("not_sure", _("I'm not sure")),
    ) if key in PAYMENT_SLUGS or key == "not_sure"],
]


class ExtrasForm(forms.Form):
    """Optional answers used only to rank programs. Never stored in the database."""

    zip = forms.CharField(
        label=_("What is your ZIP code?"), required=False, max_length=10,
        help_text=_("We use this only to show the programs nearest to you first."),
    )
    payment = forms.ChoiceField(
        label=_("How would you pay for treatment?"), choices=PAYMENT_CHOICES, required=False,
        help_text=_("We use this only to find programs that accept it."),
        error_messages={"invalid_choice": _("Choose one of the answers shown.")},
    )
    language = forms.ChoiceField(
        label=_("Which language would you like your care in?"), required=False,
        help_text=_("We use this only to find programs that speak your language."),
        error_messages={"invalid_choice": _("Choose one of the languages shown.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The cached option lists of the program filters: no query.
        self.fields["language"].choices = [("", _("Skip this question"))] + list(
            filter_choices()["language"]
        )

    def clean_zip(self):
        point = zip_clean(self.cleaned_data.get("zip"))
        return point.zip_code if point else ""

    def valid_answers(self) -> dict[str, str]:
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}
