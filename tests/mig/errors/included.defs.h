/* included.defs.h - the error is on line 3 of this file. */

type bad = array[0] of int;
