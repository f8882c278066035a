from __future__ import annotations

from django.contrib.admin import apps as admin_apps


class ClubAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the club's site (``runclub.admin_site``).

    Here, not beside the site: Django imports this module while it loads the apps, and the
    site's module imports views and models, which need the apps loaded first. Neither this
    (``default = False``) nor Django's AdminConfig (imported by its module) is the ``runclub``
    app's own config: that one is Django's plain AppConfig.
    """

    default = False

    default_site = "runclub.admin_site.ClubAdminSite"
