"""The REST API root: router, schema, authentication and error format."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "municipia.api"
    verbose_name = "API"
