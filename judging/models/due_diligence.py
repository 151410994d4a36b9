"""Due diligence before an award: see the stages issue (13)."""
