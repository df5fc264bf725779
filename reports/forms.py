from django import forms

from reports.models import YearEndReport


class YearEndReportForm(forms.ModelForm):
    class Meta:
        model = YearEndReport
        fields = YearEndReport.NARRATIVE
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in (
            "grounds", "situation", "strengths", "weaknesses", "causes", "direction", "proposals")} | {
            "recipients": forms.Textarea(attrs={"rows": 3})}
