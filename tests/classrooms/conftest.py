"""The school fixtures for the class tests."""

from classrooms.school import banks, bundled, school  # noqa: F401
