"""The report format as data (docs/format.md), and the values it holds.

Nothing flows in; everything else reads from here.

    schema   keys, official labels, table layouts, sections, value and check rules, the agency record
             (Agency): the one source of truth
    model    Report and Cell: one agency-year's cells (number / blank / 不适用) and narrative
    ids      agency identifiers and years, validated (they end up in paths)
    derived  the derived figures (受理合计, 实质公开率, 复议纠错率, 诉讼总数, 同比) computed from a Report
    docs     the tables of docs/format.md, written from the schema (python -m helpers.format.docs)
"""
