"""The Qt desktop application: windows, panels and views over the Qt-free core."""
