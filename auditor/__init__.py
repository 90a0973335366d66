"""auditor: find numbers that contradict each other in Vietnamese administrative-reform reports."""
__version__ = "0.1.0"
