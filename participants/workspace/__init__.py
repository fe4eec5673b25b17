"""The workspace's pages about participants: a registration, its decisions and contact log,
and what a coordinator does with a course's participants (register a caller, message them,
attendance, print)."""
