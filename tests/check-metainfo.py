#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# What appstreamcli does not check in the metainfo and desktop file:
#   check-metainfo.py SOURCE-ROOT BUILT-METAINFO BUILT-DESKTOP-FILE PROJECT-VERSION
# - every screenshot is a PNG kept in the repository (data/screenshots), small, referenced by
#   its raw URL on the main branch, with the width and height it really has; one is the default;
# - the newest release is the project's version, releases newest first, each with notes;
# - there is an OARS content rating;
# - captions and release notes are translated into pl and ru, and the desktop file's keywords.
import os
import re
import struct
import sys
import xml.etree.ElementTree as ET

RAW = "https://raw.githubusercontent.com/dunningdesk/dunning-desk/main/"
MAX_BYTES = 250 * 1024
LANGS = ("pl", "ru")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

failures = []


def fail(msg):
    failures.append(msg)
    print("not ok - " + msg)


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", head[16:24])


def untranslated(elements):
    return [e for e in elements if e.get(XML_LANG) is None]


def translated(parent, tag, text):
    langs = {e.get(XML_LANG) for e in parent.findall(tag) if e.get(XML_LANG)}
    for lang in LANGS:
        if lang not in langs:
            fail("%r has no %s translation" % (text, lang))


def main():
    root_dir, metainfo, desktop, version = sys.argv[1:5]
    component = ET.parse(metainfo).getroot()

    shots = component.findall("screenshots/screenshot")
    if not shots:
        fail("no screenshots")
    if sum(1 for s in shots if s.get("type") == "default") != 1:
        fail("exactly one screenshot must be the default")
    for shot in shots:
        for image in shot.findall("image"):
            url = image.text.strip()
            if not url.startswith(RAW):
                fail("%s is not a raw URL of the repository's main branch" % url)
                continue
            path = os.path.join(root_dir, url[len(RAW):])
            if not os.path.isfile(path):
                fail("%s: %s is not in the repository" % (url, url[len(RAW):]))
                continue
            size = png_size(path)
            if size is None:
                fail("%s is not a PNG" % path)
                continue
            if os.path.getsize(path) > MAX_BYTES:
                fail("%s is larger than %d bytes" % (path, MAX_BYTES))
            if (image.get("width"), image.get("height")) != tuple(str(v) for v in size):
                fail("%s is %dx%d, the metainfo says %sx%s" % (path, size[0], size[1],
                                                              image.get("width"),
                                                              image.get("height")))
        captions = untranslated(shot.findall("caption"))
        if not captions:
            fail("a screenshot without a caption")
        for caption in captions:
            translated(shot, "caption", caption.text)

    releases = component.findall("releases/release")
    if not releases:
        fail("no releases")
    else:
        if releases[0].get("version") != version:
            fail("the newest release is %s, the project is %s" % (releases[0].get("version"),
                                                                 version))
        dates = [r.get("date", "") for r in releases]
        if dates != sorted(dates, reverse=True):
            fail("releases are not newest first")
        for release in releases:
            description = release.find("description")
            if description is None:
                fail("release %s has no notes" % release.get("version"))
                continue
            for parent in [description] + description.findall("ul"):
                for tag in ("p", "li"):
                    for element in untranslated(parent.findall(tag)):
                        translated(parent, tag, element.text)

    rating = component.find("content_rating")
    if rating is None or not re.fullmatch(r"oars-1\.[01]", rating.get("type", "")):
        fail("no OARS content rating")

    with open(desktop, encoding="utf-8") as f:
        keys = {line.split("=", 1)[0] for line in f if "=" in line}
    for lang in LANGS:
        for key in ("GenericName", "Comment", "Keywords"):
            if "%s[%s]" % (key, lang) not in keys:
                fail("the desktop file has no %s[%s]" % (key, lang))

    if failures:
        print("%d problem(s)" % len(failures))
        return 1
    print("ok - %d screenshots, %d releases, content rating, pl/ru translations"
          % (len(shots), len(releases)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
