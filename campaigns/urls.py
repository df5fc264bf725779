from django.urls import path

from campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/endorse/", views.campaign_endorse, name="campaign_endorse"),
    path("campaigns/<int:pk>/launch/", views.campaign_launch, name="campaign_launch"),
    path("campaigns/<int:pk>/leaderboard/", views.campaign_leaderboard, name="leaderboard"),
    path("campaigns/<int:pk>/registrations/", views.campaign_registrations, name="registrations"),
    path("campaigns/<int:pk>/registrations/forward/", views.campaign_forward, name="forward"),
    path("campaigns/<int:pk>/register/", views.registration_create, name="register"),
    path("campaigns/<int:pk>/inspections/new/", views.inspection_create, name="inspection_create"),
    path("campaigns/<int:pk>/support/new/", views.support_create, name="support_create"),
    path("campaigns/<int:pk>/reviews/new/", views.review_create, name="review_create"),
    path("campaigns/registrations/<int:pk>/", views.registration_detail, name="registration"),
    path("campaigns/registrations/<int:pk>/edit/", views.registration_edit, name="registration_edit"),
    path("campaigns/registrations/<int:pk>/progress/", views.progress_create, name="progress_create"),
    path("campaigns/registrations/<int:pk>/<str:name>/", views.registration_move, name="registration_move"),
    path("campaigns/progress/<int:pk>/file/", views.progress_file, name="progress_file"),
    path("campaigns/inspections/<int:pk>/follow-up/", views.inspection_follow_up, name="inspection_follow_up"),
    path("campaigns/reviews/<int:pk>/", views.review_detail, name="review"),
    path("campaigns/reviews/<int:pk>/note/", views.review_note, name="review_note"),
    path("campaigns/review-entries/<int:pk>/note/", views.review_entry_note, name="review_entry_note"),
    path("awards/", views.award_list, name="awards"),
    path("awards/propose/", views.award_propose, name="award_propose"),
    path("awards/<int:pk>/", views.award_detail, name="award"),
    path("awards/<int:pk>/publish/", views.award_publish, name="award_publish"),
    path("awards/<int:pk>/unpublish/", views.award_unpublish, name="award_unpublish"),
    path("awards/<int:pk>/<str:name>/", views.award_move, name="award_move"),
    path("honour/", views.honour_board, name="honour_board"),
]
