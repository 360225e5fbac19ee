from __future__ import annotations

from policygen.doors.cli import main

raise SystemExit(main())
