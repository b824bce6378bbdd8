from django.apps import AppConfig


class PersonalConfig(AppConfig):
    name = "apps.personal"
    verbose_name = "Personal"
