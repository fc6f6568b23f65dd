"""Settings for the public-site load benchmark: the production settings, plus one
trivial view (bench.bench_urls) measured in the same run as the ceiling."""

from koperasi_registry.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
