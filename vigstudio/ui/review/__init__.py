"""The shared review (family screen, presenter screen, the guarded way out) and the export dialog.

`install_review_actions(main_window)` adds "Start shared review…" (F5) and "Export…" to the library
window; see `actions`.
"""

from vigstudio.ui.review.actions import install_review_actions
from vigstudio.ui.review.controller import ReviewController
from vigstudio.ui.review.mode import ReviewMode, start_review

__all__ = ["ReviewController", "ReviewMode", "install_review_actions", "start_review"]
