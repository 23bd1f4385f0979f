"""The one compiled part of the builder (everything else is in pyproject.toml): see builder/extract/_words.c."""

from setuptools import Extension, setup

# Optional: where no C compiler works, the build goes on without it and `builder.extract.words` uses its Python twins.
setup(ext_modules=[Extension("builder.extract._words", ["builder/extract/_words.c"], optional=True)])
