# SPDX-License-Identifier: GPL-3.0-or-later
"""The accessibility tree of Dunning Desk, read as a screen reader reads it (AT-SPI).

Started by check-accessibility.sh inside its own X server and session bus:

    check-accessibility.py APP OFFICE.db

Starts the accessibility bus, then the app on a demo office, and checks through AT-SPI that
  - every button, toggle, check box, entry, spin button and combo box of the main window, the
    campaign wizard, the import assistant and Preferences has a name (icon-only buttons too);
  - the sidebar's sections are a named list whose rows have names, and that the keyboard alone
    (arrow keys and Enter, sent as real key presses) reaches and opens every section;
  - the inputs of the wizard's and the import assistant's pages have labels;
  - the call flow canvas has its nodes and their exits as named children, placed where they
    are drawn, and Tab on it selects one node after another (the node says it is selected);
  - a report's chart is an image named after what it shows and described by its bars.
Prints TAP.
"""

import os
import re
import subprocess
import sys
import time

import pyatspi

CONTROL_ROLES = {
    pyatspi.ROLE_PUSH_BUTTON: "button",
    pyatspi.ROLE_TOGGLE_BUTTON: "toggle button",
    pyatspi.ROLE_CHECK_BOX: "check box",
    pyatspi.ROLE_RADIO_BUTTON: "radio button",
    pyatspi.ROLE_ENTRY: "entry",
    pyatspi.ROLE_PASSWORD_TEXT: "password entry",
    pyatspi.ROLE_SPIN_BUTTON: "spin button",
    pyatspi.ROLE_COMBO_BOX: "combo box",
    pyatspi.ROLE_SLIDER: "slider",
}
INPUT_ROLES = {pyatspi.ROLE_ENTRY, pyatspi.ROLE_PASSWORD_TEXT, pyatspi.ROLE_SPIN_BUTTON,
               pyatspi.ROLE_COMBO_BOX, pyatspi.ROLE_CHECK_BOX}
SECTIONS = ["Cases", "Campaigns", "Payments", "Ladder", "Call Flows", "Agent Console", "Reports"]

results = []


def ok(passed, description, details=()):
    results.append((passed, description, list(details)))


