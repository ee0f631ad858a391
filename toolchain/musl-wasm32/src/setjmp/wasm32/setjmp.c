/* setjmp and _setjmp are the runtime's import (bits/setjmp.h): nothing to define here. */
