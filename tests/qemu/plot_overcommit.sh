#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Draw the overcommit scenario: every pzone's size over time, with pzoned
# and without (the same pzones held at their guarantee), OOM kills marked.
# The data are the "PZPLOT " lines that overcommit.sh --plot prints (in a
# console log of `make demo`, or its own output).
# usage: plot_overcommit.sh LOG OUTDIR   -> OUTDIR/overcommit.png
# Needs gnuplot (Debian gnuplot-nox).
log=${1:?usage: plot_overcommit.sh LOG OUTDIR}
out=${2:?usage: plot_overcommit.sh LOG OUTDIR}
command -v gnuplot >/dev/null 2>&1 || {
	echo "plot_overcommit.sh: gnuplot not installed (Debian package gnuplot-nox)" >&2; exit 1; }
mkdir -p "$out" || exit 1
sizes=$out/overcommit-sizes.dat
kills=$out/overcommit-kills.dat
tr -d '\r' <"$log" | sed -n 's/^.*PZPLOT sizes //p' >"$sizes"
tr -d '\r' <"$log" | sed -n 's/^.*PZPLOT kills //p' >"$kills"
[ -s "$sizes" ] || { echo "plot_overcommit.sh: no PZPLOT lines in $log (overcommit.sh --plot)" >&2; exit 1; }
nr=$(awk 'NR == 1 { print NF - 2 }' "$sizes")
# both panels on the same scale
ymax=$(awk '{ for (i = 3; i <= NF; i++) if ($i > m) m = $i } END { print int(m * 1.1) + 1 }' "$sizes")
for mode in daemon static; do
	awk -v m=$mode '$1 == m { $1 = ""; print }' "$sizes" >"$out/overcommit-sizes-$mode.dat"
	# a kill is drawn at the size its pzone had when it came
	awk -v m=$mode 'FNR == NR { if ($1 == m) { t[++n] = $2; for (i = 3; i <= NF; i++) s[n, i - 2] = $i } next }
		$1 == m { best = 1; for (k = 1; k <= n; k++) if (t[k] <= $2) best = k
			  print $2, s[best, $3], $3 }' "$sizes" "$kills" >"$out/overcommit-kills-$mode.dat"
done
plots() # MODE
{
	i=1
	while [ "$i" -le "$nr" ]; do
		printf '"%s" using 1:%d with lines lw 2 title "oc%d", ' "$out/overcommit-sizes-$1.dat" $((i + 1)) "$i"
		i=$((i + 1))
	done
	printf '"%s" using 1:2 with points pt 2 ps 3 lw 3 lc rgb "red" title "OOM kill"\n' "$out/overcommit-kills-$1.dat"
}
# an empty kills file is no error for gnuplot's plot, but warns: keep one
for mode in daemon static; do
	[ -s "$out/overcommit-kills-$mode.dat" ] || echo "NaN NaN 0" >"$out/overcommit-kills-$mode.dat"
done
gnuplot <<GP || exit 1
set terminal png size 1000,800
set output "$out/overcommit.png"
set multiplot layout 2,1 title "overcommit.sh: 4 pzones on one base node, peaks one after another"
set xlabel "seconds"
set ylabel "pzone size (MiB)"
set key outside right
set grid
set yrange [0:$ymax]
set title "with pzoned: memory lent to the pzone at its peak and taken back"
plot $(plots daemon)
set title "without pzoned: the pzones held at their guarantee"
plot $(plots static)
unset multiplot
GP
echo "plot_overcommit.sh: the picture is $out/overcommit.png" \
	"($(grep -c . "$sizes") samples, $(grep -c . "$kills") OOM kills)"
