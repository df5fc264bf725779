from django import forms
from django.utils.translation import gettext_lazy as _

from members.forms import DateInput, ManyChoiceField, RowsFormSet
from members.models import Member
from movements.models import (
    Activity,
    Classification,
    Collective,
    CollectiveLog,
    Criterion,
    Evidence,
    Initiative,
    MovementYear,
    Pledge,
    PledgeAmendment,
    ProjectReport,
    Responsibility,
    ScienceClub,
    SelfResult,
    YouthProject,
)
from movements.services import YEAR_DATE_FIELDS, YEAR_SETTING_FIELDS
from movements.services.activities import ACTIVITY_FIELDS
from movements.services.collectives import COLLECTIVE_FIELDS
from movements.services.initiatives import CLUB_FIELDS, INITIATIVE_FIELDS
from movements.services.projects import FINAL_FIGURES, PROJECT_FIELDS
from movements.uploads import recognise, recognise_image


class MovementYearForm(forms.ModelForm):
    class Meta:
        model = MovementYear
        fields = ("year", *YEAR_SETTING_FIELDS)
        widgets = {name: DateInput() for name in YEAR_DATE_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The year of a movement year is its identity; it is not changed afterwards.
            del self.fields["year"]


class CriterionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, criterion):
        return criterion.title


class PledgeForm(forms.ModelForm):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Pledge
        fields = ("criterion", "text", "target_kind", "target_value", "target_unit", "due_date")
        field_classes = {"criterion": CriterionChoiceField}
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2, "placeholder": _("e.g. Giải quyết đúng hạn 100% hồ sơ được giao")}),
            "due_date": DateInput(),
            "target_value": forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
        }

    def __init__(self, *args, criteria, movement_year: MovementYear, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["criterion"]
        field.queryset = criteria
        # Grouped by responsibility, with the year's own wording of each.
        field.choices = [("", "---------")] + [
            (movement_year.label_for(responsibility),
             [(c.pk, c.title) for c in criteria if c.responsibility == responsibility])
            for responsibility in Responsibility.values
        ]


    def has_changed(self):
        # A blank extra row still posts its default target kind; it counts as filled once anything else is
        # given, so that an empty row never blocks a save and a half-filled one is never dropped silently.
        if self.initial.get("id"):
            return super().has_changed()
        filled = ("criterion", "text", "target_value", "target_unit", "due_date")
        return any(str(self.data.get(self.add_prefix(name), "")).strip() for name in filled)


class BasePledgeFormSet(RowsFormSet):
    def __init__(self, *args, criteria, movement_year, **kwargs):
        self.criteria_queryset = criteria
        self.movement_year = movement_year
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"criteria": self.criteria_queryset, "movement_year": self.movement_year}

    def pledges(self) -> list[dict]:
        """The pledges as the member wants them: filled rows not marked for deletion (blank rows have none)."""
        return [form.cleaned_data for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]


# A year's commitment holds a few pledges; the bounds keep a forged TOTAL_FORMS from building thousands of forms
# (absolute_max twice max_num: rows over the limit can still be posted in order to delete them).
PledgeFormSet = forms.formset_factory(PledgeForm, formset=BasePledgeFormSet, extra=3, can_delete=True, max_num=30,
                                      absolute_max=60, validate_max=True)


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("Comment for the member"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, pledges, **kwargs):
        super().__init__(*args, **kwargs)
        self.pledges = list(pledges)
        for pledge in self.pledges:
            self.fields[f"pledge_{pledge.pk}"] = forms.CharField(
                label=_("Comment on this pledge"), required=False, initial=pledge.review_comment,
                widget=forms.Textarea(attrs={"rows": 2}))

    def pledge_comments(self) -> dict[int, str]:
        return {pledge.pk: self.cleaned_data.get(f"pledge_{pledge.pk}", "") for pledge in self.pledges}

    def comment_field(self, pledge):
        return self[f"pledge_{pledge.pk}"]


