"""nbconvert exporters of an executed report notebook.

    html   XxgkHTMLExporter (`--to xxgk_html`): the self-contained report page
    pdf    HTML -> PDF with WeasyPrint; XxgkPDFExporter(XxgkHTMLExporter) (`--to xxgk_pdf`)
"""
