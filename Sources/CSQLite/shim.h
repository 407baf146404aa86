// The system's SQLite (Debian's libsqlite3-dev): the cook history's storage engine.
#include <sqlite3.h>
