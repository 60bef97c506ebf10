"""Ex-ante assessment (事前绩效评估) with the expert pool (专家库)."""
