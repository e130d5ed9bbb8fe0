"""portal.storage.StaticFilesStorage gives WhiteNoise's URLs, each worked out once."""

import json

import pytest
from whitenoise.storage import CompressedManifestStaticFilesStorage

from portal.storage import StaticFilesStorage


@pytest.fixture
def manifest(tmp_path):
    paths = {"css/admin.css": "css/admin.0123abcd.css", "favicon.svg": "favicon.89ab.svg"}
    (tmp_path / "staticfiles.json").write_text(json.dumps({"version": "1.1", "paths": paths}))
    return tmp_path


def test_urls_are_whitenoises_and_remembered(manifest, settings):
    settings.DEBUG = False
    ours = StaticFilesStorage(location=manifest, base_url="/static/")
    whitenoises = CompressedManifestStaticFilesStorage(location=manifest, base_url="/static/")

    for name in ["css/admin.css", "favicon.svg", "css/admin.css"]:
        assert ours.url(name) == whitenoises.url(name)
    assert ours.url("css/admin.css") == "/static/css/admin.0123abcd.css"
    # Changing the manifest in memory changes nothing: the URL was worked out once.
    ours.hashed_files["css/admin.css"] = "css/admin.ffff.css"
    assert ours.url("css/admin.css") == "/static/css/admin.0123abcd.css"


def test_a_file_missing_from_the_manifest_fails_each_time(manifest, settings):
    settings.DEBUG = False
    ours = StaticFilesStorage(location=manifest, base_url="/static/")

    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            ours.url("js/missing.js")
