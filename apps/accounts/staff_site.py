from django.contrib import admin

from apps.accounts import login_guard
from apps.common.errors import locked_out


class GestionAdminSite(admin.AdminSite):
    site_header = "OdontoCare"
    site_title = "OdontoCare staff"

    def login(self, request, extra_context=None):
        if request.method == "POST":
            address = login_guard.client_address(request)
            wait = login_guard.seconds_locked(address, request.POST.get("username", ""))
            if wait is not None:
                return locked_out(request, wait)
        return super().login(request, extra_context)
