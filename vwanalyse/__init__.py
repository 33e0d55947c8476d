"""vwanalyse: analyses and reporting of the Monitor Regio Deal Vitale Wijken."""

__version__ = "0.1.0"
