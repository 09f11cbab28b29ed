"""Settings of the benchmark server: the product's settings, plus the bare reference view's URLs."""

from municipia.settings import *  # noqa: F403
from municipia.settings import BASE_DIR

ROOT_URLCONF = "benchmarks.urls"

# collectstatic writes the hashed static files here, inside the benchmark's git-ignored data
# directory, so that a benchmark run leaves nothing outside `benchmarks/`. It changes no behaviour.
STATIC_ROOT = BASE_DIR / "benchmarks" / "data" / "staticfiles"
