#!/bin/sh
# SPDX-License-Identifier: MIT
# mandoc-lint.sh PAGE - lint one man page with mandoc at warning level.
# Exit 0 when clean, non-zero with mandoc's messages otherwise, 77 (skipped)
# when mandoc is not installed.
if ! command -v mandoc >/dev/null 2>&1; then
	echo "mandoc is not installed: skipped"
	exit 77
fi
mandoc -T lint -W warning "$1"
