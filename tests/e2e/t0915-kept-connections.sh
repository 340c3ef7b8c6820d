#!/usr/bin/env bash
# Kept-alive FastCGI connections (nginx's fastcgi_keep_conn) hold no
# worker: with every worker's last connection kept open and idle, a new
# connection's request is still answered at once, and the kept ones still
# carry their next request. A second smsdesk of the build under test, two
# workers, on its own socket.
. "$REPO/tests/e2e/lib.sh"

cat > "$T_TMP/kept.pl" <<'PERL'
use strict; use warnings; use IO::Socket::UNIX; use Socket;
my ($path, $n) = @ARGV;
sub rec { my ($type, $c) = @_; my $pad = (8 - length($c) % 8) % 8;
	return pack("CCnnCC", 1, $type, 1, length $c, $pad, 0) . $c . ("\0" x $pad); }
sub nv { my $r = ''; while (my ($k, $v) = splice(@_, 0, 2)) { $r .= pack("CC", length $k, length $v) . $k . $v; } return $r; }
sub request { my ($s, $keep) = @_;
	my $p = nv(REQUEST_METHOD => 'GET', REQUEST_URI => '/healthz', SCRIPT_NAME => '/healthz',
		QUERY_STRING => '', CONTENT_LENGTH => '0', REMOTE_ADDR => '127.0.0.1');
	syswrite($s, rec(1, pack("nCx5", 1, $keep)) . rec(4, $p) . rec(4, '') . rec(5, '')); }
# reads one answer (up to its END_REQUEST record) within 3 s: its status or "timeout"
sub answer { my ($s) = @_; my ($buf, $out) = ('', '');
	local $SIG{ALRM} = sub { die "timeout\n" };
	my $r = eval { alarm 3;
		while (1) {
			while (length $buf >= 8) {
				my (undef, $type, undef, $len, $pad) = unpack("CCnnC", $buf);
				last if length $buf < 8 + $len + $pad;
				$out .= substr($buf, 8, $len) if $type == 6;
				$buf = substr($buf, 8 + $len + $pad);
				if ($type == 3) { alarm 0; my ($st) = $out =~ /^Status: (\d+)/m; return "answered " . ($st // 'none'); }
			}
			my $got = sysread($s, my $chunk, 65536);
			die "closed\n" if !$got;
			$buf .= $chunk;
		} };
	alarm 0;
	return $r // ($@ =~ /timeout/ ? "timeout" : "closed"); }
my @kept;
for my $i (1 .. $n) {
	my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM, Peer => $path) or die "connect: $!";
	request($s, 1);
	print "kept $i: ", answer($s), "\n";
	push @kept, $s;
}
my $new = IO::Socket::UNIX->new(Type => SOCK_STREAM, Peer => $path) or die "connect: $!";
request($new, 0);
print "new: ", answer($new), "\n";
for my $i (1 .. $n) { request($kept[$i - 1], 1); print "again $i: ", answer($kept[$i - 1]), "\n"; }
$| = 1;
print "idle\n";
sleep 4;  # the kept connections stay open, idle, while smsdesk is stopped
PERL

SOCK=$T_TMP/kept.sock
SMSDESK_LISTEN=$SOCK SMSDESK_WORKERS=2 SMSDESK_DISPATCHER=0 "$E2E_SMSDESK_BIN" 2>"$T_TMP/kept.log" &
pid=$!
check "a second smsdesk starts" stack_wait 100 test -S "$SOCK"
perl "$T_TMP/kept.pl" "$SOCK" 3 > "$T_TMP/out" 2>&1 &
client=$!
stack_wait 150 grep -q '^idle' "$T_TMP/out"
sed 's/^/# /' "$T_TMP/out"
check "three connections kept open, each answered" test "$(grep -c '^kept [0-9]: answered 200' "$T_TMP/out")" = 3
check "with them idle, a new connection is answered at once (2 workers)" grep -q '^new: answered 200' "$T_TMP/out"
check "and the kept ones carry their next request" test "$(grep -c '^again [0-9]: answered 200' "$T_TMP/out")" = 3
start=$(date +%s%N)
kill -TERM "$pid"
wait "$pid"
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
wait "$client"
check "smsdesk exits 0 with idle kept connections open (got $rc)" test "$rc" = 0
check "at once, not after the grace period (${ms} ms)" test "$ms" -lt 2000
check "no sanitizer report" bash -c "! grep -q -e 'ERROR: .*Sanitizer' -e 'runtime error:' '$T_TMP/kept.log'"
