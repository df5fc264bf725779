import unicodedata

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigns.models import (
    SCORES,
    Award,
    AwardTitle,
    Campaign,
    FeedbackPointKind,
    Inspection,
    Outcome,
    RecipientKind,
    Stage,
    SupportAction,
    Target,
)
from campaigns.services import CAMPAIGN_FIELDS, MAX_QUESTIONS, default_outcome
from members.forms import DateInput, ManyChoiceField, RowsFormSet
from movements.uploads import recognise

FIGURE_WIDGET = {"inputmode": "decimal", "step": "any", "min": "0"}


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = (*CAMPAIGN_FIELDS, "standing_members")
        field_classes = {"standing_members": ManyChoiceField}
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(), "registration_ends_on": DateInput(),
                   "purpose": forms.Textarea(attrs={"rows": 3}), "content": forms.Textarea(attrs={"rows": 4}),
                   "coordination_rule": forms.Textarea(attrs={"rows": 3}),
                   "standing_members": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args, standing_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standing_members"].queryset = standing_choices
        self.fields["standing_members"].label_from_instance = lambda member: f"{member.full_name} – {member.unit}"


class _RowForm(forms.Form):
    """A row of a list the committee writes: a blank extra row is ignored, a written one is checked."""

    key_field = "name"

    def has_changed(self):
        return bool(str(self.data.get(self.add_prefix(self.key_field), "")).strip()) or bool(self.initial)


class TargetForm(_RowForm):
    name = forms.CharField(label=_("Target"), max_length=200)
    measure = forms.CharField(label=_("Unit of measure"), max_length=40,
                              widget=forms.TextInput(attrs={"placeholder": _("e.g. lượt khám")}))
    direction = forms.ChoiceField(label=_("Direction"), choices=Target._meta.get_field("direction").choices)
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=10, initial=1)


