from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views
from core.page_cache import public_page

app_name = "accounts"

urlpatterns = [
    path("login/", public_page(views.LoginView.as_view()), name="login"),
    # POST only (Django's LogoutView): a link or an image cannot log anyone out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # For the idle warning's script: how long is left (GET), and "Stay logged in" (POST).
    path("session/", views.SessionStatusView.as_view(), name="session_status"),
    path("session/keep-alive/", views.KeepAliveView.as_view(), name="keep_alive"),
    path("two-factor/", views.SecondFactorView.as_view(), name="two_factor"),
    path("two-factor/verify/", views.SecondFactorVerifyView.as_view(), name="two_factor_verify"),
    path(
        "two-factor/setup/app/",
        views.SecondFactorAppSetupView.as_view(),
        name="two_factor_setup_app",
    ),
    path(
        "two-factor/setup/email/",
        views.SecondFactorEmailSetupView.as_view(),
        name="two_factor_setup_email",
    ),
    path(
        "two-factor/disable/",
        views.SecondFactorDisableView.as_view(),
        name="two_factor_disable",
    ),
    path(
        "two-factor/recovery-codes/",
        views.RecoveryCodesView.as_view(),
        name="two_factor_recovery_codes",
    ),
    path("signup/", views.SignupView.as_view(), name="signup"),
    path("verify/sent/", views.VerificationSentView.as_view(), name="verify_sent"),
    path("verify/resend/", views.VerificationResendView.as_view(), name="verify_resend"),
    path("verify/<uidb64>/<token>/", views.VerifyView.as_view(), name="verify"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/done/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/complete/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/",
        views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
