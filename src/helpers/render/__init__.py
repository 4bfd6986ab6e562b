"""From a notebook to published files: execute with papermill, export, record provenance.

In: agency, year and options. Out: report.ipynb/.html/.pdf, checks.json and provenance.json in
the report's output folder.

    options     RenderOptions (mode, allow_errors, pdf, engine, timeout) and their defaults
    folder      ReportFolder: a report's output folder and every file name in it
    pipeline    one report end to end (render_report)
    records     what the notebook hands over as output metadata: provenance record, check findings
    engine      the papermill engine `xxgk`: cells run in-process, no Jupyter kernel
    provenance  fingerprints, input keys and the provenance record
    export/     nbconvert exporters: html (xxgk_html), pdf (xxgk_pdf)
"""
