from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from members.access import Action, policy
from members.models import Member, Unit, UnitKind
from members.services import MEMBER_FIELDS, PROFILE_FIELDS

LARGEST_KEY = 2**63 - 1


def posted_keys(request, name: str) -> list[int]:
    """The row keys ticked in a list (``<input type=checkbox name=… value=pk>``): whole numbers a database key
    can hold; anything else is no row and is dropped."""
    return [int(value) for value in request.POST.getlist(name) if value.isdigit() and int(value) <= LARGEST_KEY]


class ManyChoiceField(forms.ModelMultipleChoiceField):
    """A choice of several rows by their keys. A value that is not a key a database can hold ("9" × 40) is a
    choice that does not exist: Django guards a single lookup against an overflowing number, not an ``IN``
    list, where SQLite would fail with an error."""

    def _check_values(self, value):
        for key in value:
            if not str(key).isdigit() or int(key) > LARGEST_KEY:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                      params={"value": key})
        return super()._check_values(value)


class RowsFormSet(forms.BaseFormSet):
    """Rows of a form (pledges, criteria, targets, stages), with the refusals in words the portal translates.
    Give the factory max_num, validate_max and an absolute_max of twice max_num: a forged row count builds no
    more forms than that."""

    default_error_messages = {
        "too_many_forms": ngettext_lazy("Please keep to at most %(num)d row.", "Please keep to at most %(num)d rows.",
                                        "num"),
        "too_few_forms": ngettext_lazy("Please fill in at least %(num)d row.", "Please fill in at least %(num)d rows.",
                                       "num"),
        "missing_management_form": _("The form arrived incomplete; open the page again and fill it in anew."),
    }


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def branch_choices(user, *, exclude: Unit | None = None):
    """Branches where the user may manage members: the only places a member can be put."""
    units = policy.units(user, Action.MANAGE_MEMBERS).filter(kind=UnitKind.BRANCH)
    if exclude is not None:
        units = units.exclude(pk=exclude.pk)
    return units


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ("unit", *MEMBER_FIELDS)
        widgets = {"birth_date": DateInput(), "joined_union_on": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Moving a member is a transfer, with its own form and audit entry.
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = branch_choices(user)
            self.fields["unit"].label = _("Branch")
        self.fields["full_name"].widget.attrs.update(autocomplete="off", placeholder=_("e.g. Nguyễn Thị Thu Hà"))
        self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="off")

    def clean_full_name(self):
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_card_number(self):
        card_number = self.cleaned_data["card_number"].strip()
        if card_number:
            others = Member.objects.filter(card_number=card_number).exclude(pk=self.instance.pk)
            if others.exists():
                raise forms.ValidationError(_("Another member already has this card number."))
        return card_number


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = PROFILE_FIELDS


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit log."),
    )


class OptionalReasonForm(ReasonForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = False


class TransferForm(forms.Form):
    to_unit = forms.ModelChoiceField(label=_("New branch"), queryset=Unit.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = branch_choices(user, exclude=member.unit)


class UnitSwitchForm(forms.Form):
    unit = forms.IntegerField()


class LoginForm(AuthenticationForm):
    """The sign-in form, with the attributes phones need to fill it well."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autocapitalize="none", autocomplete="username", autofocus=True)
        self.fields["password"].widget.attrs.update(autocomplete="current-password")


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's refusal on the form, at the field it names when it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ImportForm(forms.Form):
    workbook = forms.FileField(label=_("Member list (.xlsx)"),
                               widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
                               help_text=_("The usual headings (Họ và tên, Ngày sinh, Số thẻ đoàn, Chức vụ, …) in any "
                                           "order; title rows above them are fine."))

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        upload.seek(0)
        if upload.read(4) != b"PK\x03\x04":
            raise forms.ValidationError(_("The file is not an Excel workbook (.xlsx)."))
        upload.seek(0)
        return upload


class ConsentForm(forms.Form):
    public_display = forms.BooleanField(
        label=_("Show me publicly"), required=False,
        help_text=_("My name and achievements may appear on the honour board and public achievement pages."))
    feedback_naming = forms.BooleanField(
        label=_("Count the people's opinions that name me"), required=False,
        help_text=_("Opinions left by citizens or patients that name me count in my evidence for the "
                    "responsibility to the people."))


class NoticeForm(ConsentForm):
    agree = forms.BooleanField(label=_("I have read the notice and agree to the portal keeping my data for these "
                                       "purposes"))

    field_order = ["agree", "public_display", "feedback_naming"]


class AdmitForm(forms.Form):
    admitted_on = forms.DateField(label=_("Date of admission"), widget=DateInput())
    deciding_unit = forms.ModelChoiceField(label=_("Decided by"), queryset=Unit.objects.none())
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False,
                                      help_text=_("e.g. 12-QĐ/ĐTN"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deciding_unit"].queryset = units


class CloseForm(forms.Form):
    status = forms.ChoiceField(label=_("How the record closes"), widget=forms.RadioSelect)
    closed_on = forms.DateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(label=_("Where to, or why"), max_length=300, required=False,
                           help_text=_("For a move: the union the member goes to, e.g. Đoàn Bệnh viện Chợ Rẫy."))

    def __init__(self, *args, **kwargs):
        from members.life import CLOSING_STATUSES

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(status.value, status.label) for status in CLOSING_STATUSES]


class MatureForm(forms.Form):
    members = ManyChoiceField(queryset=Member.objects.none(), widget=forms.CheckboxSelectMultiple,
                                             error_messages={"required": _("Tick the members who came of age.")})
    closed_on = forms.DateField(label=_("Date"), widget=DateInput())

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members
