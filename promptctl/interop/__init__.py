"""Other tools' prompt formats: import as new promptctl versions, export for other tools.

:mod:`~promptctl.interop.dialects` converts template text, ``importing`` reads each
format, ``adoption`` plans and writes imports, ``exporting`` writes each format."""
