#!/bin/sh
# Installs this Appeal Workstation folder for the current user (no administrator needed):
#   the program        ~/.local/opt/appeal-workstation/
#   the command        ~/.local/bin/workstation
#   the menu entry     ~/.local/share/applications/, with its icons and AppStream metadata
# ./install.sh --uninstall removes exactly those. Workspaces, settings and logs (in your documents
# and data folders) are never touched by either.
set -eu

id=org.appealworkstation.AppealWorkstation
here=$(cd "$(dirname "$0")" && pwd)
opt="$HOME/.local/opt/appeal-workstation"
bin="$HOME/.local/bin"
share="${XDG_DATA_HOME:-$HOME/.local/share}"

refresh_menus() {
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$share/applications" || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$share/icons/hicolor" || true
}

uninstall() {
    rm -rf "$opt"
    [ -L "$bin/workstation" ] && rm -f "$bin/workstation"
    rm -f "$share/applications/$id.desktop" "$share/metainfo/$id.metainfo.xml"
    find "$share/icons/hicolor" -name "$id.*" -type f -delete 2>/dev/null || true
    refresh_menus
    echo "Removed the Appeal Workstation; your workspaces and settings are kept."
}

install() {
    if [ "$here" != "$opt" ]; then
        rm -rf "$opt"
        mkdir -p "$(dirname "$opt")"
        cp -a "$here" "$opt"
    fi
    mkdir -p "$bin" "$share/applications" "$share/metainfo"
    ln -sfn "$opt/workstation" "$bin/workstation"
    sed "s|^Exec=.*|Exec=\"$opt/workstation\"|" "$opt/share/applications/$id.desktop" \
        > "$share/applications/$id.desktop"
    cp "$opt/share/metainfo/$id.metainfo.xml" "$share/metainfo/"
    (cd "$opt/share" && find icons -name "$id.*" -type f) | while read -r icon; do
        mkdir -p "$share/$(dirname "$icon")"
        cp "$opt/share/$icon" "$share/$icon"
    done
    refresh_menus
    echo "Installed the Appeal Workstation $("$opt/workstation" --version | cut -d' ' -f2) in $opt."
    echo "Start it from the menu, or run: $bin/workstation"
}

case "${1:-}" in
    --uninstall) uninstall ;;
    "") install ;;
    *) echo "usage: $0 [--uninstall]" >&2; exit 2 ;;
esac
