-- wrk -s tools/bench-inbound.lua: signed inbound webhooks, as the carrier
-- posts them (tools/bench.sh). Each request is one line of the file named
-- by BENCH_INBOUND_FILE ("signature<TAB>body", made by bench-inbound.js),
-- each line sent once: thread k of n (BENCH_INBOUND_THREADS, wrk's -t)
-- takes lines k, k+n, k+2n, ... The answers are counted here: 200 is an
-- acknowledged message.
local file = os.getenv("BENCH_INBOUND_FILE") or error("BENCH_INBOUND_FILE is not set")
local of = tonumber(os.getenv("BENCH_INBOUND_THREADS") or error("BENCH_INBOUND_THREADS is not set"))
local threads, nthreads = {}, 0

function setup(thread)
	thread:set("k", nthreads)
	nthreads = nthreads + 1
	table.insert(threads, thread)
end

function init(args)
	lines, i, acked, other = {}, 0, 0, 0
	local n = 0
	for line in io.lines(file) do
		if n % of == k then
			table.insert(lines, line)
		end
		n = n + 1
	end
end

function request()
	i = i + 1
	local line = lines[i]
	if not line then
		error("bench-inbound: out of signed requests; make BENCH_INBOUND_N larger")
	end
	local sig, body = line:match("^([^\t]*)\t(.*)$")
	return wrk.format("POST", nil, {
		["Content-Type"] = "application/x-www-form-urlencoded",
		["X-Twilio-Signature"] = sig }, body)
end

function response(status, headers, body)
	if status == 200 then acked = acked + 1 else other = other + 1 end
end

function done(summary, latency, requests)
	local a, o = 0, 0
	for _, t in ipairs(threads) do
		a = a + t:get("acked")
		o = o + t:get("other")
	end
	io.write(string.format("bench-inbound: 200=%d other=%d\n", a, o))
end
