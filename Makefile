# smsdesk: `make run` starts the whole product, `make test` runs every test.
CC ?= cc
CXX ?= c++
PKGS = libmariadb jansson libcurl libargon2 libcrypto
CFLAGS ?= -O2 -g
CXXFLAGS ?= -O2 -g
WARN = -Wall -Wextra -Wshadow -Wformat=2 -Wvla
CPPFLAGS += -D_GNU_SOURCE $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
ALL_CFLAGS = -std=c11 $(WARN) $(CFLAGS)
ALL_CXXFLAGS = -std=c++17 -Wall -Wextra $(CXXFLAGS)
LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lfcgi -lctemplate -lphonenumber -lcctz -lpthread
# the geocoder: the unit tests and tools/gen-area-codes.c only (cgi-bin/geo.cc)
GEO_LIBS = -lgeocoding -licuuc

BUILD ?= build/release
SAN = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

# the request path, shared by the server and the unit tests
CORE = arena clock config log http request router db kept tmpl validate phone auth access leads messages \
	page page_home page_healthz page_login page_leads page_lead page_profile \
	page_admin_users page_admin_settings page_superadmin_orgs users orgs reports \
	csv sms_text sensitive shortener rules consent sending place outbox conversation chatbox page_send page_consents page_loanfile page_report page_unmatched page_notifications page_resend page_cancel format failure keywords merge replies page_replies inbound webhook_twilio carrier_twilio dispatcher media media_worker page_media tz
# the inbox and its search (/inbox, /inbox?q=)
CORE += inbox page_inbox search page_search words
CTL_ONLY = migrate import smsdeskctl
SERVER_ONLY = smsdesk poller

obj = $(addprefix $(BUILD)/,$(addsuffix .o,$(1)))

.PHONY: all build deps run test chaos bench reset clean asan unit fakecarrier tools area-codes fuzz fuzz-build
all: cgi-bin/smsdesk.fcgi cgi-bin/smsdeskctl

