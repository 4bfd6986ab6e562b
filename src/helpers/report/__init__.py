"""The pieces of one annual report page, called by the cells of notebooks/annual_report.ipynb.

In: a Report from the store (with the year before and the agency record). Out: HTML fragments
that the notebook displays.

    mode          Mode: draft or publish, named once
    context       the notebook's parameters, everything one report reads, the publish gate
    narrative     section texts (store or params/narratives/*.md) and their HTML
    preamble      the title and the generated preamble
    tables        tables 二/三/四 in the official layout, the draft's check panel
    paragraphs    the generated data paragraphs under tables 三 and 四
    charts        SVG charts with Chinese labels
    page          display of fragments, title block, headings, provenance footer
    html_fragment, text_breaks   escaping helpers shared by the above
"""
