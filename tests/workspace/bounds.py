"""The query bounds the workspace's pages are held to, at every data size. The course page
is one bound for all its sections (groups' sessions, participants', volunteers'), whichever
test fills it."""

COURSE_PAGE_QUERIES = 30