build/release/%.o: cgi-bin/%.c cgi-bin/*.h | build/release
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@
build/release/%.o: cgi-bin/%.cc cgi-bin/*.h | build/release
	$(CXX) $(CPPFLAGS) $(ALL_CXXFLAGS) -c $< -o $@
build/asan/%.o: cgi-bin/%.c cgi-bin/*.h | build/asan
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(SAN) -c $< -o $@
build/asan/%.o: cgi-bin/%.cc cgi-bin/*.h | build/asan
	$(CXX) $(CPPFLAGS) $(ALL_CXXFLAGS) $(SAN) -c $< -o $@
build/release build/asan:
	mkdir -p $@
build/release/place.o build/asan/place.o: cgi-bin/area_codes.inc

cgi-bin/smsdesk.fcgi: $(call obj,$(CORE) $(SERVER_ONLY))
	$(CXX) -o $@ $^ $(LIBS)
cgi-bin/smsdeskctl: $(call obj,$(CORE) $(CTL_ONLY))
	$(CXX) -o $@ $^ $(LIBS)

# the same programs with AddressSanitizer and UndefinedBehaviorSanitizer
asan: build/asan/smsdesk.fcgi build/asan/smsdeskctl
build/asan/smsdesk.fcgi: $(addprefix build/asan/,$(addsuffix .o,$(CORE) $(SERVER_ONLY)))
	$(CXX) $(SAN) -o $@ $^ $(LIBS)
build/asan/smsdeskctl: $(addprefix build/asan/,$(addsuffix .o,$(CORE) $(CTL_ONLY)))
	$(CXX) $(SAN) -o $@ $^ $(LIBS)

# unit tests (cmocka), built once plain and once with the sanitizers
UNIT = $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))
# and the fuzz targets' regression programs (tests/fuzz, below)
FUZZ = $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/*.c))
# test_db runs db.c over a fake MariaDB client: these calls go to its __wrap_*
WRAP_db = $(addprefix -Wl$(comma)--wrap=,mysql_init mysql_optionsv mysql_real_connect \
	mysql_close mysql_stmt_init mysql_stmt_prepare mysql_stmt_attr_set \
	mysql_stmt_param_count mysql_stmt_field_count mysql_stmt_execute \
	mysql_stmt_result_metadata mysql_stmt_affected_rows mysql_stmt_close \
	mysql_stmt_errno mysql_stmt_error)
comma = ,
unit: $(addprefix build/release/,$(UNIT)) $(addprefix build/asan/,$(UNIT)) \
	$(addprefix build/asan/fuzz_,$(FUZZ))
build/release/test_%: tests/unit/test_%.c tests/unit/unit.h $(call obj,$(CORE) migrate geo) | build/release
	$(CC) $(CPPFLAGS) -Icgi-bin $(ALL_CFLAGS) -c $< -o $@.o
	$(CXX) -o $@ $@.o $(call obj,$(CORE) migrate geo) $(WRAP_$*) $(LIBS) $(GEO_LIBS) -lcmocka
build/asan/test_%: tests/unit/test_%.c tests/unit/unit.h $(addprefix build/asan/,$(addsuffix .o,$(CORE) migrate geo)) | build/asan
	$(CC) $(CPPFLAGS) -Icgi-bin $(ALL_CFLAGS) $(SAN) -c $< -o $@.o
	$(CXX) $(SAN) -o $@ $@.o $(addprefix build/asan/,$(addsuffix .o,$(CORE) migrate geo)) $(WRAP_$*) $(LIBS) $(GEO_LIBS) -lcmocka

# fuzz targets (tests/fuzz, one file each): built here with the ordinary
# compiler and the sanitizers, their main runs the seed corpus and the
# regression inputs (tools/test.sh); make fuzz builds them with afl++
FUZZ_OBJ = $(CORE) import
build/asan/fuzz_%: tests/fuzz/%.c tests/fuzz/fuzz.h $(addprefix build/asan/,$(addsuffix .o,$(FUZZ_OBJ))) | build/asan
	$(CC) $(CPPFLAGS) -Icgi-bin $(ALL_CFLAGS) $(SAN) -c $< -o $@.o
	$(CXX) $(SAN) -o $@ $@.o $(addprefix build/asan/,$(addsuffix .o,$(FUZZ_OBJ))) $(LIBS)

# the same sources and the project's objects under afl++'s compiler, with
# AddressSanitizer and UBSan: make fuzz runs each for FUZZ_SECONDS
AFL_CC = AFL_USE_ASAN=1 AFL_USE_UBSAN=1 AFL_QUIET=1 afl-cc
AFL_CXX = AFL_USE_ASAN=1 AFL_USE_UBSAN=1 AFL_QUIET=1 afl-c++
AFL_FLAGS = -O1 -g -fno-omit-frame-pointer -fno-sanitize-recover=undefined
build/fuzz/obj/%.o: cgi-bin/%.c cgi-bin/*.h | build/fuzz/obj
	$(AFL_CC) $(CPPFLAGS) -std=c11 $(WARN) $(AFL_FLAGS) -c $< -o $@
build/fuzz/obj/%.o: cgi-bin/%.cc cgi-bin/*.h | build/fuzz/obj
	$(AFL_CXX) $(CPPFLAGS) $(ALL_CXXFLAGS) $(AFL_FLAGS) -c $< -o $@
build/fuzz/obj/place.o: cgi-bin/area_codes.inc
# kept between builds (make would delete them as intermediate files)
.SECONDARY: $(addprefix build/fuzz/obj/,$(addsuffix .o,$(FUZZ_OBJ)))
build/fuzz/obj:
	mkdir -p $@
build/fuzz/bin/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(addprefix build/fuzz/obj/,$(addsuffix .o,$(FUZZ_OBJ))) | build/fuzz/obj
	@mkdir -p build/fuzz/bin
	$(AFL_CC) $(CPPFLAGS) -Icgi-bin -std=c11 $(WARN) $(AFL_FLAGS) -c $< -o $@.o
	$(AFL_CXX) $(AFL_FLAGS) -o $@ $@.o $(addprefix build/fuzz/obj/,$(addsuffix .o,$(FUZZ_OBJ))) $(LIBS)
fuzz-build: $(addprefix build/fuzz/bin/,$(or $(FUZZ_TARGETS),$(FUZZ)))
fuzz:
	@tools/deps.sh fuzz
	@$(MAKE) --no-print-directory fuzz-build
	@tools/fuzz.sh $(or $(FUZZ_TARGETS),$(FUZZ))

# cgi-bin/area_codes.inc, the state of each area code, from the geocoder
# (run it when libphonenumber's data changes; test_quiet checks the table)
area-codes: build/release/gen-area-codes
	build/release/gen-area-codes > cgi-bin/area_codes.inc.new && mv cgi-bin/area_codes.inc.new cgi-bin/area_codes.inc
build/release/gen-area-codes: tools/gen-area-codes.c $(call obj,$(CORE) geo) | build/release
	$(CC) $(CPPFLAGS) -Icgi-bin $(ALL_CFLAGS) -c $< -o $@.o
	$(CXX) -o $@ $@.o $(call obj,$(CORE) geo) $(LIBS) $(GEO_LIBS)

deps:
	@tools/deps.sh

run: deps
	@$(MAKE) --no-print-directory all fakecarrier
	@tools/run.sh

test: deps
	@$(MAKE) --no-print-directory all asan unit fakecarrier
	@tools/test.sh

# the chaos tests at length (more rounds) and the soak: CHAOS_MINUTES of
# mixed traffic (default 30) with memory, descriptors and connections sampled
chaos: deps
	@$(MAKE) --no-print-directory all asan unit fakecarrier
	@CHAOS=1 CHAOS_ROUNDS=$${CHAOS_ROUNDS:-5} ONLY="t092 t093" \
		SCRIPT_TIMEOUT=$$(( $${CHAOS_MINUTES:-30} * 60 + 900 )) tools/test.sh

bench: deps
	@$(MAKE) --no-print-directory all tools fakecarrier
	@tools/bench.sh

# the fake carrier (tests and make run): Twilio's Messages API on loopback
fakecarrier: build/release/fakecarrier
build/release/fakecarrier: tests/fakecarrier.c | build/release
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -o $@ $< -lmicrohttpd $(LIBS)

tools: build/release/hello.fcgi
build/release/hello.fcgi: tools/hello.c | build/release
	$(CC) $(ALL_CFLAGS) -o $@ $< -lfcgi

reset:
	rm -rf var

clean:
	rm -rf build cgi-bin/smsdesk.fcgi cgi-bin/smsdeskctl
