"""The demo organization (`chapterhouse seed_demo`): every seeder lives here, above every app it
fills, so that no app imports demo code."""
