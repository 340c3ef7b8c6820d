#!/usr/bin/env bash
# SIGTERM under load: many FastCGI clients, some connected but still
# sending their request (slow clients), others arriving before, during and
# after the signal. Every client whose connection was made gets its whole
# answer, and none a 5xx; a client that comes after the stop is refused at
# connect(). A second smsdesk of the build under test, on its own socket.
. "$REPO/tests/e2e/lib.sh"

# A FastCGI client: connects (then creates MARKER, if given), waits DELAY
# seconds, sends GET URI, reads the answer. Prints "refused" (no
# connection), "dropped" (the connection ended without a whole answer) or
# "answered STATUS".
cat > "$T_TMP/client.pl" <<'PERL'
use strict; use warnings; use IO::Socket::UNIX; use Socket;
my ($path, $delay, $uri, $marker) = @ARGV;
my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM, Peer => $path);
if (!$s) { print "refused\n"; exit 0; }
if ($marker) { open(my $m, '>', $marker) or die "$marker: $!"; close($m); }
select(undef, undef, undef, $delay) if $delay > 0;
sub rec { my ($type, $c) = @_; my $pad = (8 - length($c) % 8) % 8;
	return pack("CCnnCC", 1, $type, 1, length $c, $pad, 0) . $c . ("\0" x $pad); }
sub nv { my $r = ''; while (my ($n, $v) = splice(@_, 0, 2)) { $r .= pack("CC", length $n, length $v) . $n . $v; } return $r; }
my $params = nv(REQUEST_METHOD => 'GET', REQUEST_URI => $uri, SCRIPT_NAME => $uri,
	QUERY_STRING => '', CONTENT_LENGTH => '0', REMOTE_ADDR => '127.0.0.1');
my $req = rec(1, pack("nCx5", 1, 0)) . rec(4, $params) . rec(4, '') . rec(5, '');
local $SIG{PIPE} = 'IGNORE';
if (!defined syswrite($s, $req)) { print "dropped (write: $!)\n"; exit 0; }
my ($buf, $out, $ended) = ('', '', 0);
while (1) { my $n = sysread($s, my $chunk, 65536); last if !$n; $buf .= $chunk; }
while (length $buf >= 8) {
	my (undef, $type, undef, $len, $pad) = unpack("CCnnC", $buf);
	last if length $buf < 8 + $len + $pad;
	$out .= substr($buf, 8, $len) if $type == 6;
	$ended = 1 if $type == 3;
	$buf = substr($buf, 8 + $len + $pad);
}
if (!$ended) { print "dropped\n"; exit 0; }
my ($status) = $out =~ /^Status: (\d+)/m;
print "answered ", ($status // 'none'), "\n";
PERL

SOCK=$T_TMP/load.sock
SMSDESK_LISTEN=$SOCK SMSDESK_WORKERS=2 SMSDESK_DISPATCHER=0 "$E2E_SMSDESK_BIN" 2>"$T_TMP/load.log" &
pid=$!
check "a second smsdesk starts" stack_wait 100 test -S "$SOCK"
check "the client works (a healthy answer)" test "$(perl "$T_TMP/client.pl" "$SOCK" 0 /healthz)" = "answered 200"

# slow clients: connected now, their request comes only after SIGTERM
for i in $(seq 1 6); do
	perl "$T_TMP/client.pl" "$SOCK" 1.5 /healthz "$T_TMP/connected.$i" > "$T_TMP/slow.$i" &
done
all_connected() { [ "$(ls "$T_TMP" | grep -c '^connected\.')" = 6 ]; }
check "the slow clients are connected" stack_wait 50 all_connected
# a stream of quick clients from before the signal to after the stop
(
	for i in $(seq 1 60); do
		perl "$T_TMP/client.pl" "$SOCK" 0 "/healthz" > "$T_TMP/quick.$i" &
		sleep 0.02
	done
	wait
) &
stream=$!
sleep 0.3
start=$(date +%s%N)
kill -TERM "$pid"
wait "$pid"
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
wait "$stream"
wait

cat "$T_TMP"/slow.* "$T_TMP"/quick.* | sort | uniq -c > "$T_TMP/summary"
sed 's/^/# /' "$T_TMP/summary"
count() { cat "$T_TMP"/$1 | grep -c "$2"; }
check "smsdesk exits 0 (got $rc)" test "$rc" = 0
check "within 5 s (${ms} ms)" test "$ms" -lt 5000
check "every slow client connected before the signal was answered 200 ($(count 'slow.*' 'answered 200') of 6)" \
	test "$(count 'slow.*' 'answered 200')" = 6
check "quick clients were answered before the stop" test "$(count 'quick.*' 'answered 200')" -ge 1
check "and some came after it, refused at connect" test "$(count 'quick.*' '^refused')" -ge 1
check "no connection was dropped without its answer" test "$(cat "$T_TMP"/slow.* "$T_TMP"/quick.* | grep -c dropped)" = 0
check "no answer was an error" test "$(cat "$T_TMP"/slow.* "$T_TMP"/quick.* | grep '^answered' | grep -vc 'answered 200')" = 0
check "every client has an outcome" test "$(cat "$T_TMP"/slow.* "$T_TMP"/quick.* | wc -l)" = 66
check "no sanitizer report" bash -c "! grep -q -e 'ERROR: .*Sanitizer' -e 'runtime error:' '$T_TMP/load.log'"
