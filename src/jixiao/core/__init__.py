"""The domain: document model, target grammar, scoring and review. Standard library only."""
