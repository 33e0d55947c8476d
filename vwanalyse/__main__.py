from vwanalyse.cli import main

raise SystemExit(main())
