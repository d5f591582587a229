"""The school fixtures for the class tests."""

from classes.school import banks, bundled, school  # noqa: F401
