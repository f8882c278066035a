from __future__ import annotations

from django.urls import path, register_converter

from calendar_app.tokens import SessionIdConverter
from qrcodes import views

register_converter(SessionIdConverter, "session_id")

app_name = "qrcodes"
urlpatterns = [
    path("today/", views.today, name="today"),
    path("today/projector/", views.today_projector, name="today_projector"),
    path("<session_id:session_id>/", views.page, name="page"),
    path("<session_id:session_id>/projector/", views.projector, name="projector"),
    path("<session_id:session_id>.svg", views.svg, name="svg"),
    path("<session_id:session_id>.png", views.png, name="png"),
]
