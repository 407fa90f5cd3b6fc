#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# top.sh - pzonectl top in a real terminal.  Two pzones on node 1, one of
# them with a task holding 32 MiB of anonymous memory:
#   --once (COLUMNS=80): one line per pzone with its node, size and used
#          memory, one line per base node, every line within 80 columns;
#   live, in a 60x24 pseudo-terminal (util-linux script; narrower than
#          the 73 columns a frame has here, so lines must be cut): frames
#          start with cursor home and end their lines with clear-to-EOL,
#          the screen is cleared once only (no flicker), "q" quits within
#          a bound, and the terminal is restored (icanon and echo back on).

if [ -f "$(dirname "$0")/pzone_lib.sh" ]; then
	. "$(dirname "$0")/pzone_lib.sh"
else
	cd /usr/lib/pzone/selftests || exit 4
	. ./pzone_lib.sh
fi

A=kst_top1
B=kst_top2
MIB=1048576

ktap_header
pz_require
command -v script >/dev/null 2>&1 || ktap_skip_all "no script(1) (util-linux) in this system"
for n in $A $B; do
	pzone_exists "$n" && ktap_skip_all "pzone $n exists"
done
ktap_plan 10

pz_create $A 1 64M || ktap_exit_fail_msg "create $A"
pz_create $B 1 128M || ktap_exit_fail_msg "create $B"
na=$(cat "$PZ_SYSFS/$A/node")
nb=$(cat "$PZ_SYSFS/$B/node")
pz_bg "$PZ_TMP/touch.out" pzonectl exec $A -- pzone_touch --anon 32 --hold 0
toucher=$PZ_LAST_PID
pz_wait_ready "$PZ_TMP/touch.out" $toucher || ktap_exit_fail_msg "pzone_touch in $A not ready"

# ---- --once ----
COLUMNS=80 pzonectl top --once >"$PZ_TMP/once" 2>"$PZ_TMP/once.err"
rc=$?
sed 's/^/  | /' "$PZ_TMP/once" | while read -r l; do ktap_diag "$l"; done
[ "$rc" = 0 ] && grep -q '^NAME  *NODE  *SIZE  *USED  *FREE  *FILE  *ANON  *KSWAPD/s  *REFLT/s  *EVENTS$' "$PZ_TMP/once"
ktap_result "top --once: exit 0 and the header (rc $rc)"
# USED of A: at least the 32 MiB the task touched, as a K/M size
used=$(awk -v n=$A '$1 == n { print $4 }' "$PZ_TMP/once")
grep -qE "^$A +$na +64M " "$PZ_TMP/once" && case $used in *M) [ "${used%M}" -ge 32 ] 2>/dev/null || [ "${used%%.*}" -ge 32 ] ;; *) false ;; esac
ktap_result "top --once: $A on node $na, 64M, used $used >= 32M"
grep -qE "^$B +$nb +128M " "$PZ_TMP/once"
ktap_result "top --once: $B on node $nb, 128M"
grep -q '^base node 1: .* free of ' "$PZ_TMP/once" && ! grep -qE "^base node ($na|$nb):" "$PZ_TMP/once"
ktap_result "top --once: base node 1 listed, the pzones' nodes not"
w=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$PZ_TMP/once")
[ "$w" -le 80 ]
ktap_result "top --once: fits 80 columns (widest line $w)"

# ---- live, in a pseudo-terminal ----
mkfifo "$PZ_TMP/keys"
script -qfc "stty cols 60 rows 24; pzonectl top; echo; echo TOP-EXIT \$?; stty -a" \
	"$PZ_TMP/tty" <"$PZ_TMP/keys" >/dev/null 2>&1 &
sp=$!
exec 3>"$PZ_TMP/keys"
# two frames drawn (the second has rates), bounded
_i=0
while [ "$(grep -o 'pzonectl top ' "$PZ_TMP/tty" 2>/dev/null | wc -l)" -lt 2 ] && [ $_i -lt 300 ]; do
	sleep 0.1; _i=$((_i + 1))
done
printf q >&3
_i=0
while kill -0 $sp 2>/dev/null && [ $_i -lt 300 ]; do sleep 0.1; _i=$((_i + 1)); done
exec 3>&-
kill -0 $sp 2>/dev/null && { kill $sp; ktap_diag "script still running after q"; }
wait $sp 2>/dev/null
grep -q '^TOP-EXIT 0' "$PZ_TMP/tty"
ktap_result "live: q quits, exit 0"
frames=$(grep -o "$(printf '\033\\[H')pzonectl top" "$PZ_TMP/tty" | wc -l)
clears=$(grep -o "$(printf '\033\\[2J')" "$PZ_TMP/tty" | wc -l)
[ "$frames" -ge 2 ] && [ "$clears" = 1 ]
ktap_result "live: $frames frames from cursor home, $clears full clear (only the first)"
[ "$(grep -c "^$A .*$(printf '\033\\[K')" "$PZ_TMP/tty")" -ge 2 ]
ktap_result "live: the pzone's line ends with clear-to-EOL in every frame"
# visible width of every line of the live output, escape sequences removed
w=$(sed "s/$(printf '\033')\\[[0-9;?]*[A-Za-z]//g; s/$(printf '\r')//g" "$PZ_TMP/tty" |
	awk '/^Script (started|done)/ { next } /^TOP-EXIT/ { exit }
	     { if (length($0) > m) m = length($0) } END { print m + 0 }')
[ "$w" -gt 0 ] && [ "$w" -le 60 ]
ktap_result "live: fits the 60-column terminal (widest line $w)"
sed -n '/^TOP-EXIT/,$p' "$PZ_TMP/tty" | grep -q ' icanon ' &&
	sed -n '/^TOP-EXIT/,$p' "$PZ_TMP/tty" | grep -q ' echo '
ktap_result "live: terminal restored (icanon, echo)"

pz_stop $toucher
pz_destroy $A
pz_destroy $B
ktap_finish
