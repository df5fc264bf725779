from django.urls import path

from movements import views

app_name = "movements"

urlpatterns = [
    path("years/", views.year_list, name="years"),
    path("years/new/", views.year_create, name="year_create"),
    path("years/<int:pk>/", views.year_detail, name="year"),
    path("years/<int:pk>/edit/", views.year_edit, name="year_edit"),
    path("years/<int:pk>/criteria/", views.year_criteria, name="year_criteria"),
    path("years/<int:pk>/publish/", views.year_publish, name="year_publish"),
    path("years/<int:pk>/close/", views.year_close, name="year_close"),
    path("commitment/", views.my_commitment, name="my_commitment"),
    path("commitment/self-assessment/", views.self_assess, name="self_assess"),
    path("commitments/", views.commitment_list, name="commitments"),
    path("commitments/approve/", views.commitment_approve_many, name="commitments_approve"),
    path("commitments/<int:pk>/", views.commitment_detail, name="commitment"),
    path("commitments/<int:pk>/approve/", views.commitment_approve, name="commitment_approve"),
    path("commitments/<int:pk>/return/", views.commitment_return, name="commitment_return"),
    path("commitments/<int:pk>/evaluate/", views.commitment_evaluate, name="commitment_evaluate"),
    path("commitments/<int:pk>/confirm/", views.commitment_confirm, name="commitment_confirm"),
    path("classifications/", views.classification_list, name="classifications"),
    path("classifications/confirm/", views.classification_confirm_many, name="classifications_confirm"),
    path("pledges/<int:pk>/evidence/", views.evidence_create, name="evidence_create"),
    path("pledges/<int:pk>/amend/", views.amendment_create, name="amendment_create"),
    path("amendments/<int:pk>/accept/", views.amendment_decide, {"accept": True}, name="amendment_accept"),
    path("amendments/<int:pk>/refuse/", views.amendment_decide, {"accept": False}, name="amendment_refuse"),
    path("projects/", views.project_list, name="projects"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/reports/new/", views.project_report_create, name="project_report"),
    path("projects/<int:pk>/<str:name>/", views.project_move, name="project_move"),
    path("projects/photos/<int:pk>/", views.project_photo, name="project_photo"),
    path("evidence/", views.evidence_list, name="evidence"),
    path("evidence/<int:pk>/verify/", views.evidence_verify, name="evidence_verify"),
    path("evidence/<int:pk>/reject/", views.evidence_reject, name="evidence_reject"),
    path("evidence/files/<int:pk>/", views.evidence_file, name="evidence_file"),
]
