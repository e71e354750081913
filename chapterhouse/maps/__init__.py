"""Maps that read without configuration: chapters, candidates and unaffiliated members over an
offline basemap of country outlines (docs/maps.md)."""
