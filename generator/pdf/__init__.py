"""The PDF briefing: a Typst template fed with JSON data (see ``template.typ``)."""

from generator.pdf.compile import PdfError, compile_pdf, typst_source_files
from generator.pdf.mdast import html_to_blocks

__all__ = ["PdfError", "compile_pdf", "html_to_blocks", "typst_source_files"]
