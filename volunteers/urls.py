from django.urls import path

from volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("", views.schedule, name="schedule"),
    path("gange/<int:pk>/", views.session_detail, name="session"),
    path("gange/<int:pk>/svar/", views.session_answer, name="answer"),
    path("forloeb/<int:pk>/manual.pdf", views.course_manual, name="manual"),
    path("kalender/", views.calendar, name="calendar"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
]
