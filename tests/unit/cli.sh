#!/usr/bin/env bash
# cli.sh BUILD [CTLEAK_SO] — the ctleak program's contract at the command line: exit
# codes, one clear sentence on every wrong use, help text; and the crash
# extension's build-time identity (loading it in crash needs a dump, which
# arrives with the real-vmcores issue).
set -u
BUILD=$1
SO=${2:-}
pass=0 fail=0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# run WANT_RC PATTERN ARGS...: exit code and a message matching PATTERN.
run() {
	local want=$1 pattern=$2
	shift 2
	local out rc
	out=$("$BUILD/ctleak" "$@" 2>&1)
	rc=$?
	if [ "$rc" = "$want" ] && grep -qE -- "$pattern" <<<"$out"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL ctleak $*: rc $rc (want $want), output: $out"
	fi
	# Errors are one line, never a trace or a dump of usage.
	if [ "$want" != 0 ] && [ "$(wc -l <<<"$out")" -gt 2 ]; then
		fail=$((fail + 1))
		echo "FAIL ctleak $*: more than one sentence: $out"
	fi
}

# run_json WANT_RC CODE PATTERN ARGS...: a failing run under -j prints one
# JSON document and nothing else on stdout, its "error" {code, what} the
# stable code and the sentence stderr has (stderr is not the output stream).
run_json() {
	local want=$1 code=$2 pattern=$3
	shift 3
	local out err rc
	out=$("$BUILD/ctleak" "$@" 2>"$scratch/stderr")
	rc=$?
	err=$(cat "$scratch/stderr")
	if [ "$rc" = "$want" ] && grep -qE -- "$pattern" <<<"$err" &&
		python3 - "$code" "$pattern" "$out" "$err" <<-'EOF'
			import json, re, sys
			code, pattern, out, err = sys.argv[1:]
			doc = json.loads(out)  # one document: trailing text fails
			assert doc["schema"] == 1 and doc["complete"] is False, doc
			assert doc["error"]["code"] == code, doc["error"]
			assert re.search(pattern, doc["error"]["what"]), doc["error"]
			assert err == "ctleak: " + doc["error"]["what"], (err, doc)
			assert doc["errors"] == [] and doc["notes"] == [], doc
		EOF
	then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL ctleak $*: rc $rc (want $want), stdout: $out, stderr: $err"
	fi
}

printf 'not an ELF file\n' >"$scratch/text"
: >"$scratch/empty"

run 0 "usage: ctleak \\[OPTIONS\\]" --help
run 0 "--debug-dir DIR" -h
# The option lines come from lib/app/options.c's table (test_options checks
# all of them); the standalone-only ones are listed too.
run 0 "^      --kcore FILE     the same, from FILE" --help
run 0 "^  \(no option\)          the per-netns table" --help
run 2 "cannot open /some/vmcore" /some/vmcore
run 2 "give VMCORE" a b c
run 2 "needs VMLINUX" -m
run 2 "unknown option -x" -x
run 2 "unknown option --bogus" --bogus
run 2 "needs an argument" -m -D
run 2 "option -n needs an argument" --netns
run 2 "option --max-entries needs an argument" --max-entries
run 2 "option --kcore needs an argument" --kcore
run 2 "unknown option --pretty=x" --pretty=x
run 2 "-n takes a namespace inode number" -n abc x
run 2 "unknown protocol" -p nosuch x
run 2 "--max-entries takes a positive number" --max-entries 0 x
run 2 "--max-entries takes a positive number" --max-entries -5 x
run 2 "--max-entries takes a positive number" --max-entries 12k x
# The filters and --format: every bad value one sentence, before any dump is read.
run 2 "-n takes a namespace inode number, not \"net:\[x\]\"" -n 'net:[x]' x
run 2 "option --dport needs an argument" --dport
run 2 "--src takes an IPv4 or IPv6 address, or ADDRESS/PREFIX, not \"10.0.0.300\"" --src 10.0.0.300 x
run 2 "--dst takes an IPv4 or IPv6 address" --dst ::1/129 x
run 2 "--sport takes a port number \(0 to 65535\), not \"http\"" --sport http x
run 2 "--dport takes a port number \(0 to 65535\), not \"65536\"" --dport 65536 x
run 2 "--state takes a TCP state as /proc/net/nf_conntrack prints it" --state UP x
run 2 "--zone takes a zone number \(0 to 65535\)" --zone -1 x
run 2 "--mark takes a number or NUMBER/MASK" --mark 1/x x
run 2 "--format takes text, proc or csv, not \"xml\"" --format xml x
run 2 "--format and -j do not go together" --format proc -j x
run 2 "--format and -j do not go together" --pretty --format text x
run 2 "at most 16 -p values" $(for i in $(seq 17); do printf -- '-p %d ' "$i"; done) x
run 2 "cannot open /some/vmcore" -n 1 -n 'net:[2]' -p tcp -p udp --src 10.0.0.0/8 \
	--dst fe80::1 --sport 1 --dport 2 --state time_wait --zone 3 --mark 0x10/0xff \
	--format csv /some/vmcore
