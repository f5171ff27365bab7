"""Turkish normalization and the free-text matcher: pure, no I/O per message."""

from nlu.calibration import Thresholds
from nlu.matcher import Candidate, Decision, Matcher, MatchResult, OutOfScopeKind, build_matcher

__all__ = ["Candidate", "Decision", "MatchResult", "Matcher", "OutOfScopeKind", "Thresholds", "build_matcher"]
