"""Writing outputs: the table declarations, table files and the result cache, corpus tables, the data package and the review pages."""
