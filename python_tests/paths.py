"""Where things are, for a test in any folder of python_tests/ (conftest.py puts this folder on
sys.path, so `from paths import REPO` works from every test package)."""
from pathlib import Path

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
BINDINGS = REPO / "bindings" / "python"
FIXTURES = TESTS / "fixtures"
