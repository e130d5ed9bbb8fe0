"""The production settings (from the environment, DEBUG off) plus the benchmark's reference
view. Production never loads this module, so the view is unreachable there."""

from branch_portal.settings import *  # noqa: F403
from branch_portal.settings import BASE_DIR

ROOT_URLCONF = "bench.urls"
# Static files collected for the benchmark stay with its other files, away from production's.
STATIC_ROOT = BASE_DIR / "var" / "bench" / "static"
