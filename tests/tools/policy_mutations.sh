#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Can the policy tests fail?  For each rule of pzoned_policy.c, remove it
# (replace the code that implements it by code that does not) in a copy,
# build test_pzoned_policy against the copy and run the test that guards
# the rule: it must fail.  Prints TAP, one line per mutation; exits
# non-zero if a mutation survives (its test still passes), if a mutation
# no longer applies (the code changed: update this list), or if the
# unmutated policy fails.  Not part of `make test-host` (it builds 40+
# times); run it after changing the policy or its tests:
#	tests/tools/policy_mutations.sh
DIR=$(cd "$(dirname "$0")" && pwd)
SRC=$DIR/../../tools/pzonectl
CC=${CC:-gcc}
CFLAGS="-std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -Wno-unused-function -Wno-unused-variable -Wno-unused-parameter -Wno-unused-but-set-variable"
W=$(mktemp -d "${TMPDIR:-/tmp}/policy-mut.XXXXXX") || exit 1
trap 'rm -rf "$W"' EXIT

# TEST@@OLD@@NEW[@@OLD2@@NEW2...]: each OLD (which must occur exactly once)
# becomes its NEW.
MUTATIONS=(
"low_event_grows@@else if (p->ev.low > old.low)@@else if (0)"
"oom_event_grows@@if (p->ev.standby_used > old.standby_used || p->ev.oom > old.oom)@@if (p->ev.standby_used > old.standby_used)"
"oom_step_at_least_standby@@if (p->c.standby > step && p->event_reason@@if (0 && p->event_reason"
"step_doubles@@step = p->step * 2;@@step = p->step;"
"step_capped_at_grow_max@@if (step > d->tun.grow_max)@@if (0)"
"step_resets_after_1s@@if (p->t_last_grow && now - p->t_last_grow < ms_us(PZD_STEP_RESET_MS))@@if (p->t_last_grow)"
"free_below_low_free_grows@@(uint64_t)p->free_bytes < d->tun.low_free))@@0))"
"low_event_cold_cache_no_grow@@if (strcmp(reason, \"low\") || !pz_cache_covers(d, p)) {@@if (1) {"
"low_event_refaults_grow@@refaulting = rf >= 0 && p->refaults >= 0 && rf > p->refaults;@@refaulting = false;"
"grow_capped_at_limit@@	if (target > p->c.limit)
		target = p->c.limit;
	need@@	need"
"base_keep@@lend = (uint64_t)bf - d->tun.base_keep;@@lend = (uint64_t)bf;"
"donor_lowest_priority_first@@if (!best || q->c.priority < best->c.priority ||@@if (!best ||"
"donor_most_slack_among_equals@@(q->c.priority == best->c.priority && amt > best_amt)) {@@(q->c.priority == best->c.priority && amt < best_amt)) {"
"donor_keeps_low_free_plus_step@@	if (freeb <= keep)
		return 0;
	above = (uint64_t)q->size - q->c.guarantee;
	return round_down(d, freeb - keep < above ? freeb - keep : above);@@	above = (uint64_t)q->size - q->c.guarantee;
	return round_down(d, freeb < above ? freeb : above);"
"reclaim_only_from_lower_priority@@if (p && q->c.priority > p->c.priority)@@if (0)"
"reclaim_from_lower_priority@@for (pass = 0; pass < 2 && got < need; pass++) {@@for (pass = 0; pass < 1 && got < need; pass++) {"
"equal_peer_gives_cold_only@@if (p && q->c.priority == p->c.priority && amt > cold)@@if (0)"
"donor_quiet_2s_after_grow@@if (q->t_last_grow && now - q->t_last_grow < ms_us(PZD_DONOR_QUIET_MS))@@if (0)"
"lend_once_per_250ms@@	if (q->t_last_lend && now - q->t_last_lend < ms_us(PZD_LEND_SHRINK_MS))
		return 0;@@"
"reclaim_once_per_250ms@@					if (q->t_last_lend && now - q->t_last_lend < ms_us(PZD_LEND_SHRINK_MS))
						continue;@@"
"lend_in_one_go@@if (pass == 0 && amt < d->tun.grow_max)@@if (0)"
"base_low_takes_back@@if (bf >= 0 && (uint64_t)bf < d->tun.base_keep / 2) {@@if (0) {"
"idle_shrink_after_10s@@if (now - p->t_free_since < ms_us(d->tun.shrink_after_ms) ||@@if ("
"idle_timer_restarts@@	    slack * 100 <= (uint64_t)p->size * d->tun.shrink_free_pct) {
		p->t_free_since = 0;
		return;@@	    slack * 100 <= (uint64_t)p->size * d->tun.shrink_free_pct) {
		return;"
"idle_threshold_25pct@@	    slack * 100 <= (uint64_t)p->size * d->tun.shrink_free_pct) {@@	    0) {"
"idle_counts_cold_cache@@	if (p->inactive_file > 0)
		slack += (uint64_t)p->inactive_file;@@"
"idle_not_after_grow@@	    (p->t_last_grow && now - p->t_last_grow < ms_us(d->tun.shrink_after_ms)) ||@@@@		p->t_last_grow = now;
		p->t_free_since = 0;@@		p->t_last_grow = now;"
"idle_shrink_every_30s@@	    (p->t_last_shrink && now - p->t_last_shrink < ms_us(d->tun.shrink_every_ms)))@@	    0)"
"idle_not_below_guarantee@@	if (target < p->c.guarantee)
		target = p->c.guarantee;@@"
"idle_at_least_one_step@@if (target + d->tun.grow_step > (uint64_t)p->size)@@if (target >= (uint64_t)p->size)"
"below_guarantee_grown@@pz_resize(d, p, p->c.guarantee, false, \"below its guarantee\", 0);@@;"
"above_limit_shrunk_reclaim@@pz_resize(d, p, p->c.limit, true, \"above its limit\", 0);@@pz_resize(d, p, p->c.limit, false, \"above its limit\", 0);"
"standby_fits_under_limit@@want = round_down(d, p->c.standby < room ? p->c.standby : room);@@want = round_down(d, p->c.standby);"
"standby_refilled@@	for (i = 0; i < d->nr_pzs; i++)
		if (pz_usable(&d->pzs[i]))
			pz_standby(d, &d->pzs[i], now);@@"
"error_backoff_doubles@@p->backoff_ms = p->backoff_ms ? p->backoff_ms * 2 : PZD_BACKOFF_MIN_MS;@@p->backoff_ms = PZD_BACKOFF_MIN_MS;"
"error_backoff_doubles@@	case -ENOMEM:
	case -EINTR:
		backoff(p, d->ops->now_us(d->priv));@@	case -ENOMEM:
	case -EINTR:"
"error_backoff_capped_10s@@	if (p->backoff_ms > PZD_BACKOFF_MAX_MS)
		p->backoff_ms = PZD_BACKOFF_MAX_MS;@@"
"error_eagain_retried@@		err = d->ops->resize(d->priv, p->c.name, target, reclaim);
		if (err != -EAGAIN)
			break;@@		err = d->ops->resize(d->priv, p->c.name, target, reclaim);
		break;"
"error_enospc_shrink_no_backoff@@		if (grow)
			backoff(p, d->ops->now_us(d->priv));
		return V_NOROOM;@@		backoff(p, d->ops->now_us(d->priv));
		return V_NOROOM;"
"error_other_stops@@		p->managed = false;
		pz_close_events(d, p);
		return V_STOP;@@		return V_STOP;"
"error_create_enospc_waits@@			p->wait_config = true;@@			;"
)

