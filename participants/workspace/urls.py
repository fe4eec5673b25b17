from django.urls import path

from participants.workspace import course_views, views

urlpatterns: list = [
    # The registration page and its decisions (participants.workspace.views).
    path("tilmeldinger/<int:pk>/", views.registration_detail, name="registration"),
    path(
        "tilmeldinger/<int:pk>/beslutning/<slug:decision>/",
        views.registration_decision,
        name="registration_decision",
    ),
    # The course page's actions on participants (participants.workspace.course_views).
    path("forloeb/<int:pk>/tilmeld/", course_views.course_register, name="course_register"),
    path("forloeb/<int:pk>/besked/", course_views.course_message, name="course_message"),
    path("forloeb/<int:pk>/deltagerliste/", course_views.course_roster, name="course_roster"),
    path(
        "forloeb/<int:pk>/fremmoedeark/",
        course_views.course_attendance_sheet,
        name="course_attendance_sheet",
    ),
    path(
        "forloeb/gange/<int:pk>/fremmoede/",
        course_views.session_attendance,
        name="session_attendance",
    ),
]
