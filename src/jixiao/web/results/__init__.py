"""Results application (结果应用): the finance bureau's decision on each evaluated project's budget proposal."""
