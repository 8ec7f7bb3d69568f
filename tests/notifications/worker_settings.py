"""Settings for worker subprocesses started by the tests: the project's, plus the recorder."""

from forum.settings import *  # noqa: F403
from forum.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.notifications.recorder.apps.RecorderConfig"]
