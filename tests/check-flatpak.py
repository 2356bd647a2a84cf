#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks the Flatpak manifest (the runtime cannot be downloaded here, so the bundle itself is
# not built by make check):
#   check-flatpak.py MANIFEST APP-ID COMMAND
# - flatpak-builder --show-manifest accepts it (when flatpak-builder is installed);
# - the fields flatpak-builder needs are there and agree with the meson build;
# - the GNOME runtime is not one that is out of support;
# - every downloaded source is pinned by sha256 (archives, files) or commit (git) AND names
#   its upstream tag, over https;
# - every library the app links that the GNOME runtime lacks is built by a module;
# - the permissions are the least needed: no file system access (files go through the
#   portals), no session/system bus, no plain X11.
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# GNOME keeps the two newest stable releases; Flathub marks the older runtimes end-of-life.
# 48 went out of support with GNOME 50 (March 2026).
EOL_GNOME_RUNTIMES = {str(v) for v in range(3, 49)} | {"3.%d" % v for v in range(0, 40)} | {"master"}

# Libraries the app links (see the meson.build files) that org.gnome.Platform does not ship,
# with the module that must build them.
NEEDED_MODULES = {
    "libre": "libre",
    "librem": "librem",
    "phonenumber": "libphonenumber",
    "protobuf": "protobuf",
    "absl": "abseil",
    # libphonenumber 8.12.57's CMake build stops without gtest, even with BUILD_TESTING=OFF
    "gtest": "googletest",
    "espeak-ng": "espeak-ng",
    "libpq": "libpq",
}

# What org.gnome.Platform (on the freedesktop runtime) ships, by the names the meson build asks
# for with dependency() / find_library(). Any other name the build asks for needs a module in
# NEEDED_MODULES (below) or an entry here after checking the runtime has it.
RUNTIME_PROVIDED = {
    "glib-2.0", "gobject-2.0", "gio-2.0", "gio-unix-2.0", "gmodule-2.0", "threads", "m",
    "gtk4", "libadwaita-1", "cairo", "cairo-pdf", "pango", "pangocairo", "gdk-pixbuf-2.0",
    "sqlite3", "json-glib-1.0", "libsoup-3.0", "libsecret-1", "libxml-2.0", "openssl",
    "libcurl", "libcrypt", "crypt", "libxcrypt", "zlib", "icu-uc", "icu-i18n",
    "gstreamer-1.0", "gstreamer-app-1.0", "gstreamer-audio-1.0", "gstreamer-base-1.0",
    "gstreamer-pbutils-1.0",
}
# dependency()/find_library() name -> the module that builds it
BUILT_BY_MODULE = {
    "libre": "libre",
    "librem": "librem",
    "phonenumber": "libphonenumber",
    "protobuf": "protobuf",
    "espeak-ng": "espeak-ng",
    "libpq": "libpq",
}

REQUIRED_FINISH_ARGS = {
    "--share=network",
    "--socket=pulseaudio",
    "--talk-name=org.freedesktop.secrets",
}
FORBIDDEN_FINISH_ARGS = re.compile(
    r"^--(filesystem|socket=(x11|session-bus|system-bus|ssh-auth)|device=all"
    r"|talk-name=org\.freedesktop\.Flatpak|own-name=org\.freedesktop\..*"
    r"|socket=pcsc|allow=devel)")

failures = []


def fail(msg):
    failures.append(msg)
    print("not ok - " + msg)


