from django.urls import path

from participants import views

app_name = "participants"

urlpatterns = [
    path("forloeb/<int:pk>/", views.course_detail, name="course"),
    path("forloeb/<int:pk>/tilmeld/", views.register, name="register"),
    path("forloeb/<int:pk>/tilmeldt/", views.registered, name="registered"),
    path("tilmelding/<str:token>/", views.status, name="status"),
    path("tilmelding/samtykke/<int:pk>/<str:token>/", views.custody, name="custody"),
]
