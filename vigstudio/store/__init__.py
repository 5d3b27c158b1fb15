"""Encrypted storage: the library key file, SQLCipher database, repositories and media containers."""

from .containers import ContainerReader, ContainerStore
from .keys import KdfParams, create_keyfile, rewrap_keyfile, unwrap_keyfile
from .library import Library
from .repositories import Repos

__all__ = [
    "ContainerReader", "ContainerStore", "KdfParams", "Library", "Repos", "create_keyfile",
    "rewrap_keyfile", "unwrap_keyfile",
]
