"""URLs of the benchmark server: the whole product, plus the bare reference view at /bench/bare/."""

from django.urls import path

from benchmarks.views import bare
from municipia.urls import urlpatterns as product_urlpatterns

# Django forbids i18n_patterns inside include(), so the product's patterns are listed as they are.
urlpatterns = [path("bench/bare/", bare, name="bench-bare"), *product_urlpatterns]
