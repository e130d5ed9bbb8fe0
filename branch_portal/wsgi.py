import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "branch_portal.settings")
application = get_wsgi_application()

# What loading made (modules, settings, URL patterns, the ORM's and templates' machinery) lives as
# long as the worker: kept out of the garbage collector's full passes, which otherwise stopped a
# request for about 150 ms now and then (bench.measure caught one in a page's render).
gc.freeze()
