"""The workspace's pages about courses: the list of a coordinator's courses and one page per
course (the cockpit), whose participant and facilitator sections the higher apps add through
`peerprogram.hooks.course_sections`."""
