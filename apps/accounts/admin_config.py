from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    """gestion's staff site, whose login form follows the failed-login policy."""

    default_site = "apps.accounts.staff_site.GestionAdminSite"
