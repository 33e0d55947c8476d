"""Notebook API, the logic model of a wijk: `from vwanalyse import logicmodel` in a template.

The stable names the templates in notebooks/ call; the code is in `weergave.logicmodel`.
"""

from vwanalyse.weergave.logicmodel import diagram, model  # noqa: F401
