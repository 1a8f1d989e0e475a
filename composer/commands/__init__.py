"""The command line's subcommands.  Each module has ``configure(parser)`` and ``run(args) -> int``;
they import what they need inside ``run`` so ``composer --help`` stays instant."""

#: subcommand name -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "preview": ("composer.commands.preview", "show what each network will receive, and every problem"),
    "publish": ("composer.commands.publish", "validate and publish a draft"),
    "sandbox": ("composer.commands.sandbox", "run the built-in sandbox server"),
    "profile": ("composer.commands.profile", "list, add, edit, remove and test credential profiles"),
    "history": ("composer.commands.history", "list past publish attempts"),
    "screenshot": ("composer.commands.screenshot", "render the window with a draft to a PNG file"),
}
