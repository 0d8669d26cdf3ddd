"""JSON in and out of the C ABI, with the ``json`` module imported on first use.

``json`` pulls in ``re`` and ``enum`` (about 7 ms); importing ``auki_session`` must not pay that.
``dumps`` uses the stdlib's cached default encoder: a value that is not JSON (for example a
``RegistryRef`` object nested in a body dict) raises ``TypeError`` exactly as upstream's
``json.dumps`` call did.
"""


def dumps(value):
    """``json.dumps(value)``."""
    import json

    return json.dumps(value)


def loads(text):
    """``json.loads(text)``."""
    import json

    return json.loads(text)
