-- wrk -s tools/bench-send.lua: POST /sms/send as the chatbox's Send button
-- does (tools/bench.sh). The urlencoded form (lead, contact, agent, body,
-- back, csrf) comes from BENCH_SEND_FORM, the session cookie from wrk -H.
-- wrk itself counts only statuses above 399 as errors ("Non-2xx or 3xx
-- responses"), so the answers are counted here: a send answers 303 to the
-- chatbox (Location /leads/...); anything else, a 303 to the sign-in page
-- included, is printed as "other".
-- With BENCH_SEND_FILE instead, each line of the file is "Cookie<TAB>form",
-- one conversation of one signed-in agent, and each request takes the next
-- line (thread k of n starts at line k), round and round.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local file = os.getenv("BENCH_SEND_FILE")
if not file then
	wrk.body = os.getenv("BENCH_SEND_FORM") or error("BENCH_SEND_FORM or BENCH_SEND_FILE is not set")
end

local threads, nthreads = {}, 0

function setup(thread)
	thread:set("k", nthreads)
	nthreads = nthreads + 1
	table.insert(threads, thread)
end

function init(args)
	sent, other = 0, 0
	if file then
		lines, i = {}, k
		for line in io.lines(file) do
			local cookie, form = line:match("^([^\t]*)\t(.*)$")
			table.insert(lines, { cookie = cookie, form = form })
		end
		if #lines == 0 then error("bench-send: " .. file .. " is empty") end
	end
end

function request()
	if not file then
		return wrk.format()
	end
	local l = lines[i % #lines + 1]
	i = i + 1
	return wrk.format("POST", nil, {
		["Content-Type"] = "application/x-www-form-urlencoded",
		["Cookie"] = l.cookie }, l.form)
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
