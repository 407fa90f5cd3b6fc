#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the host-side pzonectl and pzoned tests (no guest, no root needed).
# `make -C tools/pzonectl test` sets PZONECTL, PZONED, TEST_LIBPZONE,
# TEST_OCI_HOOK, TEST_PZONED_POLICY, TEST_OPTS and TEST_TOP; run
# standalone, this script builds them into a temporary directory.
DIR=$(cd "$(dirname "$0")" && pwd)
SRC=$DIR/../../tools/pzonectl

if [ -z "$PZONECTL" ] || [ -z "$PZONED" ] || [ -z "$TEST_LIBPZONE" ] || [ -z "$TEST_OCI_HOOK" ] ||
   [ -z "$TEST_PZONED_POLICY" ] || [ -z "$TEST_OPTS" ] || [ -z "$TEST_TOP" ]; then
	OUT=$(mktemp -d "${TMPDIR:-/tmp}/pzonectl-build.XXXXXX") || exit 1
	trap 'rm -rf "$OUT"' EXIT
	make -s -C "$SRC" OUTPUT="$OUT" "$OUT/pzonectl" "$OUT/pzoned" "$OUT/test_libpzone" "$OUT/test_oci_hook" \
		"$OUT/test_pzoned_policy" "$OUT/test_opts" "$OUT/test_top" >&2 || exit 1
	PZONECTL=$OUT/pzonectl
	PZONED=$OUT/pzoned
	TEST_LIBPZONE=$OUT/test_libpzone
	TEST_OCI_HOOK=$OUT/test_oci_hook
	TEST_PZONED_POLICY=$OUT/test_pzoned_policy
	TEST_OPTS=$OUT/test_opts
	TEST_TOP=$OUT/test_top
fi
export PZONECTL PZONED

ret=0
echo "# test_libpzone"
"$TEST_LIBPZONE" || ret=1
echo "# test_oci_hook"
"$TEST_OCI_HOOK" || ret=1
echo "# test_opts"
"$TEST_OPTS" || ret=1
echo "# test_top"
"$TEST_TOP" || ret=1
echo "# test_pzoned_policy"
"$TEST_PZONED_POLICY" || ret=1
echo "# test_pzonectl.sh"
"$DIR/test_pzonectl.sh" || ret=1
echo "# test_pzoned.sh"
"$DIR/test_pzoned.sh" || ret=1
[ "$ret" = 0 ] && echo "# all host tests passed" || echo "# FAILED"
exit $ret
