"""What the build leaves out of Qt: its translations (the window is in English) and the plugins the
program never loads. Used by hooks/hook-PySide6.QtGui.py, before PyInstaller looks for the
libraries each plugin needs (so a plugin left out brings none in), and by workstation.spec."""

from __future__ import annotations

# Embedded-device platforms (EGLFS, framebuffer, VNC) and their input drivers (generic/), the GTK
# theme (it would mix a bundled GLib, Pango and Cairo with the system's GTK; Qt's own style and the
# desktop portal's file dialogs serve instead), and the network plugins of a program that goes online
# never.
UNUSED_PLUGINS = (
    "platforms/libqeglfs", "platforms/libqlinuxfb", "platforms/libqvnc", "platforms/libqvkkhrdisplay",
    "platforms/libqminimalegl", "platforms/qdirect2d", "egldeviceintegrations/", "generic/",
    "platformthemes/libqgtk3", "networkinformation/", "tls/", "sqldrivers/", "qmltooling/",
    # Wayland shells other than the desktop's own (xdg-shell)
    "wayland-shell-integration/libfullscreen-shell", "wayland-shell-integration/libivi-shell",
    "wayland-shell-integration/libqt-shell", "wayland-shell-integration/libwl-shell",
    # OpenGL: the window draws with Qt's raster engine (no QOpenGLWidget, no Qt Quick)
    "xcbglintegrations/", "wayland-graphics-integration-client/",
    # image formats no evidence, icon or logo comes in (PNG is built into Qt; JPEG, TIFF, GIF, ICO
    # and SVG stay)
    "imageformats/qwebp", "imageformats/libqwebp", "imageformats/qicns", "imageformats/libqicns",
    "imageformats/qtga", "imageformats/libqtga", "imageformats/qwbmp", "imageformats/libqwbmp",
)


#: Windows: Qt's software OpenGL (20 MB), for programs that draw with OpenGL on machines without a driver
UNUSED_FILES = ("opengl32sw.dll",)


def unused_qt_file(src: str, dest: str = "") -> bool:
    """True for a Qt translation or an unused plugin, given its source path or its place in the build."""
    for path in (src.replace("\\", "/"), dest.replace("\\", "/")):
        if path.rsplit("/", 1)[-1].lower() in UNUSED_FILES:
            return True
        if "/translations/" in f"/{path}/" and ".qm" in path:
            return True
        if "plugins/" in path and any(part in path for part in UNUSED_PLUGINS):
            return True
    return False


# Linux: system libraries every desktop that can show a window and print already has, used from the
# system rather than bundled (as AppImage's exclude list does): the bundled copies would only have to
# agree with the system's own configuration and services (CUPS, the session bus, the X server, the
# fonts), and they are most of what the build would carry beside Qt. Without CUPS the print dialog
# still prints to PDF. The xcb helper libraries Qt needs and minimal systems lack stay bundled.
DESKTOP_LIBS = (
    # printing: CUPS and the TLS, Kerberos and service-discovery libraries it links
    "libcups.", "libgnutls.", "libp11-kit.", "libunistring.", "libidn2.", "libtasn1.", "libnettle.",
    "libhogweed.", "libgmp.", "libgssapi_krb5.", "libkrb5.", "libk5crypto.", "libkrb5support.", "libcom_err.",
    "libkeyutils.", "libavahi-client.", "libavahi-common.",
    # the session bus and what Debian's libdbus links
    "libdbus-1.", "libsystemd.", "libgcrypt.", "libgpg-error.", "liblz4.", "libcap.",
    # the X server's client library and the fonts
    "libX11.", "libX11-xcb.", "libXau.", "libXdmcp.", "libbsd.", "libmd.", "libfontconfig.", "libfreetype.",
    "libexpat.", "libpng16.", "libbrotlicommon.", "libbrotlidec.",
    # GLib (Qt's event loop on Linux) and the compression library systemd itself needs
    "libglib-2.0.", "libgthread-2.0.", "libpcre2-8.", "libzstd.",
    # the C++ runtime (a bundled older copy breaks the system's graphics drivers)
    "libstdc++.", "libgcc_s.",
)


def metadata_not_read(dest: str) -> bool:
    """A package's file list (RECORD) or bill of materials (sboms/): About reads METADATA and the
    licences, nothing else."""
    path = dest.replace("\\", "/")
    return ".dist-info/" in path and (path.endswith("/RECORD") or "/sboms/" in path)


def provided_by_desktop(dest: str) -> bool:
    """True for a library at the top of the build that DESKTOP_LIBS leaves to the system."""
    return "/" not in dest.replace("\\", "/") and dest.startswith(DESKTOP_LIBS)
