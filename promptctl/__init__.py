"""promptctl: git-native prompt management.

The command line is ``promptctl``; this package's public Python API is what ``__all__``
lists.
"""

from promptctl._version import __version__

__all__ = ["__version__"]
