"""Certificate files: the CJK font they need and the PDF renderer."""
