from ptcli.cli import main

raise SystemExit(main())
