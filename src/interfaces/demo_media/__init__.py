"""Media the demo ships: `chapter.webm`, a five-second VP9 test pattern (320×180, no sound) made
once with ffmpeg's `testsrc2`, so that a demo course can be watched to completion."""
