"""The language kit every stage and extractor shares: word frequencies and the lexicon, and the one reader of the rule and registry files."""
