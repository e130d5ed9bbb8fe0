"""`make bench`: the portal under load on synthetic national-scale data (issue 7).

``run.py`` drives it (database, data, gunicorn, wrk, the report); ``generate.py`` fills a
database with the synthetic data of ``data/`` (one module per app's tables, run in the order of
``data.GENERATORS``); ``measure.py`` runs inside Django for what needs it (queries per page,
EXPLAIN, the COPY references); ``settings.py`` and ``urls.py`` add the trivial reference view, so
it exists only under the benchmark's settings.
README.md, section "Benchmark", says how to run it.
"""
