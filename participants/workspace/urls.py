from django.urls import path

from participants.workspace import course_views

urlpatterns: list = []

# The course page's actions on participants (participants.workspace.course_views).
urlpatterns += [
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
