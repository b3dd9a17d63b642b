from ptcli.cli import run

run()
