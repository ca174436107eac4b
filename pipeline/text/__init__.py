"""Making text: a document's pages assembled, repaired with every edit logged, its language per paragraph, its sections, quality and cover facts."""
