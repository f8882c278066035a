from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from attendance import views as attendance_views
from runclub import views
from runclub.api import api
from runclub.ratelimits import LOGIN_LIMITS, limited

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon),
    path("checkin/", include("attendance.urls")),
    path("qr/", include("qrcodes.urls")),
    # Ahead of admin.site.urls, so every login attempt is counted first.
    path("admin/login/", limited(*LOGIN_LIMITS)(admin.site.login)),
    path("live/", attendance_views.live_page, name="live"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("export/attendance.csv", attendance_views.export_csv, name="export-attendance"),
]
