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
    # Public: Ud i Livet's way in (the contact card's address) and recruiting peers.
    path("kontakt-en-peer/<slug:slug>/", views.contact_request, name="contact_request"),
    path(
        "kontakt-en-peer/<slug:slug>/sendt/",
        views.contact_request_sent,
        name="contact_request_sent",
    ),
    path("bliv-frivillig/<slug:slug>/", views.peer_application, name="peer_application"),
    path(
        "bliv-frivillig/<slug:slug>/sendt/",
        views.peer_application_sent,
        name="peer_application_sent",
    ),
]
