from django.urls import path

from participants import views

app_name = "participants"

urlpatterns = [
    path("forloeb/<int:pk>/", views.course_detail, name="course"),
    path("forloeb/<int:pk>/tilmeld/", views.register, name="register"),
    path("forloeb/<int:pk>/tilmeldt/", views.registered, name="registered"),
    # Before the status link, whose token would match "nyt-link".
    path("tilmelding/nyt-link/", views.status_link_request, name="status_link_request"),
    path("tilmelding/nyt-link/sendt/", views.status_link_sent, name="status_link_sent"),
    path("tilmelding/<str:token>/", views.status, name="status"),
    path("tilmelding/samtykke/<int:pk>/<str:token>/", views.custody, name="custody"),
]
