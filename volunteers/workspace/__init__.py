"""The workspace's pages about facilitators: assigning, unassigning and finding a substitute."""
