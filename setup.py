"""The one compiled part of the builder (everything else is in pyproject.toml): see builder/_words.c for why."""

from setuptools import Extension, setup

setup(ext_modules=[Extension("builder._words", ["builder/_words.c"])])
