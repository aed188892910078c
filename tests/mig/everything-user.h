/* everything-user.h - imported by the user side only (uimport). */
#define EVERYTHING_USER_IMPORTED 1
