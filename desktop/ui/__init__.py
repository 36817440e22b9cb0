"""The Qt layer: windows, dialogs, item models. The only package that imports Qt widgets.

Views show and ask; every change goes through desktop.services, run off the
UI thread by desktop.ui.tasks.
"""
