/* SPDX-License-Identifier: MIT */
/* data.h - the test data files (tests/data, $BOOTSTRAPD_TEST_DATA). */
#ifndef BOOTSTRAPD_TEST_DATA_H
#define BOOTSTRAPD_TEST_DATA_H

/** data_path() - the path of @name in the test data, to free(); fails the test if unset. */
char *data_path(const char *name);

#endif
