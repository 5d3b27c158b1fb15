"""The encrypted exchange format for supervision: age-encrypted tar with a hashed manifest.

Knows nothing of the library or the decoder: `app` feeds it members and stores what it yields.
"""
