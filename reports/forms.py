from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import NOTE_MAX_LENGTH, ListingReport
from reports.services import note_clean


class ListingReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is wrong with this listing?"),
        choices=ListingReport.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what is wrong with this listing."),
                        "invalid_choice": _("Choose one of the answers listed.")},
    )
    note = forms.CharField(
        label=_("Tell us more (optional)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": NOTE_MAX_LENGTH}),
        help_text=_("For example the right phone number or address. Please do not write your "
                    "name, your contact details or anything about your health. At most "
                    "%(max)d characters.") % {"max": NOTE_MAX_LENGTH},
        error_messages={"max_length": _("Please keep the note to %(limit_value)d characters "
                                        "or fewer (it has %(show_value)d).")},
    )

    def clean_note(self):
        return note_clean(self.cleaned_data.get("note", ""))
