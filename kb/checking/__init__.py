"""``kb check`` at any scale: validate (the units and the check itself), workers (units run in
forked processes), state (what a check keeps between runs)."""

from kb.checking.state import state_path
from kb.checking.validate import CheckResult, check, unit_ntriples

__all__ = ["CheckResult", "check", "state_path", "unit_ntriples"]
