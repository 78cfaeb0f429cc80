// libfcgi's re-entrant API (Debian: libfcgi-dev). Only the FCGX_* calls are used; the stdio
// shims of fcgi_stdio.h would redefine printf and friends for the whole program.
#include <fcgiapp.h>
