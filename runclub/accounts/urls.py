"""The log-in and two-factor pages, under ``/admin/``, in django-two-factor-auth's namespace
(``two_factor:``), which its views reverse."""

from __future__ import annotations

from django.urls import path

from runclub.accounts import views

app_name = "two_factor"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("two-factor/", views.two_factor_page, name="profile"),
    path("two-factor/set-up/", views.SetupView.as_view(), name="setup"),
    path("two-factor/qr-code/", views.QRView.as_view(), name="qr"),
    path("two-factor/passkey/", views.AddPasskeyView.as_view(), name="add_passkey"),
    path("two-factor/backup-codes/", views.BackupCodesView.as_view(), name="backup_tokens"),
    path("two-factor/remove/", views.remove_device, name="remove"),
]
