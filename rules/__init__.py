"""Rule packs as data: the concept lexicon, identities, units and placeholders."""
