"""ทะเบียนหนังสือส่ง: the outgoing-letter register wired to docgen's renderer.

* ``keys``    — pure rules: series names, B.E. register year (calendar / fiscal), NUMBER parsing.
* ``store``   — SQLAlchemy Core schema, migrations and atomic number allocation.
* ``service`` — ``issue`` (allocate → render → record), reserve, cancel, list.
* ``export``  — CSV, XLSX and the printed register (PDF).
* ``cli``     — ``docgen issue`` and ``docgen register …``.

See docs/register.md.
"""
