from vigstudio.cli import main

raise SystemExit(main())
