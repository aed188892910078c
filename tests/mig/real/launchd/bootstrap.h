/* bootstrap.h - stand-in for launchd's header: the bootstrap API. */
#include <servers/bootstrap.h>
