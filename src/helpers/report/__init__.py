"""The pieces of one annual report page, called by the cells of notebooks/annual_report.ipynb.

In: a Report from the store (with the year before and the agency record). Out: HTML fragments
that the notebook displays (the exporters of helpers.render turn the page into HTML, PDF and Word).

    mode          Mode: draft or publish, named once
    context       the notebook's parameters, everything one report reads, the publish gate
    narrative     section texts (store or params/narratives/*.md) and their HTML
    preamble      the title and the generated preamble
    table_grid    the official layout of tables 二/三/四 as cells with spans (HTML and Word draw it)
    tables        tables 二/三/四 as HTML, the draft's check panel
    paragraphs    the generated data paragraphs under tables 三 and 四
    charts        the charts' data and their SVG/PNG; chart_svg draws them (text as text),
                  chart_png writes the PNG
    closing       the 落款 (agency, publication date) and the draft mark of the title
    page          display of fragments, title block, headings, figures, the close
    html_fragment, text_breaks   escaping helpers shared by the above
"""
