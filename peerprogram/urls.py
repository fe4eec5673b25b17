from django.contrib import admin
from django.urls import include, path

from groups import views as group_views
from peerprogram import views

urlpatterns = [
    path("", group_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("organisationer/<slug:slug>/", views.organisation_detail, name="organisation"),
    path(
        "organisationer/<slug:slug>/privatliv/",
        views.organisation_privacy,
        name="organisation_privacy",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
