from bioact.cli import main

raise SystemExit(main())
