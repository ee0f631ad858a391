/* sigsetjmp is the runtime's import (bits/setjmp.h): nothing to define here. */
