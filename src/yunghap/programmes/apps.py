from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "yunghap.programmes"
    label = "programmes"
    verbose_name = _("지원사업")

    def ready(self) -> None:
        # Registers the programmes' importers (yunghap import topics|calls|applications|reviewers|reviews).
        # One line per module, added by the area that writes it.
        from . import (
            application_imports,  # noqa: F401  (applications)
            call_imports,  # noqa: F401
            fund_imports,  # noqa: F401  (budgets, deposits, payments, spending)
            review_imports,  # noqa: F401  (reviewers, reviews)
            topic_imports,  # noqa: F401
        )