def wait_for(predicate, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except Exception:  # the tree changes under us: try again
            value = None
        if value:
            return value
        time.sleep(0.2)
    raise TimeoutError("timed out waiting for " + what)


def children(node):
    try:
        return [node.getChildAtIndex(i) for i in range(node.childCount)]
    except Exception:
        return []


def walk(node, depth=0):
    if node is None or depth > 60:
        return
    yield node
    for child in children(node):
        yield from walk(child, depth + 1)


def states(node):
    try:
        return node.getState()
    except Exception:
        return None


def showing(node):
    # GTK 4.8 sets "visible" on visible widgets, never "showing"
    s = states(node)
    return s is not None and s.contains(pyatspi.STATE_VISIBLE)


# Without a name of its own GTK 4.8 names a node after its type ("GtkImage" for an icon-only
# button, "GtkSearchEntry"): for a person that is no name.
TYPE_NAME = re.compile(r"^(Gtk|Adw|Dd)[A-Z][A-Za-z]*$")


def has_name(node):
    name = (node.name or "").strip()
    return name != "" and TYPE_NAME.match(name) is None


def describe(node):
    """The node and its ancestors up to the window, to find the widget in the .ui files."""
    parts = []
    while node is not None and len(parts) < 8:
        try:
            description = node.description
            parts.append("%s '%s'%s" % (node.getRoleName(), node.name,
                                         " (%s)" % description if description else ""))
            if node.getRole() == pyatspi.ROLE_FRAME:
                break
            node = node.parent
        except Exception:
            break
    return " < ".join(parts)


def labelled(node):
    """An accessible name, or a label relation (GtkLabel:mnemonic-widget, labelled-by)."""
    if has_name(node):
        return True
    try:
        for relation in node.getRelationSet():
            if relation.getRelationType() == pyatspi.RELATION_LABELLED_BY:
                if any(has_name(relation.getTarget(i)) for i in range(relation.getNTargets())):
                    return True
    except Exception:
        pass
    return False


checked = []


def part_of_named_control(node):
    """The button inside a named drop-down or menu button: read as part of it."""
    try:
        parent = node.parent
        return parent is not None and parent.getRole() in CONTROL_ROLES and has_name(parent)
    except Exception:
        return False


def unnamed_controls(window, only_showing):
    missing = []
    for node in walk(window):
        try:
            role = node.getRole()
        except Exception:
            continue
        if role not in CONTROL_ROLES:
            continue
        if only_showing and not showing(node):
            continue
        checked.append(node)
        if labelled(node) or part_of_named_control(node):
            continue
        missing.append(CONTROL_ROLES[role] + ": " + describe(node))
    return missing


def find_app():
    desktop = pyatspi.Registry.getDesktop(0)
    for app in children(desktop):
        if app is not None and app.name in ("dunning-desk", "Dunning Desk"):
            frames = [c for c in children(app) if c.getRole() == pyatspi.ROLE_FRAME]
            if frames:
                return app
    return None


def frames(app):
    return [c for c in children(app) if c is not None and c.getRole() == pyatspi.ROLE_FRAME]


def frame_named(app, name):
    for f in frames(app):
        if f.name == name:
            return f
    return None


def xdotool(*args):
    subprocess.run(["xdotool"] + list(args), check=True, timeout=20)


def focused(window):
    for node in walk(window):
        s = states(node)
        if s is not None and s.contains(pyatspi.STATE_FOCUSED):
            return node
    return None


def do_action(node, names=("click", "activate", "press")):
    action = node.queryAction()
    for i in range(action.nActions):
        if action.getName(i) in names:
            return action.doAction(i)
    if action.nActions:
        return action.doAction(0)
    return False


def find(window, role, name):
    """The first node of @role whose name is @name (mnemonic underlines aside)."""
    for node in walk(window):
        try:
            if node.getRole() == role and name in (node.name or "").replace("_", "") \
               and showing(node):
                return node
        except Exception:
            continue
    return None


def check_window(app, title, what):
    window = wait_for(lambda: frame_named(app, title), 30, "the window “%s”" % title)
    time.sleep(1.0)
    missing = unnamed_controls(window, only_showing=False)
    ok(not missing, "every control of %s has a name" % what, missing)
    return window


def focus_sidebar(main_window):
    """Shift+Tab until a section of the sidebar has the focus."""
    sidebar = find(main_window, pyatspi.ROLE_LIST, "Sections")
    xdotool("search", "--sync", "--onlyvisible", "--name", main_window.name,
            "windowfocus", "--sync")
    for _ in range(60):
        node = focused(main_window)
        if node is not None and node.getRole() == pyatspi.ROLE_LIST_ITEM \
           and node.parent == sidebar:
            return True
        xdotool("key", "shift+Tab")
        time.sleep(0.15)
    return False


def open_section(main_window, section):
    """Opens @section with the keyboard, from the sidebar."""
    focus_sidebar(main_window)
    xdotool("key", "Home", *(["Down"] * SECTIONS.index(section)), "Return")
    wait_for(lambda: main_window.name == section, 10, section)
    time.sleep(1.0)


def click(window, node):
    """A real click near the top middle of @node (GTK 4 gives window coordinates only)."""
    e = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    xdotool("search", "--sync", "--onlyvisible", "--name", window.name,
            "mousemove", "--window", "%1", str(e.x + e.width // 2), str(e.y + 8), "click", "1")


def check_call_flow(main_window):
    """The call flow canvas: its nodes and their exits are named children, placed where they
    are drawn, and the keyboard (Tab) selects them one by one."""
    open_section(main_window, "Call Flows")
    canvas = wait_for(lambda: find(main_window, pyatspi.ROLE_PANEL, "Call flow"), 10,
                      "the call flow canvas")
    nodes = [n for n in children(canvas) if n is not None]
    ports = [p for n in nodes for p in children(n) if p is not None]
    ok(len(nodes) >= 3, "the call flow's nodes are children of its canvas",
       ["%d nodes: %r" % (len(nodes), [n.name for n in nodes])])
    ok(all(has_name(n) and (n.description or "") != "" for n in nodes),
       "every node is named after its type and name and described by what it does",
       [describe(n) for n in nodes if not has_name(n) or not n.description])
    ok(ports and all(p.getRole() == pyatspi.ROLE_PUSH_BUTTON and has_name(p)
                     and p.name.startswith("Exit") for p in ports),
       "every exit of a node is a button named after it and where it leads",
       [describe(p) for p in ports if not has_name(p)])
    ok(any("where the call starts" in n.name for n in nodes),
       "the node where the call starts says so", [n.name for n in nodes])
    connected = [p.name for p in ports if ", to " in p.name]
    ok(len(connected) >= 2, "the connected exits name the node they lead to", connected)
    # placed where they are drawn: inside the canvas, each exit inside its card's width
    try:
        box = canvas.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        inside = []
        for n in nodes:
            e = n.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
            inside.append(e.width > 20 and e.height > 10
                          and e.x + e.width > box.x and e.x < box.x + box.width)
        ok(all(inside), "the nodes are placed on the canvas where their cards are drawn",
           ["canvas %r" % ((box.x, box.y, box.width, box.height),)])
    except Exception as error:
        ok(False, "the nodes are placed on the canvas where their cards are drawn",
           [repr(error)])
    # the keyboard: the canvas takes the focus (a click on its top edge, where no card is),
    # Tab selects a node, then the next
    click(main_window, canvas)
    time.sleep(0.5)
    ok(states(canvas).contains(pyatspi.STATE_FOCUSED), "the canvas takes the keyboard focus",
       [describe(focused(main_window) or canvas)])
    picked = []
    for _ in range(2):
        xdotool("key", "Tab")
        time.sleep(0.5)
        selected = [n.name for n in children(canvas)
                    if n is not None and states(n).contains(pyatspi.STATE_SELECTED)]
        picked.append(selected[0] if len(selected) == 1 else repr(selected))
    ok(len(picked) == 2 and picked[0] != picked[1]
       and all(name in [n.name for n in nodes] for name in picked),
       "Tab on the canvas selects one node after another, and the node says it is selected",
       picked)


def report_charts(main_window):
    return [n for n in walk(main_window)
            if n.getRole() == pyatspi.ROLE_IMAGE and (n.name or "").startswith("Chart of")
            and showing(n)]


def check_report_charts(main_window):
    """The report charts: images named after what they show, described by their bars. The
    demo office has no campaigns: the ageing report (the fourth) has bars."""
    open_section(main_window, "Reports")
    combos = [n for n in walk(main_window)
              if n.getRole() == pyatspi.ROLE_COMBO_BOX and showing(n)]
    report = [c for c in combos if "Campaign results" in (c.name or "")
              or "Report" in (c.name or "")]
    if report:
        click(main_window, report[0])
        time.sleep(0.8)
        xdotool("key", "Down", "Down", "Down", "Return")
        time.sleep(1.5)
    charts = report_charts(main_window)
    ok(len(charts) >= 1, "a report's chart is an image named after what it shows",
       [c.name for c in charts] + ["combo boxes: %r" % [c.name for c in combos]])
    described = [c.description for c in charts if c.description and ": " in c.description]
    ok(charts and len(described) == len(charts),
       "a report's chart is described by its bars (each label with its value)", described)


def main():
    app_path, database = sys.argv[1], sys.argv[2]

    # what they print is not TAP: to stderr
    launcher = subprocess.Popen(["/usr/libexec/at-spi-bus-launcher", "--launch-immediately"],
                                stdout=sys.stderr)
    time.sleep(1.5)
    env = dict(os.environ)
    if env.get("DD_APP_G_DEBUG"):
        env["G_DEBUG"] = env["DD_APP_G_DEBUG"]
    app_process = subprocess.Popen([app_path, "--database", database], stdout=sys.stderr, env=env)
    try:
        run(app_path)
    except Exception as error:  # report what went wrong as a failure, not a traceback only
        ok(False, "the accessibility tree could be read to the end", [repr(error)])
    finally:
        app_process.terminate()
        try:
            app_process.wait(10)
        except subprocess.TimeoutExpired:
            app_process.kill()
        launcher.terminate()
        launcher.wait(10)

    print("# %d controls checked" % len(checked))
    print("1..%d" % len(results))
    failed = 0
    for i, (passed, description, details) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if passed else "not ok", i, description))
        for line in details:
            print("#   " + line)
        failed += not passed
    return 1 if failed else 0


def run(app_path):
    app = wait_for(find_app, 60, "Dunning Desk on the accessibility bus")
    main_window = wait_for(lambda: frames(app)[0], 10, "the main window")
    time.sleep(2.0)

    # the sidebar: a named list of named, focusable rows
    sidebar = find(main_window, pyatspi.ROLE_LIST, "Sections")
    ok(sidebar is not None, "the sidebar is a list named “Sections”")
    if sidebar is None:
        return
    rows = [r for r in children(sidebar) if r is not None]
    names = [r.name for r in rows]
    ok(names == SECTIONS, "the sidebar's rows are named after the sections", ["got %r" % names])
    ok(all(states(r).contains(pyatspi.STATE_FOCUSABLE) for r in rows),
       "every section of the sidebar can take the keyboard focus")

    # the keyboard alone: Shift+Tab (the sidebar comes before the content) until a row has the
    # focus, then Down and Enter through them all
    xdotool("search", "--sync", "--onlyvisible", "--name", main_window.name,
            "windowfocus", "--sync")
    visited = []
    for _ in range(40):
        node = focused(main_window)
        visited.append(describe(node) if node is not None else "(nothing)")
        if node is not None and node.getRole() == pyatspi.ROLE_LIST_ITEM and node.parent == sidebar:
            break
        xdotool("key", "shift+Tab")
        time.sleep(0.15)
    node = focused(main_window)
    reached = node is not None and node.getRole() == pyatspi.ROLE_LIST_ITEM
    ok(reached, "Shift+Tab reaches the sidebar's sections", visited)
    if reached:
        xdotool("key", "Home", "Return")
        opened = []
        for i, section in enumerate(SECTIONS):
            if i > 0:
                xdotool("key", "Down", "Return")
            try:
                wait_for(lambda: main_window.name == section or main_window.name.endswith("cases")
                         and section == "Cases", 5, section)
                opened.append(section)
            except TimeoutError:
                pass
        ok(opened == SECTIONS, "Down and Enter open every section in turn",
           ["opened %r" % opened, "title now %r" % main_window.name])
        # every section has been shown: their controls are all in the tree now
        missing = unnamed_controls(main_window, only_showing=True)
        ok(not missing, "every control of every section has a name", missing)

    check_call_flow(main_window)
    check_report_charts(main_window)

    # the campaign wizard, opened from the Campaigns section's button
    open_section(main_window, "Campaigns")
    new_campaign = wait_for(lambda: find(main_window, pyatspi.ROLE_PUSH_BUTTON, "New Campaign"),
                            10, "the New Campaign button")
    do_action(new_campaign)
    wizard = check_window(app, "New Campaign", "the campaign wizard")
    inputs = [n for n in walk(wizard) if n.getRole() in INPUT_ROLES]
    ok(len(inputs) >= 5, "the wizard's pages have inputs", ["%d inputs" % len(inputs)])
    xdotool("key", "Escape")
    wait_for(lambda: frame_named(app, "New Campaign") is None, 10, "the wizard to close")

    # the import assistant: Ctrl+I
    xdotool("search", "--sync", "--onlyvisible", "--name", main_window.name,
            "windowfocus", "--sync")
    xdotool("key", "ctrl+i")
    assistant = check_window(app, "Import Overdue Invoices", "the import assistant")
    inputs = [n for n in walk(assistant) if n.getRole() in INPUT_ROLES]
    ok(len(inputs) >= 4, "the import assistant's pages have inputs", ["%d inputs" % len(inputs)])
    xdotool("key", "Escape")
    wait_for(lambda: frame_named(app, "Import Overdue Invoices") is None, 10,
             "the assistant to close")

    # Preferences: Ctrl+comma
    before = len(frames(app))
    xdotool("search", "--sync", "--onlyvisible", "--name", main_window.name,
            "windowfocus", "--sync")
    xdotool("key", "ctrl+comma")
    wait_for(lambda: len(frames(app)) > before, 30, "Preferences")
    time.sleep(1.0)
    for window in frames(app):
        if window.name != main_window.name:
            missing = unnamed_controls(window, only_showing=False)
            ok(not missing, "every control of Preferences has a name", missing)


if __name__ == "__main__":
    sys.exit(main())
