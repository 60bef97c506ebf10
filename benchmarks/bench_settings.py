"""Settings of the web benchmark's server: the project's settings plus one bare view (see ``bench_urls``).

Used only by ``benchmarks/bench_web.py``, which starts gunicorn with
``DJANGO_SETTINGS_MODULE=bench_settings`` and ``--pythonpath benchmarks``;
nothing under ``src/`` knows it exists.
"""

from jixiao.web.settings import *  # noqa: F403  (the project's settings, unchanged but for the URLconf)

ROOT_URLCONF = "bench_urls"
