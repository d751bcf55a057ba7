"""The bench's settings: the developer's settings with DEBUG off and the bare comparison view.

The database comes from DATABASE_URL, which `bench.run` always points at the bench's own
database (bench/data/bench.sqlite3 or BENCH_DATABASE_URL), never at the developer's."""

import warnings

from lms.settings.dev import *  # noqa: F403

DEBUG = False
# "testserver" is the host of django.test.Client, used in-process to count queries.
ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
ROOT_URLCONF = "bench.urls"

# WhiteNoise warns once per process that collectstatic has not been run; the bench serves no
# static file, so the warning is noise in its output.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
