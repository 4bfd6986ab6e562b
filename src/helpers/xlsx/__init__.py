"""The spreadsheet template that units fill in (xxgk template); read back by importers/xlsx.py.

In: the schema (and optionally an agency record and a stored report to prefill). Out: an .xlsx.

    layout    where every table, label and value cell sits on the sheets (shared with the reader),
              the rows' heights and what is printed
    template  writes the workbook: protected sheets, validated inputs, check formulas, print set-up
"""
