from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("members/", views.member_list, name="list"),
    path("members/add/", views.member_create, name="create"),
    path("members/import/", views.member_import, name="import"),
    path("members/import/confirm/", views.member_import_confirm, name="import_confirm"),
    path("members/import/template.xlsx", views.member_import_template, name="import_template"),
    path("members/import/jobs/<int:pk>/", views.member_import_job, name="import_job"),
    path("members/export.xlsx", views.member_export, name="export"),
    path("members/accounts/", views.member_invite, name="invite"),
    path("members/<int:pk>/", views.member_detail, name="detail"),
    path("members/<int:pk>/edit/", views.member_edit, name="edit"),
    path("members/<int:pk>/deactivate/", views.member_deactivate, name="deactivate"),
    path("members/<int:pk>/reactivate/", views.member_reactivate, name="reactivate"),
    path("members/<int:pk>/transfer/", views.member_transfer, name="transfer"),
    path("members/<int:pk>/admit/", views.member_admit, name="admit"),
    path("members/<int:pk>/close/", views.member_close, name="close"),
    path("members/<int:pk>/transfer-note/", views.member_transfer_note, name="transfer_note"),
    path("members/coming-of-age/", views.coming_of_age_list, name="coming_of_age"),
    path("me/", views.profile, name="profile"),
    path("me/data/", views.my_data, name="my_data"),
    path("me/data.<str:extension>", views.my_data_download, name="my_data_download"),
    path("privacy/notice/", views.privacy_notice, name="privacy_notice"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("units/switch/", views.unit_switch, name="unit_switch"),
    path("units/<int:pk>/retention/", views.unit_retention, name="unit_retention"),
    path("audit/", views.audit_list, name="audit"),
    path("audit/access/", views.access_log_list, name="access_log"),
    path("notifications/", views.notification_list, name="notifications"),
]
