"""Synthetic, clearly labelled data for demos, tests and benchmarks.

    series     consistent reports (every hard rule holds) and multi-year series that carry over
    dataset    a district with its street offices, stored by `xxgk synth`
    published  reports written the way agencies publish them (text, HTML), for the importers' tests
"""
