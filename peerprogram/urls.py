from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from participants import views as participant_views
from peerprogram import views
from peerprogram.accounts import views as account_views
from peerprogram.accounts.password_reset import OutboxPasswordResetForm
from peerprogram.outbox import views as outbox_views
from peerprogram.workspace import views as workspace_views

# The admin's templates render these pages; outside the admin site they need its titles.
ADMIN_TITLES = {
    "site_title": admin.site.site_title,
    "site_header": admin.site.site_header,
    "site_url": "/",
}

urlpatterns = [
    path("", participant_views.course_list, name="home"),
    path("", include("participants.urls")),
    path("peer/", include("volunteers.urls")),
    path("evaluation/", include("evaluation.urls")),
    # The coordinator's workspace: each app adds the pages about its own subject.
    path(
        "koordinator/",
        include(
            (
                [
                    path("", include("peerprogram.workspace.urls")),
                    path("forloeb/", include("groups.workspace.urls")),
                    path("", include("participants.workspace.urls")),
                    path("", include("volunteers.workspace.urls")),
                ],
                "workspace",
            )
        ),
    ),
    path("velkommen/", workspace_views.landing, name="landing"),
    path("healthz", views.healthz, name="healthz"),
    # The SMS gateways' delivery reports (peerprogram.outbox.views).
    path("sms/levering/gatewayapi/", outbox_views.gatewayapi_report, name="sms_report_gatewayapi"),
    path(
        "sms/levering/cpsms/<str:secret>/<str:reference>/",
        outbox_views.cpsms_report,
        name="sms_report_cpsms",
    ),
    path("organisationer/<slug:slug>/", views.organisation_detail, name="organisation"),
    path(
        "organisationer/<slug:slug>/privatliv/",
        views.organisation_privacy,
        name="organisation_privacy",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    # Referrers (municipal staff) sign in here to register citizens on their behalf.
    path(
        "log-ind/",
        auth_views.LoginView.as_view(
            template_name="peerprogram/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("log-ud/", auth_views.LogoutView.as_view(next_page="home"), name="logout"),
    # Staff password reset, with the admin's own templates; the link goes out via the outbox.
    path(
        "admin/password_reset/",
        auth_views.PasswordResetView.as_view(
            form_class=OutboxPasswordResetForm, extra_context=ADMIN_TITLES
        ),
        name="admin_password_reset",
    ),
    path(
        "admin/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(extra_context=ADMIN_TITLES),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(extra_context=ADMIN_TITLES),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(extra_context=ADMIN_TITLES),
        name="password_reset_complete",
    ),
    # Staff sign-in, second step (peerprogram.accounts.signin): the code from an authenticator app.
    path("admin/login/kode/", account_views.staff_verify, name="staff_verify"),
    path("admin/login/kode/ny-app/", account_views.staff_setup, name="staff_setup"),
    path("admin/", admin.site.urls),
]
