from __future__ import annotations

from django.urls import path, register_converter

from attendance import views
from calendar_app.tokens import CheckinTokenConverter

register_converter(CheckinTokenConverter, "checkin_token")

app_name = "attendance"
urlpatterns = [
    path("<checkin_token:session_id>/", views.checkin, name="checkin"),
]
