"""The programmes' pages under /programmes/, one URL module per area (one namespace, `programmes:`)."""

from .agreement_urls import urlpatterns as agreement_urlpatterns
from .application_urls import urlpatterns as application_urlpatterns
from .call_urls import urlpatterns as call_urlpatterns
from .chain_urls import urlpatterns as chain_urlpatterns
from .coordination_urls import urlpatterns as coordination_urlpatterns
from .fund_urls import urlpatterns as fund_urlpatterns
from .progress_urls import urlpatterns as progress_urlpatterns
from .report_urls import urlpatterns as report_urlpatterns
from .review_urls import urlpatterns as review_urlpatterns
from .selection_urls import urlpatterns as selection_urlpatterns
from .topic_urls import urlpatterns as topic_urlpatterns

app_name = "programmes"

urlpatterns: list = [
    *call_urlpatterns,
    *topic_urlpatterns,
    *application_urlpatterns,
    *review_urlpatterns,
    *selection_urlpatterns,
    *coordination_urlpatterns,
    *report_urlpatterns,
    *agreement_urlpatterns,
    *fund_urlpatterns,
    *progress_urlpatterns,
    *chain_urlpatterns,
]