run 2 "is not a dump libkdumpfile can read" "$scratch/text"
run 2 "is not a dump libkdumpfile can read" "$scratch/empty"
run 2 "the dump is missing" "$BUILD/synth/gen_6_1.vmlinux"
run 2 "cannot open /nonexistent/vmlinux" -m /nonexistent/vmlinux
run 2 "is not an ELF file" -m "$scratch/text"
run 2 "is empty" -m "$scratch/empty"
run 2 "has no DWARF" -m /bin/true
run_json 2 notfound "cannot open /some/vmcore" -j /some/vmcore
run_json 2 usage "give VMCORE" -j a b c
run_json 2 usage "needs VMLINUX" -m -j
run_json 2 unsupported "is not a dump libkdumpfile can read" --pretty "$scratch/text"
run_json 2 usage "the dump is missing" -j "$BUILD/synth/gen_6_1.vmlinux"
run_json 2 notfound "cannot open /nonexistent/vmlinux" -m -j /nonexistent/vmlinux
run_json 2 notfound "/nonexistent/kcore does not exist" -j --kcore /nonexistent/kcore
# Live mode (the running kernel): proven inside the test guest by
# tests/system/check_live.py; here only what the command line itself decides.
if [ ! -e /proc/kcore ]; then
	run 2 "has no /proc/kcore \\(CONFIG_PROC_KCORE is off\\)"
	run 2 "has no /proc/kcore" --live -j
fi
run 2 "--live takes at most a debug VMLINUX" --live "$scratch/text"
run 2 "/nonexistent/kcore does not exist" --kcore /nonexistent/kcore
run 2 "is not an ELF core file" --kcore "$scratch/text"
run 2 "is not an ELF core file" --kcore "$scratch/empty"
run 2 "is not a 64-bit x86-64 ELF core file" --kcore /bin/true
cp "$scratch/text" "$scratch/kcore" && chmod 0400 "$scratch/kcore" && chmod 755 "$scratch"
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$BUILD/ctleak" --kcore "$scratch/kcore" 2>&1)
	rc=$?
	if [ $rc = 2 ] && grep -q "needs root (or CAP_SYS_RAWIO)" <<<"$out" && [ "$(wc -l <<<"$out")" = 1 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL ctleak --kcore as an unprivileged user: rc $rc, $out"
	fi
fi

# The synthetic 6.1 kernel as "vmlinux" with no module: the model is built
# from it alone; text and JSON agree on what it found.
out=$(CTLEAK_CACHE=$scratch/c "$BUILD/ctleak" -m "$BUILD/synth/gen_6_1.vmlinux" 2>/dev/null)
json=$(CTLEAK_CACHE=$scratch/c "$BUILD/ctleak" -m -j "$BUILD/synth/gen_6_1.vmlinux" 2>"$scratch/stderr")
# No nf_conntrack debug file: the note is in the document too, with its code.
if grep -q "per-netns count:     nf_conntrack_net.count" <<<"$out" &&
	python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["model"]["lists"]=="none" and d["types_from"]=="cache"; n=d["notes"]; assert len(n)==1 and n[0]["code"]=="notfound" and "no debug file nf_conntrack.ko" in n[0]["what"] and open(sys.argv[2]).read()=="ctleak: note: "+n[0]["what"]+"\n", n' "$json" "$scratch/stderr"; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
	echo "FAIL model of the synthetic 6.1 kernel: $out $json"
fi

# The crash extension: built against this crash's defs.h, records that
# version, registers through crash's own register_extension.
if [ -n "$SO" ]; then
	ver=$(crash --version | awk '/^crash /{print $2; exit}')
	if strings "$SO" | grep -qx "$ver" && nm -D "$SO" | grep -q " U register_extension"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $SO does not record crash $ver or does not use register_extension"
	fi
fi

echo "command line: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