echo "TAP version 13"
n=0
bad=0
$CC $CFLAGS -I"$SRC" -c -o "$W/libpzone.o" "$SRC/libpzone.c" || exit 1
build()	# POLICY_C: build $W/t against it
{
	$CC $CFLAGS -I"$SRC" -o "$W/t" "$DIR/test_pzoned_policy.c" "$1" \
		"$W/libpzone.o" 2>"$W/cc.err"
}
if ! build "$SRC/pzoned_policy.c" || ! "$W/t" >"$W/out"; then
	echo "Bail out! the unmutated policy does not build or its tests fail"
	cat "$W/cc.err" "$W/out" 2>/dev/null | sed 's/^/# /'
	exit 1
fi
for m in "${MUTATIONS[@]}"; do
	test=${m%%@@*}
	first=${m#*@@}
	first=${first%%@@*}
	first=${first%%$'\n'*}
	n=$((n + 1))
	if ! M=$m python3 - "$SRC/pzoned_policy.c" "$W/m.c" <<'EOF'
import os, sys
s = open(sys.argv[1]).read()
parts = os.environ["M"].split("@@")[1:]
for old, new in zip(parts[0::2], parts[1::2]):
    if s.count(old) != 1:
        sys.exit(1)
    s = s.replace(old, new)
open(sys.argv[2], "w").write(s)
EOF
	then
		echo "not ok $n - $test: mutation does not apply ($first)"
		bad=$((bad + 1))
		continue
	fi
	if ! build "$W/m.c"; then
		echo "not ok $n - $test: mutated policy does not build"
		sed 's/^/# /' "$W/cc.err" | head -5
		bad=$((bad + 1))
		continue
	fi
	if "$W/t" "$test" >"$W/out"; then
		echo "not ok $n - $test: survives removing '$first'"
		bad=$((bad + 1))
	else
		echo "ok $n - $test fails without '$first'"
	fi
done
echo "1..$n"
[ "$bad" = 0 ] || echo "# $bad of $n mutations not caught"
exit $((bad != 0))
