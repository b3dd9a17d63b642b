"""ptcli: a home exercise programme tracker for sciatica."""

__version__ = "0.1.0"
