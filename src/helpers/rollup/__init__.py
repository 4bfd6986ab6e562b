"""The roll-up: a parent agency's units for one year, added up and compared (the 汇总 report).

In: the store (units below a parent by `parent_id`, their reports of the year and the year before)
and the notebook's parameters. Out: the pieces notebooks/rollup.ipynb displays, `rollup.json`, and
the aggregate stored as the parent's report (`xxgk rollup --store`).

    aggregate   the sum over the units, exactly as the rule `rollup` reads them; the figures of each unit
    status      each unit's submission status: 未报送, errors, warnings, narrative complete, what to fix
    league      the units side by side (frames.indicators) with a robust outlier measure
    charts      totals over the years, distribution of the 公开 share, applications by unit
    context     parameters, everything one roll-up reads, its input key and provenance
    store       --store: the aggregate as the parent's report (a new revision), with its refusals
    page        the HTML fragments of the roll-up page, shown per notebook cell; of many units the PDF
                keeps what an office head acts on, the page every unit (render.records.MEDIUM)
"""
