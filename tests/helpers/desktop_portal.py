"""A stand-in for the desktop's settings portal (``org.freedesktop.portal.Settings`` on the session
bus), answering only the colour scheme: ``python tests/helpers/desktop_portal.py 1`` says "prefer dark",
``2`` "prefer light", ``0`` "no preference".  Prints ``ready`` once it owns its bus name, then
``asked <method>`` for each question, and serves until it is killed.

The real portal (xdg-desktop-portal and a desktop's back end) needs a whole desktop session; Qt
asks it over D-Bus with the portal's documented methods, which is all this answers.  Run inside
a private bus (``dbus-run-session``) only.
"""

from __future__ import annotations

import sys

from jeepney import HeaderFields, MessageType, new_error, new_method_return
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection

NAME = "org.freedesktop.portal.Desktop"
SETTINGS = "org.freedesktop.portal.Settings"
APPEARANCE = "org.freedesktop.appearance"


def serve(scheme: int) -> None:
    value = ("u", scheme)
    with open_dbus_connection(bus="SESSION") as bus:
        if bus.send_and_get_reply(message_bus.RequestName(NAME, 4)).body != (1,):  # 4: do not queue; 1: now the owner
            raise SystemExit(f"{NAME} is taken on this bus")
        print("ready", flush=True)
        while True:
            call = bus.receive()
            if call.header.message_type != MessageType.method_call:
                continue
            interface, member = call.header.fields.get(HeaderFields.interface), call.header.fields.get(HeaderFields.member)
            print("asked", member, flush=True)
            if interface == SETTINGS and member == "ReadAll":
                bus.send(new_method_return(call, "a{sa{sv}}", ([(APPEARANCE, [("color-scheme", value)])],)))
            elif interface == SETTINGS and member == "ReadOne" and call.body == (APPEARANCE, "color-scheme"):
                bus.send(new_method_return(call, "v", (value,)))
            elif interface == SETTINGS and member == "Read" and call.body == (APPEARANCE, "color-scheme"):
                bus.send(new_method_return(call, "v", (("v", value),)))  # Read wraps the value once more
            else:
                bus.send(new_error(call, "org.freedesktop.portal.Error.NotFound", "s", (f"{interface}.{member}",)))


if __name__ == "__main__":
    serve(int(sys.argv[1]))