class StageForm(_RowForm):
    key_field = "starts_on"
    name = forms.CharField(label=_("Name of the stage"), max_length=120, required=False)
    starts_on = forms.DateField(label=_("Start"), widget=DateInput())
    ends_on = forms.DateField(label=_("End"), widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end must not come before the start."))
        return data


class RowFormSet(RowsFormSet):
    def rows(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]


# absolute_max: a posted TOTAL_FORMS of a million builds twice the rows a campaign may have, not Django's default
# of 1,000 more (seconds of work for one request); twice, so that rows over the limit can still be deleted.
TargetFormSet = forms.formset_factory(TargetForm, formset=RowFormSet, extra=2, can_delete=True, max_num=15,
                                      absolute_max=30, validate_max=True)
StageFormSet = forms.formset_factory(StageForm, formset=RowFormSet, extra=1, can_delete=True, max_num=12,
                                     absolute_max=24, validate_max=True)


class EndorseForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ("endorsed_by", "endorsed_on", "endorsement_note")
        widgets = {"endorsed_on": DateInput(), "endorsement_note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["endorsed_by"].required = self.fields["endorsed_on"].required = True


class LaunchForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ("launched_on", "launch_place")
        widgets = {"launched_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["launched_on"].required = self.fields["launch_place"].required = True


def _target_fields(form, targets, *, label_suffix, initial=None):
    initial = initial or {}
    for target in targets:
        direction = _("higher is better") if target.direction == "higher" else _("lower is better")
        form.fields[f"target_{target.pk}"] = forms.DecimalField(
            label=f"{target.name} ({target.measure})", min_value=0, max_digits=14, decimal_places=2,
            initial=initial.get(target.pk), help_text=f"{label_suffix} · {direction}",
            widget=forms.NumberInput(attrs=FIGURE_WIDGET))


def target_values(form, targets) -> dict:
    return {target.pk: form.cleaned_data.get(f"target_{target.pk}") for target in targets}


class RegistrationForm(forms.Form):
    registrant = forms.ChoiceField(label=_("Who registers"))
    note = forms.CharField(label=_("What we commit to"), required=False, max_length=3000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, targets, choices: dict | None, initial_figures=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices is None:
            # Changing a registration: who registers is settled.
            del self.fields["registrant"]
        else:
            labels = dict(RecipientKind.choices)
            self.fields["registrant"].choices = [
                (labels[kind], [(f"{kind}:{option.pk}", str(option.full_name if kind == RecipientKind.MEMBER
                                                             else option)) for option in options])
                for kind, options in choices.items()]
            self.options = {f"{kind}:{option.pk}": (kind, option) for kind, options in choices.items()
                            for option in options}
        _target_fields(self, targets, label_suffix=_("our pledge"), initial=initial_figures)

    def registrant_values(self) -> dict:
        kind, option = self.options[self.cleaned_data["registrant"]]
        return {"kind": kind, {RecipientKind.UNIT: "unit", RecipientKind.COLLECTIVE: "collective",
                               RecipientKind.MEMBER: "member"}[kind]: option}


class ProgressForm(forms.Form):
    reported_on = forms.DateField(label=_("Date"), widget=DateInput())
    stage = forms.ModelChoiceField(label=_("Stage"), queryset=Stage.objects.none(), required=False,
                                   help_text=_("Leave empty to use the stage of the date."))
    text = forms.CharField(label=_("What was done"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label=_("Evidence (PDF, JPEG or PNG, up to 5 MB)"), required=False)

    def __init__(self, *args, targets, stages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = stages
        if not stages.exists():
            del self.fields["stage"]
        _target_fields(self, targets, label_suffix=_("reached since the last report"))

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            recognise(upload)
        return upload


class RegistrantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, registration):
        return registration.registrant_name


class InspectionForm(forms.ModelForm):
    class Meta:
        model = Inspection
        fields = ("registration", "visited_on", "inspectors", "findings", "support_promised")
        field_classes = {"registration": RegistrantChoiceField}
        widgets = {"visited_on": DateInput(), "findings": forms.Textarea(attrs={"rows": 3}),
                   "support_promised": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration"].queryset = registrations


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = Inspection
        fields = ("follow_up_done_on", "follow_up_note")
        widgets = {"follow_up_done_on": DateInput(), "follow_up_note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follow_up_done_on"].required = self.fields["follow_up_note"].required = True


class SupportForm(forms.ModelForm):
    class Meta:
        model = SupportAction
        fields = ("registration", "given_on", "description")
        field_classes = {"registration": RegistrantChoiceField}
        widgets = {"given_on": DateInput(), "description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration"].queryset = registrations


class ReviewForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the review"), widget=DateInput())
    note = forms.CharField(label=_("Conclusions"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, standings, final: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for standing in standings:
            pk = standing.registration.pk
            row = {"standing": standing}
            if final:
                # Only who met every target may go up for a higher award.
                choices = [(value, label) for value, label in Outcome.choices
                           if standing.met or value != Outcome.PROPOSED_HIGHER]
                self.fields[f"outcome_{pk}"] = forms.ChoiceField(
                    label=_("Outcome"), choices=choices, initial=default_outcome(standing),
                    widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
                row["outcome"] = self[f"outcome_{pk}"]
            self.fields[f"small_award_{pk}"] = forms.CharField(
                label=_("Award at this review"), required=False, max_length=200,
                widget=forms.TextInput(attrs={"placeholder": _("e.g. Giấy khen chặng 1"),
                                              "class": "form-control form-control-sm"}))
            row["small_award"] = self[f"small_award_{pk}"]
            self.rows.append(row)

    def choices_by_registration(self, prefix: str) -> dict:
        return {int(name.removeprefix(prefix)): value for name, value in self.cleaned_data.items()
                if name.startswith(prefix) and value}


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class EntryNoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class AwardProposeForm(forms.ModelForm):
    class Meta:
        model = Award
        fields = ("proposing_unit", "title", "year", "achievements")
        widgets = {"achievements": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, units, recipient_kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposing_unit"].queryset = units
        titles = AwardTitle.objects.filter(is_active=True)
        self.fields["title"].queryset = (titles.filter(for_people=True) if recipient_kind == RecipientKind.MEMBER
                                         else titles.filter(for_collectives=True))


class AwardDecideForm(forms.ModelForm):
    class Meta:
        model = Award
        fields = ("decision_number", "decided_on", "issuing_body")
        widgets = {"decided_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = True


class CitationForm(forms.ModelForm):
    class Meta:
        model = Award
        fields = ("citation",)
        widgets = {"citation": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["citation"].required = True


# The people's feedback

class FeedbackPointForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    kind = forms.ChoiceField(label=_("Where the people are served"), choices=FeedbackPointKind.choices)
    collective = forms.ModelChoiceField(label=_("Collective"), queryset=None, required=False,
                                        help_text=_("Only for the feedback point of a youth collective."))
    name = forms.CharField(label=_("Name shown to the people"), max_length=150,
                           help_text=_("e.g. Bàn hướng dẫn người bệnh – Khoa Khám bệnh"))
    invitation = forms.CharField(label=_("Invitation on the poster"), max_length=300,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    questions = forms.CharField(label=_("Questions rated from 1 to 5"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, units=None, collectives=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"].help_text = gettext(
            "One question per line, at most %(count)d. A question that already has answers is kept with them when "
            "you remove it.") % {"count": MAX_QUESTIONS}
        if editing:
            for name in ("unit", "kind", "collective"):
                del self.fields[name]
        else:
            self.fields["unit"].queryset = units
            self.fields["collective"].queryset = collectives
            self.fields["collective"].label_from_instance = lambda collective: (
                f"{collective.name} – {collective.unit} ({collective.year})")

    def clean_questions(self):
        return [line for line in self.cleaned_data["questions"].splitlines() if line.strip()]


def _without_control_characters(text: str) -> str:
    # Keeps line breaks and tabs; other control characters come from pasted junk or scripts, never from people.
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")


class PublicFeedbackForm(forms.Form):
    """The citizen's form: a rating per question, who served them, a comment, a contact. Two fields are traps for
    scripts: ``homepage`` is hidden from people and must stay empty, ``started`` says when the form was served."""

    served_by_name = forms.CharField(label=_("Who served you (if you wish)"), max_length=100, required=False,
                                     help_text=_("e.g. Điều dưỡng Lan"))
    comment = forms.CharField(label=_("Your opinion"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
    contact = forms.CharField(label=_("Your email or phone, if you want an answer"), max_length=150, required=False)
    homepage = forms.CharField(required=False, label=_("Leave this field empty"))
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q{question.pk}"] = forms.TypedChoiceField(
                label=question.text, coerce=int, required=False, widget=forms.RadioSelect,
                choices=[(score, str(score)) for score in SCORES])

    def rating_fields(self):
        return [self[f"q{question.pk}"] for question in self.questions]

    def scores(self) -> dict[int, int]:
        return {question.pk: self.cleaned_data[f"q{question.pk}"] for question in self.questions
                if self.cleaned_data.get(f"q{question.pk}") not in (None, "")}

    def clean_served_by_name(self):
        return _without_control_characters(self.cleaned_data["served_by_name"])

    def clean_comment(self):
        return _without_control_characters(self.cleaned_data["comment"])

    def clean_contact(self):
        return _without_control_characters(self.cleaned_data["contact"])


class FeedbackReplyForm(forms.Form):
    reply = forms.CharField(label=_("Answer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class FeedbackHideForm(forms.Form):
    reason = forms.CharField(label=_("Why it is hidden"), max_length=300,
                             help_text=_("e.g. Lời lẽ xúc phạm; quảng cáo"))


class FeedbackAttributeForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member named"), queryset=None, required=False,
                                    empty_label=_("No member"))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda member: f"{member.full_name} – {member.unit}"
