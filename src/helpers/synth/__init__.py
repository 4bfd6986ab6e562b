"""Synthetic, clearly labelled data for demos, tests and benchmarks.

    series     consistent reports (every hard rule holds) and multi-year series that carry over
    dataset    a district with its street offices, stored by `xxgk synth`
    published  reports written the way agencies publish them (text, HTML), for the importers' tests
    hostile    files made to cost memory or time (PDF bombs, a million rows, YAML alias bombs)
    converted  what pdftotext, markitdown, PyMuPDF and web page text make of a report (test material)
    tree       a small agency tree of three levels with 汇总 units, for the roll-up's tests
"""