def main():
    path, app_id, command = sys.argv[1:4]
    here = os.path.dirname(os.path.abspath(path))

    builder = shutil.which("flatpak-builder")
    if builder:
        # it writes its state (.flatpak-builder/) into the current directory: a temporary one,
        # not the source tree
        with tempfile.TemporaryDirectory() as cwd:
            r = subprocess.run([builder, "--show-manifest", os.path.abspath(path)], cwd=cwd,
                               capture_output=True, text=True)
        if r.returncode != 0 or r.stderr.strip():
            fail("flatpak-builder --show-manifest: rc %d %s" % (r.returncode, r.stderr.strip()))
    else:
        print("# flatpak-builder not installed: JSON checks only")

    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except ValueError as e:
        fail("%s is not valid JSON: %s" % (path, e))
        return 1

    for key in ("runtime", "runtime-version", "sdk", "command", "modules", "finish-args"):
        if key not in manifest:
            fail("missing field %s" % key)
    if manifest.get("app-id", manifest.get("id")) != app_id:
        fail("app-id differs from the meson build (%s)" % app_id)
    if manifest.get("command") != command:
        fail("command differs from the meson build (%s)" % command)
    if manifest.get("runtime") != "org.gnome.Platform" or manifest.get("sdk") != "org.gnome.Sdk":
        fail("runtime/sdk must be org.gnome.Platform/org.gnome.Sdk")
    version = str(manifest.get("runtime-version", ""))
    if not re.fullmatch(r"\d+", version) or version in EOL_GNOME_RUNTIMES:
        fail("runtime-version %r is out of support" % version)

    modules = manifest.get("modules", [])
    if not modules or not isinstance(modules[-1], dict) or modules[-1].get("name") != command:
        fail("the app must be the last module")
    names = set()
    for i, module in enumerate(modules):
        if not isinstance(module, dict):
            fail("module %d: external module files are not used here" % i)
            continue
        name = module.get("name")
        if not name:
            fail("module %d has no name" % i)
        names.add(name)
        if "buildsystem" not in module:
            fail("module %s: no buildsystem" % name)
        if module.get("buildsystem") == "simple" and not module.get("build-commands"):
            fail("module %s: simple buildsystem without build-commands" % name)
        sources = module.get("sources", [])
        if not sources:
            fail("module %s has no sources" % name)
        for j, src in enumerate(sources):
            check_source(name, j, src, here, is_app=(i == len(modules) - 1))

    for lib, module in NEEDED_MODULES.items():
        if module not in names:
            fail("no module builds %s (%s)" % (lib, module))
    # every library the meson build links is in the runtime or built by a module
    source_root = os.path.dirname(here)
    for name in sorted(linked_libraries(source_root)):
        if name in RUNTIME_PROVIDED:
            continue
        if name not in BUILT_BY_MODULE:
            fail("the meson build links %r, which the GNOME runtime lacks and no module "
                 "builds (add a module, or RUNTIME_PROVIDED after checking)" % name)
        elif BUILT_BY_MODULE[name] not in names:
            fail("the meson build links %r but no module %s builds it"
                 % (name, BUILT_BY_MODULE[name]))

    # the app's own module must come after the libraries it links
    order = [m.get("name") for m in modules if isinstance(m, dict)]
    if "protobuf" in order and "libphonenumber" in order and \
            order.index("protobuf") > order.index("libphonenumber"):
        fail("protobuf must be built before libphonenumber")
    if "abseil" in order and "libphonenumber" in order and \
            order.index("abseil") > order.index("libphonenumber"):
        fail("abseil must be built before libphonenumber")
    if "googletest" in order and "libphonenumber" in order and \
            order.index("googletest") > order.index("libphonenumber"):
        fail("googletest must be built before libphonenumber")
    if "libre" in order and "librem" in order and order.index("libre") > order.index("librem"):
        fail("libre must be built before librem")

    args = manifest.get("finish-args", [])
    for arg in args:
        if FORBIDDEN_FINISH_ARGS.match(arg):
            fail("finish-arg %s grants more than the app needs" % arg)
    for arg in REQUIRED_FINISH_ARGS - set(args):
        fail("finish-arg %s is missing" % arg)

    if failures:
        print("%d problem(s) in %s" % (len(failures), path))
        return 1
    print("ok - %s: %d modules, runtime %s %s" % (os.path.basename(path), len(modules),
                                                  manifest["runtime"], version))
    return 0


def linked_libraries(source_root):
    """The names the app's meson build passes to dependency() and find_library()."""
    found = set()
    pattern = re.compile(r"\b(?:dependency|find_library)\(\s*'([^']+)'")
    for top in ("meson.build", "src"):
        path = os.path.join(source_root, top)
        files = [path] if os.path.isfile(path) else [
            os.path.join(d, f) for d, _, fs in os.walk(path) for f in fs if f == "meson.build"]
        for f in files:
            with open(f, encoding="utf-8") as fh:
                found.update(pattern.findall(fh.read()))
    return found


def check_source(module, j, src, here, is_app):
    where = "module %s source %d" % (module, j)
    kind = src.get("type")
    if kind in ("archive", "file"):
        if "url" in src:
            if not src["url"].startswith("https://"):
                fail("%s: url must be https" % where)
            if not re.fullmatch(r"[0-9a-f]{64}", src.get("sha256", "")):
                fail("%s: no sha256" % where)
            if not src.get("x-upstream-tag"):
                fail("%s: no x-upstream-tag naming the upstream release" % where)
        elif "path" in src:
            if not os.path.isfile(os.path.join(here, src["path"])):
                fail("%s: %s does not exist" % (where, src["path"]))
        else:
            fail("%s: neither url nor path" % where)
    elif kind == "git":
        if not re.fullmatch(r"[0-9a-f]{40}", src.get("commit", "")):
            fail("%s: git source without a commit" % where)
        if not src.get("tag"):
            fail("%s: git source without a tag" % where)
        if not src.get("url", "").startswith("https://"):
            fail("%s: url must be https" % where)
    elif kind == "dir":
        if not is_app:
            fail("%s: only the app itself may come from a directory" % where)
    elif kind in ("shell", "patch"):
        if kind == "patch" and not os.path.isfile(os.path.join(here, src.get("path", ""))):
            fail("%s: patch file missing" % where)
    else:
        fail("%s: unexpected source type %r" % (where, kind))


if __name__ == "__main__":
    sys.exit(main())
