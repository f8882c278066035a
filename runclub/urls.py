from __future__ import annotations

from django.contrib import admin
from django.urls import include, path, register_converter

from attendance import views as attendance_views
from calendar_app import views as calendar_views
from calendar_app.shortcodes import ShortCodeConverter
from runclub import views
from runclub.api import api

register_converter(ShortCodeConverter, "short_code")
handler500 = "runclub.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon),
    # The short link QR codes carry, and the page to type its code on.
    path("c/", attendance_views.enter_code, name="enter-code"),
    path("c/<short_code:code>", attendance_views.checkin_by_code, name="checkin-code"),
    path("c/<short_code:code>/", attendance_views.checkin_by_code),
    path("checkin/", include("attendance.urls")),
    path("qr/", include("qrcodes.urls")),
    # The log-in and two-factor pages, ahead of admin.site.urls (whose own log-in they replace).
    path("admin/", include("runclub.accounts.urls")),
    path("live/", attendance_views.live_page, name="live"),
    path("privacy/", attendance_views.privacy, name="privacy"),
    path("calendar.ics", calendar_views.feed, name="calendar-feed"),
    path("me/", attendance_views.my_season, name="me"),
    path("me/forget/", attendance_views.forget_this_phone, name="forget-phone"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("export/attendance.csv", attendance_views.export_csv, name="export-attendance"),
]
