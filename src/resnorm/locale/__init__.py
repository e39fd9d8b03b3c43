"""Message catalogues of :mod:`resnorm.i18n`, one module per language other than English."""
