"""The query bounds the workspace's pages are held to, at every data size. The course page
is one bound for all its sections (groups' sessions, participants', volunteers'), whichever
test fills it."""

COURSE_PAGE_QUERIES = 30
# "I dag": every app's work items and the week's sessions together.
TODAY_PAGE_QUERIES = 40
