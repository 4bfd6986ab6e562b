"""nbconvert exporters of an executed report notebook.

    html   XxgkHTMLExporter (`--to xxgk_html`): the self-contained report page
    pdf    HTML -> PDF with WeasyPrint; XxgkPDFExporter(XxgkHTMLExporter) (`--to xxgk_pdf`), with
           weasyprint_fonts (font embedding), weasyprint_styles (<style> sheets) and weasyprint_libs
           (its HTML parser, pydyf) set up once
    docx   HTML -> the Word document; XxgkDOCXExporter(XxgkHTMLExporter) (`--to xxgk_docx`), with
           docx_page (page, styles, fonts, watermark), docx_tables (the official tables),
           docx_package (properties, reproducible bytes)
    watermark   the draft's diagonal mark as an SVG image (HTML and PDF)
"""
