#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# grow_under_shrink.sh - regression: one pzone's slow shrink stalled every
# other pzone's grow.  A single pzone_mutex was held across the migration
# of a shrink, so a grow of pzone A (the one pzoned sends in answer to an
# OOM event) waited for all of pzone B's shrink.
#
# Times a 4 MiB grow of A with B idle, then while B shrinks by about
# 512 MiB, most of it by migrating pages (B holds 1 GiB with every 2nd
# page kept).  Prints the medians and their ratio.  Fails if a grow does
# not finish while B is still shrinking (the old behaviour: it waited for
# the whole shrink, seconds), or takes more than GROW_RATIO_MAX (default
# 10) times the idle median: a sanity bound above the noise of TCG on a
# loaded host, far below the old behaviour.

if [ -f "$(dirname "$0")/pzone_lib.sh" ]; then
	. "$(dirname "$0")/pzone_lib.sh"
else
	cd /usr/lib/pzone/selftests || exit 4
	. ./pzone_lib.sh
fi

A=kst_ga
B=kst_gb
REPS=${GROW_REPS:-5}
ROUNDS=${GROW_ROUNDS:-3}
RATIO_MAX=${GROW_RATIO_MAX:-10}

# grow_a: grow A by one block and back; prints the guest ns of the grow.
grow_a()
{
	_ga_size=$(pzone_attr "$A" size_bytes)
	resize_timing --file "$PZ_SYSFS/$A/size_bytes" --to $((_ga_size + PZ_BLOCK)) \
		>"$PZ_TMP/ga" 2>&1 || { cat "$PZ_TMP/ga" >&2; return 1; }
	echo "$_ga_size" >"$PZ_SYSFS/$A/size_bytes" || return 1
	sed -n 's/^ns //p' "$PZ_TMP/ga"
}

median()
{
	sort -n | awk '{ v[NR] = $1 } END { print (NR ? v[int((NR + 1) / 2)] : 0) }'
}

ktap_header
pz_require
pzone_exists "$A" && ktap_skip_all "pzone $A exists"
pzone_exists "$B" && ktap_skip_all "pzone $B exists"
ktap_plan 4
kmsg_mark

pz_create_checked "$A" "$PZ_BASE" 64M
pz_create_checked "$B" "$PZ_BASE" 1200M

: >"$PZ_TMP/idle"
i=0
while [ $i -lt "$REPS" ]; do
	grow_a >>"$PZ_TMP/idle" || ktap_exit_fail_msg "grow of $A failed (B idle)"
	i=$((i + 1))
done
idle=$(median <"$PZ_TMP/idle")

: >"$PZ_TMP/busy"
r=0
during=0
tries=0
while [ $r -lt "$ROUNDS" ] && [ $tries -lt $((ROUNDS * 3)) ]; do
	tries=$((tries + 1))
	pz_bg "$PZ_TMP/b" pzonectl exec "$B" -- resize_timing \
		--file "$PZ_SYSFS/$B/size_bytes" --to 600M --hold 1024 --keep-every 2
	BP=$PZ_LAST_PID
	# wait (bounded) until B's shrink runs
	n=0
	while [ "$(pzone_attr "$B" state)" != resizing ] && kill -0 "$BP" 2>/dev/null &&
	      [ $n -lt 600 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	t=""
	if [ "$(pzone_attr "$B" state)" = resizing ]; then
		t=$(grow_a) || ktap_exit_fail_msg "grow of $A failed (B shrinking)"
		if [ "$(pzone_attr "$B" state)" = resizing ]; then
			during=$((during + 1))
		else
			ktap_diag "round $tries: A's grow ended after B's shrink"
		fi
	else
		ktap_diag "round $tries: B's shrink never ran; repeated"
	fi
	pz_reap "$BP"
	ktap_diag "round $tries: B: $(grep -E '^(ns|migrated_pages|error) ' "$PZ_TMP/b" | tr '\n' ' ')"
	if ! grep -q '^migrated_pages [1-9]' "$PZ_TMP/b"; then
		ktap_diag "round $tries: B's shrink migrated nothing; repeated"
		t=""
	fi
	echo 1200M >"$PZ_SYSFS/$B/size_bytes" ||
		ktap_exit_fail_msg "cannot grow $B back: $(pzone_attr "$B" last_error)"
	[ -n "$t" ] && { echo "$t" >>"$PZ_TMP/busy"; r=$((r + 1)); }
done
busy=$(median <"$PZ_TMP/busy")
ktap_diag "grow of $A by 4 MiB: idle median $((idle / 1000)) us ($(tr '\n' ' ' <"$PZ_TMP/idle")ns)"
ktap_diag "grow of $A by 4 MiB: under B's shrink median $((busy / 1000)) us ($(tr '\n' ' ' <"$PZ_TMP/busy")ns)"
ratio=$(awk -v b="$busy" -v i="$idle" 'BEGIN { printf "%.2f", i ? b / i : 0 }')
echo "grow_under_shrink_over_idle $ratio"
ktap_check "in $during of $r rounds A's grow ended while B still shrank" \
	[ "$r" -eq "$ROUNDS" -a "$during" -eq "$r" ]
ktap_check "A's grow under B's shrink within ${RATIO_MAX}x of idle (ratio $ratio)" \
	awk -v r="$ratio" -v m="$RATIO_MAX" 'BEGIN { exit !(r > 0 && r <= m) }'
pz_destroy "$B" >/dev/null
pz_destroy "$A" >/dev/null
ktap_check "both destroyed" [ "$PZ_RC" -eq 0 ]
check_dmesg_clean
ktap_finish