def criteria_for(movement_year: MovementYear, sector: str):
    return Criterion.objects.filter(movement_year=movement_year, applies_to__in=["both", sector])


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by content in the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class EvidenceForm(forms.ModelForm):
    files = MultipleFileField(label=_("Files (PDF, JPEG or PNG, up to 5 MB each)"), required=False)

    class Meta:
        model = Evidence
        fields = ("done_on", "description", "value_reached")
        widgets = {"done_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3}),
                   "value_reached": forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"})}

    def __init__(self, *args, pledge, **kwargs):
        super().__init__(*args, **kwargs)
        if pledge.target_kind != "number":
            del self.fields["value_reached"]
        else:
            self.fields["value_reached"].label = _("Value reached (%(unit)s)") % {"unit": pledge.target_unit or "—"}

    def clean_files(self):
        files = self.cleaned_data["files"]
        errors = []
        for upload in files:
            try:
                recognise(upload)
            except forms.ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return files


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class SelfAssessmentForm(forms.Form):
    classification = forms.ChoiceField(label=_("My proposed classification"), choices=Classification.choices)
    comment = forms.CharField(label=_("What I achieved this year"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, pledges, **kwargs):
        super().__init__(*args, **kwargs)
        self.pledges = list(pledges)
        for pledge in self.pledges:
            self.fields[f"result_{pledge.pk}"] = forms.ChoiceField(
                label=pledge.text, choices=SelfResult.choices, widget=forms.RadioSelect, initial=pledge.self_result)

    def results(self) -> dict[int, str]:
        return {pledge.pk: self.cleaned_data[f"result_{pledge.pk}"] for pledge in self.pledges}

    def result_fields(self):
        return [self[f"result_{pledge.pk}"] for pledge in self.pledges]


class EvaluationForm(forms.Form):
    classification = forms.ChoiceField(label=_("Proposed classification"), choices=Classification.choices)
    comment = forms.CharField(label=_("Comments of the branch"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class ConfirmForm(forms.Form):
    classification = forms.ChoiceField(label=_("Classification"), choices=Classification.choices)
    reason = forms.CharField(label=_("Reason for a change"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Needed only when you change the branch's proposal."))


class CriterionForm(forms.ModelForm):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Criterion
        fields = ("responsibility", "title", "guidance", "weight", "applies_to", "position")
        widgets = {"guidance": forms.Textarea(attrs={"rows": 2})}

    def has_changed(self):
        # A blank extra row posts its default choices; it counts once a title is written.
        if self.initial.get("id"):
            return super().has_changed()
        return bool(self.data.get(self.add_prefix("title"), "").strip())


class BaseCriterionFormSet(RowsFormSet):
    def criteria(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]


CriterionFormSet = forms.formset_factory(CriterionForm, formset=BaseCriterionFormSet, extra=2, can_delete=True,
                                         max_num=40, absolute_max=80, validate_max=True)


class AmendmentForm(forms.ModelForm):
    class Meta:
        model = PledgeAmendment
        fields = ("text", "target_kind", "target_value", "target_unit", "due_date", "reason")
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "reason": forms.Textarea(attrs={"rows": 2}),
                   "due_date": DateInput(), "target_value": forms.NumberInput(attrs={"inputmode": "decimal",
                                                                                     "step": "any"})}


class ProjectForm(forms.ModelForm):
    class Meta:
        model = YouthProject
        fields = ("unit", *PROJECT_FIELDS, "members")
        field_classes = {"members": ManyChoiceField}
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(), "goal": forms.Textarea(attrs={"rows": 3}),
                   "members": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, units, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["members"].queryset = members
        self.fields["members"].help_text = _("Hold Ctrl (or long-press on a phone) to choose several.")


class ProjectReportForm(forms.ModelForm):
    photos = MultipleFileField(label=_("Photos (JPEG or PNG, up to 5 MB each)"), required=False,
                               widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))

    class Meta:
        model = ProjectReport
        fields = ("reported_on", "text", "beneficiaries", "volunteer_hours", "value")
        widgets = {"reported_on": DateInput(), "text": forms.Textarea(attrs={"rows": 3})}

    def clean_photos(self):
        photos = self.cleaned_data["photos"]
        errors = []
        for upload in photos:
            try:
                recognise_image(upload)
            except forms.ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return photos


class AcceptProjectForm(forms.ModelForm):
    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = YouthProject
        fields = FINAL_FIGURES

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in FINAL_FIGURES:
            self.fields[name].required = True


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ("unit", *ACTIVITY_FIELDS)
        widgets = {"starts_at": DateTimeInput(), "topic": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class InitiativeForm(forms.ModelForm):
    coauthors = ManyChoiceField(label=_("Co-authors"), queryset=Member.objects.none(), required=False,
                                               widget=forms.SelectMultiple(attrs={"size": 6}),
                                               help_text=_("Members of your branch who worked on it with you."))

    class Meta:
        model = Initiative
        fields = INITIATIVE_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in ("problem", "solution", "expected_benefit")}

    def __init__(self, *args, coauthors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coauthors"].queryset = coauthors
        self.fields["coauthors"].label_from_instance = lambda member: member.full_name


class CollectiveForm(forms.ModelForm):
    class Meta:
        model = Collective
        fields = ("unit", *COLLECTIVE_FIELDS, "members")
        field_classes = {"members": ManyChoiceField}
        widgets = {"commitments": forms.Textarea(attrs={"rows": 3}),
                   "members": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, units, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["members"].queryset = members


class CollectiveLogForm(forms.ModelForm):
    class Meta:
        model = CollectiveLog
        fields = ("done_on", "text", "people_helped", "consultations", "sessions")
        widgets = {"done_on": DateInput(), "text": forms.Textarea(attrs={"rows": 2})}


class ScienceClubForm(forms.ModelForm):
    class Meta:
        model = ScienceClub
        fields = ("unit", *CLUB_FIELDS, "members")
        field_classes = {"members": ManyChoiceField}
        widgets = {"founded_on": DateInput(), "members": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, units, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["members"].queryset = members
