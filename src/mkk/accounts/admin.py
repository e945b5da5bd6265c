from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "role",
        "municipality",
        "institution",
        "is_active",
    ]
    list_filter = ["role", "municipality", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("MKK", {"fields": ("role", "municipality", "institution", "language")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        ("MKK", {"fields": ("role", "municipality", "institution")}),
    )
