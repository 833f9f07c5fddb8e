"""Coaching (코칭시스템, plan item 4): coordinators' coaching sessions and caseload, and mentoring between a
senior firm and a junior firm (선·후배 기업 멘토링)."""
