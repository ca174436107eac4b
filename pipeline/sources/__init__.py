"""Reading sources: file formats and document ids, decoding text and markup, Word, PDF text layers and their layout, OCR of scans and ruled tables on them."""
