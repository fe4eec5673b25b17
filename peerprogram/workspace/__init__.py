"""The coordinator's workspace: the pages of daily work under /koordinator/.

This package holds the start page ("I dag") and the frame every workspace page shares. The
other pages belong to the app that owns their subject (the course page to groups, a
registration to participants, facilitators to volunteers), and what a lower app's page shows
from a higher one comes through the hooks in peerprogram.hooks (`work_items`,
`today_sections`, `course_sections`)."""
