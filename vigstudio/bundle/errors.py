"""The one error the bundle layer raises."""

from vigstudio.domain.errors import VigError


class BundleRefused(VigError):
    """A bundle that cannot be opened or made; the message says why in one line."""
