from __future__ import annotations

from django.urls import path, re_path, register_converter

from attendance import views
from calendar_app.tokens import CheckinTokenConverter

register_converter(CheckinTokenConverter, "checkin_token")

app_name = "attendance"
urlpatterns = [
    path("<checkin_token:session_id>/", views.checkin, name="checkin"),
    # Whatever the converter refused (a forged or damaged link): counted, then a 404.
    re_path(r"^.+$", views.unknown_link),
]
