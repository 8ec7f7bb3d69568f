"""Results anyone can see: accountability figures, charts, a map, a word cloud and open data.

Read-only, at the top of the layers (beside ``forum.demo``): it imports the apps below and no
app imports it. It writes no domain rows; its only writes are cache entries and the open-data
ZIP file.
"""
