#!/bin/sh
# init.sh — PID 1 of the test guest (busybox ash). Loads conntrack and the
# ctleak_plant module, makes traffic and planted leaks in two network
# namespaces, writes the ground truth to the second serial port, then idles
# while the host takes the dumps. Scenario from the kernel command line:
# ctleak.scenario=leaks | baseline | live | scale. live is leaks, then
# ctleak run here on the guest's own /proc/kcore (vmcores/live-test.sh), with
# the debug files mounted from the host over virtiofs. scale (make bench) is
# ctleak.size=N unreplied flows spread over four namespaces, a 262144-bucket
# hash, and the leaks scenario's planted leaks in the first namespace.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
log() { echo "ctleak-guest: $*" >/dev/console; }

scenario=$(sed -n 's/.*ctleak\.scenario=\([a-z]*\).*/\1/p' /proc/cmdline)
[ -n "$scenario" ] || scenario=leaks

while read -r m args; do
	insmod "/lib/modules/$m" $args || log "insmod $m failed"
done </modules.list
ip link set lo up

# The ground truth must not move while it is read: nothing may expire.
sysctls() {
	for t in udp_timeout udp_timeout_stream icmp_timeout icmpv6_timeout generic_timeout; do
		f=/proc/sys/net/netfilter/nf_conntrack_$t
		[ -w "$f" ] && echo 86400 >"$f"
	done
	# The timestamp extension gives every entry its wall-clock start.
	echo 1 >/proc/sys/net/netfilter/nf_conntrack_timestamp
}
nf=/proc/sys/net/netfilter
echo 262144 >$nf/nf_conntrack_max
sysctls

wait_for() { # wait_for FILE TEXT: bounded wait for a server's "ready" line
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 100 ] && { log "timed out waiting for '$2' in $1"; return 1; }
		sleep 0.1
	done
}

servers() {
	/ctgen udp-echo 5001 >/tmp/echo4.$1 2>&1 &
	/ctgen udp-echo 5001 --v6 >/tmp/echo6.$1 2>&1 &
	/ctgen tcp-listen 5002 >/tmp/tcp4.$1 2>&1 &
	/ctgen tcp-listen 5002 --v6 >/tmp/tcp6.$1 2>&1 &
	sleep 1
}

if [ "$scenario" = scale ]; then
	size=$(sed -n 's/.*ctleak\.size=\([0-9]*\).*/\1/p' /proc/cmdline)
	per=$((${size:-20000} / 4))
	echo 262144 >/sys/module/nf_conntrack/parameters/hashsize
	echo 4194304 >$nf/nf_conntrack_max
	/ctgen nfq-bind 0 >/tmp/nfq.log 2>&1 &
	wait_for /tmp/nfq.log bound
	for i in 2 3 4; do
		/ctgen netns -- /bin/sh /scale-ns.sh scale$i $per --stay &
	done
	/ctgen udp4 6 7001 >/dev/console
	/ctgen udp6 2 7001 >/dev/console
	/ctgen udp4 4 7002 >/dev/console
	/ctgen udp4 4 7003 >/dev/console
	/ctgen udp4 4 7004 >/dev/console
	/ctgen udp4 3 7005 >/dev/console
	/bin/sh /scale-ns.sh init $per
	i=0
	while [ ! -f /tmp/scale2.done ] || [ ! -f /tmp/scale3.done ] || [ ! -f /tmp/scale4.done ]; do
		i=$((i + 1))
		[ $i -gt 3600 ] && { log "scale namespaces did not finish"; break; }
		sleep 0.5
	done
elif [ "$scenario" = baseline ]; then
	# Almost nothing: a few replied flows, no leak.
	servers init
	/ctgen udp4-pairs 5 5001 >/dev/console
	/ctgen icmp4 3 >/dev/console
