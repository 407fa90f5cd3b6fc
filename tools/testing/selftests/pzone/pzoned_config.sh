#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# pzoned_config.sh - pzoned refuses a bad config with line numbers and
# applies nothing; a guarantee sum larger than the base node can promise is
# refused with a clear message; a good config passes --check.  (The parser
# itself is tested on the host: tests/tools/test_pzoned.sh.)

if [ -f "$(dirname "$0")/pzone_lib.sh" ]; then
	. "$(dirname "$0")/pzone_lib.sh"
else
	cd /usr/lib/pzone/selftests || exit 4
	. ./pzone_lib.sh
fi

ktap_header
pz_require
command -v pzoned >/dev/null 2>&1 || ktap_skip_all "pzoned not installed"
ktap_plan 8

snap0=$(pz_snapshot)
C=$PZ_TMP/c.conf

printf '# good\nkst_c1 %s 64M 256M 10 0\n\nkst_c2 %s 64M 256M 10 8M\n' "$PZ_BASE" "$PZ_BASE" >"$C"
pz_run pzoned --check "$C"
ktap_check "--check accepts a good config" [ "$PZ_RC" -eq 0 ]

printf 'kst_c1 %s 64M 256M 10 0\nkst_c2 %s 64X 256M 10 0\nkst_c1 %s 64M 256M 10 0\nkst_c3 %s 512M 256M 10 0\n' \
	"$PZ_BASE" "$PZ_BASE" "$PZ_BASE" "$PZ_BASE" >"$C"
pz_run timeout 10 pzoned --json-log "$C"
sed 's/^/#   /' "$PZ_ERR"
ktap_check "pzoned refuses a bad config (exit $PZ_RC)" [ "$PZ_RC" -eq 1 ]
grep -q "^pzoned: $C:2: GUARANTEE '64X': not a size" "$PZ_ERR" &&
	grep -q "^pzoned: $C:3: pzone 'kst_c1' already defined on line 1" "$PZ_ERR" &&
	grep -q "^pzoned: $C:4: LIMIT 256M is smaller than GUARANTEE 512M" "$PZ_ERR"
ktap_result "each bad line reported as 'pzoned: CONFIG:LINE: why'"
ktap_check "nothing applied: no pzone created" [ "$(pz_snapshot)" = "$snap0" ]

total_mib=$(($(node_memtotal_kb "$PZ_BASE") / 1024))
printf 'kst_c1 %s %sM %sM 10 0\n' "$PZ_BASE" "$total_mib" "$total_mib" >"$C"
pz_run timeout 10 pzoned "$C"
sed 's/^/#   /' "$PZ_ERR"
ktap_check "a guarantee of the whole base node is refused (exit $PZ_RC)" [ "$PZ_RC" -eq 1 ]
ktap_check "the message explains the margin" \
	grep -q "^pzoned: $C:1: base node $PZ_BASE: guarantees plus standby add up to .* more than the .* it can promise (.* minus a safety margin of .*)" "$PZ_ERR"
ktap_check "nothing applied" [ "$(pz_snapshot)" = "$snap0" ]

pz_run pzoned --check /nonexistent.conf
ktap_check "--check of a missing file fails (exit $PZ_RC)" [ "$PZ_RC" -eq 1 ]
ktap_finish
