"""The last app in INSTALLED_APPS: what must happen at start once every app is wired.

Each app connects its receivers (peerprogram.hooks) in its own AppConfig.ready(), in the order
of INSTALLED_APPS; a hook answered once at start can only be sent after the last of them.
"""
