from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from runclub import views

urlpatterns = [
    path("", views.home, name="home"),
    path("checkin/", include("attendance.urls")),
    path("qr/", include("qrcodes.urls")),
    path("admin/", admin.site.urls),
]
