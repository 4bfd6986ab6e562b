"""From a notebook to published files: execute with papermill, export, record provenance.

In: agency, year and options. Out: report.ipynb/.html/.pdf/.docx, checks.json and provenance.json
in the report's output folder; for the roll-up of a parent's units, rollup.ipynb/.html/.pdf and
rollup.json in the parent's folder.

    options     RenderOptions (mode, allow_errors, pdf, engine, timeout) and their defaults
    folder      ReportFolder (RollupFolder): an output folder and every file name in it
    pipeline    one report (render_report) or roll-up (render_rollup) end to end
    warm        the warm-up before a sweep forks: a synthetic report exported once (templates, fonts)
    records     what the notebook hands over as output metadata: provenance record, check findings,
                a roll-up's status; outputs meant for the HTML page only or the PDF only
    engine      the papermill engine `xxgk`: cells run in-process, no Jupyter kernel
    kernel      the kernel manager for the `nbclient` engine: encrypted kernel connections
    provenance  fingerprints, input keys and the provenance record
    export/     nbconvert exporters: html (xxgk_html), pdf (xxgk_pdf), docx (xxgk_docx); only of a finished report
"""