else
	servers init
	/ctgen nfq-bind 0 >/tmp/nfq.log 2>&1 &
	wait_for /tmp/nfq.log bound
	# 1. ordinary traffic: >= 20,000 confirmed entries in all
	/ctgen udp4 17000 5000 >/dev/console
	/ctgen udp6 1500 5000 >/dev/console
	/ctgen udp4-pairs 400 5001 >/dev/console
	/ctgen udp6-pairs 100 5001 >/dev/console 2>&1
	/ctgen tcp4 300 5002 >/tmp/tcpc4 2>&1 &
	/ctgen tcp6 100 5002 >/tmp/tcpc6 2>&1 &
	/ctgen icmp4 400 >/dev/console
	/ctgen icmp6 100 >/dev/console
	# 2-5. planted leaks (the ctleak_plant module acts on these ports)
	/ctgen udp4 6 7001 >/dev/console   # stolen before confirm: unconfirmed
	/ctgen udp6 2 7001 >/dev/console
	/ctgen udp4 4 7002 >/dev/console   # confirmed, extra reference
	/ctgen udp6 1 7002 >/dev/console
	/ctgen udp4 4 7003 >/dev/console   # deleted, extra reference: dying
	/ctgen udp6 1 7003 >/dev/console
	/ctgen udp4 4 7004 >/dev/console   # held in NFQUEUE 0 at POST_ROUTING, never read
	/ctgen udp6 1 7004 >/dev/console
	/ctgen udp4 3 7005 >/dev/console   # held in NFQUEUE 0 at LOCAL_OUT, never read
	/ctgen udp6 1 7005 >/dev/console
	# 6. a second network namespace with its own traffic and leaks
	/ctgen netns -- /bin/sh /netns2.sh &
	i=0
	while [ ! -f /tmp/ns2.done ] && [ $i -lt 600 ]; do sleep 0.5; i=$((i + 1)); done
	[ -f /tmp/ns2.done ] || log "second netns did not finish"
	wait_for /tmp/tcpc4 ready
	wait_for /tmp/tcpc6 ready
	# 7. a namespace torn down while entries of it leak: its cleanup spins
	/ctgen netns -- /bin/sh /netns3.sh
	sleep 2
fi
sleep 2

# netns_truth NAME: this namespace's count (before and after the listing, to
# prove it held still) and /proc/net/nf_conntrack.
netns_truth() {
	echo "=== netns $1"
	echo "inum=$(/ctgen netns-inum) count=$(cat $nf/nf_conntrack_count)"
	echo "--- conntrack"
	cat /proc/net/nf_conntrack
	echo "--- end"
	echo "count_after=$(cat $nf/nf_conntrack_count)"
}

log "writing ground truth"
{
	echo "=== kernel"
	echo "release=$(uname -r) scenario=$scenario"
	echo "max=$(cat $nf/nf_conntrack_max) buckets=$(cat $nf/nf_conntrack_buckets)"
	if [ "$scenario" = scale ]; then
		cat /tmp/init.out /tmp/scale2.out /tmp/scale3.out /tmp/scale4.out
	else
		netns_truth init
	fi
	[ -f /tmp/ns2.out ] && cat /tmp/ns2.out
	[ -f /tmp/ns3.inum ] && echo "=== teardown" && echo "inum=$(cat /tmp/ns3.inum)"
	echo "=== plant"
	cat /proc/ctleak_plant
	echo "CTLEAK-READY"
} >/dev/ttyS1
if [ "$scenario" != live ]; then
	log "ready for the dump"
	while :; do sleep 3600; done
fi

# --- live: ctleak on this kernel's /proc/kcore --------------------------------
uptime_ms() { read -r up _ </proc/uptime; echo "${up%.*}${up#*.}0"; }
# live_run NAME CMD...: its exit status, time, stdout and stderr on ttyS1.
live_run() {
	name=$1
	shift
	t0=$(uptime_ms)
	"$@" >/tmp/live.out 2>/tmp/live.err
	rc=$?
	t1=$(uptime_ms)
	{
		echo "=== live $name"
		echo "rc=$rc ms=$((t1 - t0))"
		echo "--- stdout"
		cat /tmp/live.out
		echo "--- stderr"
		cat /tmp/live.err
		echo "--- end"
	} >/dev/ttyS1
}
# Debian's debug package layout, served read-only by the host.
mkdir -p /usr/lib/debug
mount -t virtiofs debug /usr/lib/debug -o ro || log "mounting the debug files failed"
export HOME=/root
log "ctleak --live: traffic stopped"
live_run stopped /ctleak --live -j
live_run text /ctleak
echo "=== after" >/dev/ttyS1
echo "count=$(cat $nf/nf_conntrack_count)" >/dev/ttyS1
# Traffic that never stops: new flows all the time, and old ones expiring
# after 2 s (the planted entries keep the timeouts they were given).
echo 2 >$nf/nf_conntrack_udp_timeout
(
	p=6000
	while :; do
		/ctgen udp4 20000 $p --sport 20000 >/dev/null 2>&1
		p=$((p == 6100 ? 6000 : p + 1))
	done
) &
traffic=$!
sleep 3
log "ctleak --live: traffic flowing"
live_run moving timeout -s KILL 900 /ctleak --live -j
if [ -x /ctleak-asan ]; then
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1 \
		live_run moving-asan timeout -s KILL 900 /ctleak-asan --live -j
fi
echo "=== moving" >/dev/ttyS1
echo "count=$(cat $nf/nf_conntrack_count)" >/dev/ttyS1
kill $traffic
live_run nonroot /ctgen as-user 65534 -- /ctleak --live
live_run kdumpfile /kcore_probe /proc/kcore "$(sed -n 's/ [A-Za-z] jiffies_64$//p' /proc/kallsyms)"
echo CTLEAK-LIVE-DONE >/dev/ttyS1
log "live runs done"
sync
poweroff -f
