-- wrk -s tools/bench-send.lua: POST /sms/send as the chatbox's Send button
-- does (tools/bench.sh). The urlencoded form (lead, contact, agent, body,
-- back, csrf) comes from BENCH_SEND_FORM, the session cookie from wrk -H.
-- wrk itself counts only statuses above 399 as errors ("Non-2xx or 3xx
-- responses"), so the answers are counted here: a send answers 303 to the
-- chatbox (Location /leads/...); anything else, a 303 to the sign-in page
-- included, is printed as "other".
wrk.method = "POST"
wrk.body = os.getenv("BENCH_SEND_FORM") or error("BENCH_SEND_FORM is not set")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"

local threads = {}

function setup(thread)
	table.insert(threads, thread)
end

function init(args)
	sent, other = 0, 0
end

function response(status, headers, body)
	local location = headers["Location"] or headers["location"] or ""
	if status == 303 and location:sub(1, 7) == "/leads/" then
		sent = sent + 1
	else
		other = other + 1
	end
end

function done(summary, latency, requests)
	local s, o = 0, 0
	for _, t in ipairs(threads) do
		s = s + t:get("sent")
		o = o + t:get("other")
	end
	io.write(string.format("bench-send: 303=%d other=%d\n", s, o))
end
