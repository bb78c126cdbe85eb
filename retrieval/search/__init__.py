"""Search: text analysis, the BM25 engines and their postings, and the persisted index."""
