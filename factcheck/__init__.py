"""factcheck: claim- and source-tracking fact-check assistant.

For every checkable statement in a stream of news, factcheck records who asserts it
(with the relay chain), grounds it to its exact span in the article, and tracks its
verification from the queue to the published verdict.
"""

__version__ = "0.1.0"
