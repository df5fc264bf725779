from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.dashboard, name="dashboard"),
    path("reports/year-end/new/", views.year_end_draft, name="year_end_draft"),
    path("reports/year-end/<int:pk>/", views.year_end, name="year_end"),
    path("reports/year-end/<int:pk>/files/", views.year_end_files, name="year_end_files"),
    path("reports/exports/<str:kind>/", views.export, name="export"),
    path("reports/jobs/<int:pk>/", views.job, name="job"),
    path("reports/archive/", views.archive, name="archive"),
    path("reports/archive/<int:pk>/", views.archived_file, name="archived_file"),
]
