# gnuplot script: bench/curve.png from the curve's data files.
#   gnuplot -e "data='DIR'; out='bench/curve.png'" bench/curve.gp
# DIR holds curve-jobs.dat, curve-jobs-failed.dat and curve-clients.dat
# (bootstrapd-bench --curve-data DIR); bench/curve.sh does both steps.
if (!exists("data")) data = '.'
if (!exists("out")) out = 'curve.png'
if (!exists("stamp")) stamp = ''
jobs = data.'/curve-jobs.dat'
failed = data.'/curve-jobs-failed.dat'
clients = data.'/curve-clients.dat'

set terminal pngcairo size 1500,520 font ',10'
set output out
set multiplot layout 1,3 title 'bootstrapd: cost as work grows (pinned to one CPU; medians; dashed: the floor, raw sockets, same run) '.stamp
set grid
set key top left
set logscale x
set style line 1 lc rgb '#1f77b4' lw 2 pt 7
set style line 2 lc rgb '#1f77b4' lw 1 dt 2 pt 6
set style line 3 lc rgb '#d62728' lw 2 pt 5
set style line 4 lc rgb '#d62728' lw 1 dt 2 pt 4
set style line 5 lc rgb '#2ca02c' lw 2 pt 9

# 1: latency and RSS against jobs loaded
set title 'Jobs loaded (one client)'
set xlabel 'jobs (one MachService each)'
set ylabel 'latency, µs'
set y2label 'daemon RSS, MiB'
set xrange [5:200000]
# Room above the lines for the key: the axes reach twice the highest value.
stats jobs u 3 nooutput name 'RSS'
stats jobs u ($4 > $6 ? $4 : $6) nooutput name 'LAT'
set yrange [0:2 * LAT_max]
set y2range [0:2 * RSS_max]
set ytics nomirror
set y2tics
plot jobs u 1:4 w lp ls 1 t 'look-up', \
     jobs u 1:5 w lp ls 2 t 'look-up floor', \
     jobs u 1:6 w lp ls 3 t 'call', \
     jobs u 1:7 w lp ls 4 t 'call floor', \
     jobs u 1:3 axes x1y2 w lp ls 5 t 'RSS (right axis)', \
     failed u 1:(1) w p pt 2 ps 3 lc rgb 'black' t 'did not load (fd limit)', \
     failed u 1:(1):2 w labels rotate by 90 left offset 0,1.5 notitle, \
     jobs u 1:6:($8 == 1 ? sprintf('%d jobs: the most that fit', $1) : '') \
          w labels right offset 0,1.2 notitle
unset y2label
unset y2tics
set ytics mirror

# 2: time per operation (1 / throughput) and the daemon's peak RSS against concurrent clients
set title 'Concurrent clients: time per operation, daemon RSS'
set xlabel 'client processes'
set ylabel 'µs per operation (1 / total throughput)'
set y2label 'daemon peak RSS, MiB'
set xrange [0.7:700]
lesser(a, b) = a < b ? a : b
stats clients u (1e6 / lesser(lesser($6, $7), lesser($8, $9))) nooutput name 'OP'
stats clients u 12 nooutput name 'CRSS'
set yrange [0:2 * OP_max]
set y2range [0:2 * CRSS_max]
set ytics nomirror
set y2tics
plot clients u 1:(1e6/$6) w lp ls 1 t 'look-up', \
     clients u 1:(1e6/$7) w lp ls 2 t 'look-up floor', \
     clients u 1:(1e6/$8) w lp ls 3 t 'call', \
     clients u 1:(1e6/$9) w lp ls 4 t 'call floor', \
     clients u 1:12 axes x1y2 w lp ls 5 t 'peak RSS (right axis)'
unset y2label
unset y2tics
set ytics mirror

# 3: median latency per operation against concurrent clients
set title 'Concurrent clients: latency of one operation'
set ylabel 'median latency, µs (log)'
set logscale y
set yrange [*:*]
set offsets 0, 0, 0, 0
# One note, at the first count where a client made no call (the later ones overlap it).
stats clients u ($10 == 0 ? $1 : 1e9) nooutput name 'NOCALL'
plot clients u 1:2 w lp ls 1 t 'look-up', \
     clients u 1:3 w lp ls 2 t 'look-up floor', \
     clients u 1:4 w lp ls 3 t 'call', \
     clients u 1:5 w lp ls 4 t 'call floor', \
     clients u 1:4:($1 == NOCALL_min ? 'some clients made no call:' : '') w labels right offset -1,1.6 notitle, \
     clients u 1:4:($1 == NOCALL_min ? 'median of the calls made' : '') w labels right offset -1,0.6 notitle
unset multiplot
