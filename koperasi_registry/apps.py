from django.apps import AppConfig


class KoperasiRegistryConfig(AppConfig):
    name = "koperasi_registry"
    verbose_name = "Koperasi Registry"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
