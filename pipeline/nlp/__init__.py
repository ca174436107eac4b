"""The language kit every stage and extractor shares: word frequencies and the lexicon."""
