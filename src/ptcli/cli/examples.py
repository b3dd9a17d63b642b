"""One or two examples for each command's --help, in one place (a test runs each one)."""

# Command path -> example lines ("command  # what it does" is not used: click rewraps it).
EXAMPLES: dict[str, tuple[str, ...]] = {
    "init": ('ptcli init --name "Sam Patient" --side left', "ptcli init --pool"),
    "profile": ("ptcli profile", "ptcli profile --json"),
    "today": ("ptcli today", "ptcli today --explain"),
    "routine": (
        "ptcli routine --format html --output routine.html",
        "ptcli routine --pain 6 --where calf --format markdown",
    ),
    "history": ("ptcli history", "ptcli history --since -7d --json"),
    "progress": ("ptcli progress", "ptcli progress --since -8w --json"),
    "report": (
        "ptcli report --format pdf --output report.pdf",
        "ptcli report --format markdown --since 2026-11-01",
    ),
    "export": (
        "ptcli export --output backup.json",
        "ptcli export --format csv --table pain --since -30d",
    ),
    "import": ("ptcli import backup.json",),
    "push": (
        "ptcli push https://fhir.example.org/fhir --dry-run",
        "ptcli push https://fhir.example.org/fhir --since last --dry-run",
    ),
    "appointment add": (
        "ptcli appointment add 'friday 10:30' --kind massage --with Anna --place 'Riverside Clinic'",
        "ptcli appointment add 'tomorrow 18:00' --kind online --link https://meet.example.org/x",
        "ptcli appointment add 'yesterday 17:00' --kind hydrotherapy-class --with Jo",
    ),
    "appointment list": ("ptcli appointment list", "ptcli appointment list --all --json"),
    "appointment done": ("ptcli appointment done last --note 'less tingling after'",),
    "appointment cancel": ("ptcli appointment cancel next",),
    "learn": ("ptcli learn", "ptcli learn 3", "ptcli learn pool"),
    "pain log": ("ptcli pain log 4 --where thigh", "ptcli pain log 3 --at 'yesterday 08:00'"),
    "pain list": ("ptcli pain list", "ptcli pain list --since -7d --json"),
    "session log": (
        "ptcli session log prone-lying --pain-after 2 --where-after buttock",
        "ptcli session log walking --minutes 20 --pain-after 3",
        "ptcli session log --routine --pain-after 2",
    ),
    "session start": ("ptcli session start", "ptcli session start prone-lying bird-dog"),
    "screen": ("ptcli screen", "ptcli screen --yes fever --no-others"),
    "flag list": ("ptcli flag list", "ptcli flag list --all"),
    "flag clear": ('ptcli flag clear fever --note "seen by GP, no infection"',),
    "plan set": (
        "ptcli plan set bird-dog --sets 2 --reps 8",
        "ptcli plan set walking --minutes 20",
    ),
    "plan drop": ("ptcli plan drop bird-dog",),
    "plan show": ("ptcli plan show",),
    "plan clear": ("ptcli plan clear",),
    "plan history": ("ptcli plan history",),
    "catalogue list": ("ptcli catalogue list",),
    "catalogue show": ("ptcli catalogue show prone-lying",),
    "catalogue check": ("ptcli catalogue check my-exercises.yaml",),
    "pain edit": ("ptcli pain edit last --score 2 --note 'typed 9 for 2'",),
    "session edit": ("ptcli session edit last --note 'felt easier'",),
    "delete": ("ptcli delete last --reason 'logged twice'",),
    "undo": ("ptcli undo --list", "ptcli undo --yes"),
    "assess": (
        "ptcli assess --record --baseline 6,thigh,25,a-little "
        "--set extension-standing:4,buttock,better",
        "ptcli assess list --json",
    ),
    "db check": ("ptcli db check",),
    "db backups": ("ptcli db backups",),
    "db restore": ("ptcli db restore ptcli.json.bak --yes",),
    "measure psfs": (
        "ptcli measure psfs --activity walking --activity sitting --activity bending "
        "--answers 4,6,3",
        "ptcli measure psfs --answers 5,6,4",
    ),
    "measure peg": ("ptcli measure peg --answers 6,5,7",),
    "measure odi": ("ptcli measure odi --scores 2,3,1,2,-,3,2,1,0,2",),
    "measure rmdq": ("ptcli measure rmdq --items 1,4,7,12",),
    "measure list": ("ptcli measure list", "ptcli measure list odi --json"),
    "patients": ("ptcli patients", "ptcli patients . --json"),
}


def epilog(path: str) -> str | None:
    """The examples of ``path`` ('pain log') as a help epilog, lines kept as they are."""
    lines = EXAMPLES.get(path)
    if not lines:
        return None
    word = "Example" if len(lines) == 1 else "Examples"
    return "\b\n" + f"{word}:\n" + "\n".join(f"  {line}" for line in lines)
