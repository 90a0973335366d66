"""The rule catalog. Importing this package registers every rule in REGISTRY."""
from auditor.checks import arithmetic, consistency, spreadsheet, template, typos  # noqa: F401
from auditor.checks.base import REGISTRY, Context, Rule

__all__ = ["REGISTRY", "Context", "Rule"]
