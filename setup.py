"""The one compiled part of the builder (everything else is in pyproject.toml): see builder/extract/_words.c."""

from setuptools import Extension, setup

setup(ext_modules=[Extension("builder.extract._words", ["builder/extract/_words.c"])])
