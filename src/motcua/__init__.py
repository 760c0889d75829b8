"""motcua: the electronic one-stop shop and the administrative-reform scorecard."""

__version__ = "0.1.0"
