# dxindex — the whole set-up on a fresh machine is `make run` and `make test`.
# `make help` lists the targets.

SHELL := /bin/bash
GO ?= go
BIN := bin/dxindex
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
DATA_DIR ?= ./.dxindex
ADDR ?= 127.0.0.1:8080

.DEFAULT_GOAL := help

.PHONY: help
help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  \033[36m%-10s\033[0m %s\n", $$1, $$2}'

.PHONY: build
build: ## build bin/dxindex
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/dxindex

.PHONY: run
run: postgres build ## run dxindex with demo data on a private PostgreSQL (DATABASE_URL switches to a server)
	@# The demo is loaded once (a second run changes nothing and prints the
	@# accounts again); a database with data of its own is left alone.
	@-./$(BIN) seed --data-dir '$(DATA_DIR)' --log-level warn
	@echo "Starting dxindex on http://$(ADDR)/ (data in $(DATA_DIR); Ctrl-C stops it)"
	./$(BIN) serve --data-dir '$(DATA_DIR)' --addr '$(ADDR)'

.PHONY: test
test: postgres chromium lint ## lint, every test against a real PostgreSQL and a headless Chromium, short fuzzing
	@$(MAKE) --no-print-directory fuzz
	$(GO) test -race -count=1 -timeout 15m ./...

# Every fuzz target, a few seconds each: by default a number of executions
# per target (its speed differs a hundredfold), not a duration. A duration
# can fail with a bare "context deadline exceeded" when it ends while a
# worker is busy, a race in Go's fuzz coordinator (go.dev/issue/75804,
# fixed in Go 1.27); a count never waits on that deadline. For a longer
# run give a count or a duration: make fuzz FUZZTIME=5m.
FUZZTIME ?=
.PHONY: fuzz
fuzz: ## run each fuzz target for a few seconds (or FUZZTIME)
	@set -e; for pkg in $$($(GO) list ./...); do \
		for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz' || true); do \
			n='$(FUZZTIME)'; \
			if [ -z "$$n" ]; then case $$f in FuzzLoad) n=2000x;; FuzzAnswers) n=20000x;; FuzzReadTable|FuzzSetFromXLSX) n=10000x;; *) n=100000x;; esac; fi; \
			echo "fuzz $$pkg $$f ($$n)"; \
			$(GO) test -run '^$$' -fuzz "^$$f\$$" -fuzztime $$n $$pkg >/tmp/dxindex-fuzz.log 2>&1 || { cat /tmp/dxindex-fuzz.log; exit 1; }; \
		done; \
	done

# staticcheck, pinned; fetched through the module proxy on first use.
# govulncheck and gosec are not here: govulncheck needs vuln.go.dev and
# both need module versions the proxy this project builds with refuses.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: lint
lint: ## go vet, gofmt, staticcheck and the dependency-direction rule
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	@unformatted="$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))"; \
	if [ -n "$$unformatted" ]; then echo "gofmt needed on:"; echo "$$unformatted"; exit 1; fi
	@# The domain never depends on the web layer (docs/architecture.md).
	@bad="$$($(GO) list -deps ./indicators/... ./survey/... ./dashboard/... | grep -E 'labstack/echo|dxindex/internal/web|dxindex/cmd' || true)"; \
	if [ -n "$$bad" ]; then echo "domain packages import the web layer:"; echo "$$bad"; exit 1; fi
	@# The engine is pure: indicators knows nothing of SQL (its sets are stored by internal/setstore).
	@bad="$$($(GO) list -deps ./indicators/... | grep -E 'jackc/pgx|dxindex/internal/postgres|database/sql' || true)"; \
	if [ -n "$$bad" ]; then echo "indicators depends on a database package:"; echo "$$bad"; exit 1; fi
	@# survey's pure part (survey/model) needs no database either: the web layer names its types.
	@bad="$$($(GO) list -deps ./survey/model/... | grep -E 'jackc/pgx|riverqueue|dxindex/internal/postgres|database/sql' || true)"; \
	if [ -n "$$bad" ]; then echo "survey/model depends on a database package:"; echo "$$bad"; exit 1; fi
	@# The shapes web names (issue 19) are pure too: the dashboard's and the set store's views.
	@bad="$$($(GO) list -deps ./dashboard/dashview ./internal/setstore/setview | grep -E 'jackc/pgx|riverqueue|dxindex/internal/postgres|database/sql' || true)"; \
	if [ -n "$$bad" ]; then echo "a view package depends on a database package:"; echo "$$bad"; exit 1; fi
	@# The web layer is handed built services and holds no database (issue 19):
	@# nothing it depends on, directly or not, is pgx or river.
	@bad="$$($(GO) list -deps ./internal/web | grep -E 'jackc/|riverqueue' || true)"; \
	if [ -n "$$bad" ]; then echo "internal/web depends on the database driver:"; echo "$$bad"; exit 1; fi
	@# survey is the one writer of units, users and sessions.
	@bad="$$(grep -rln --include='*.go' --exclude='*_test.go' 'INSERT INTO units\|INSERT INTO users\|DELETE FROM sessions' . | grep -v '^./survey/' || true)"; \
	if [ -n "$$bad" ]; then echo "units, users or sessions written outside survey:"; echo "$$bad"; exit 1; fi

.PHONY: bench
bench: ## run the benchmarks (one core)
	$(GO) test -run '^$$' -bench . -benchmem -cpu 1 ./...

# load: a fresh private dxindex on a temporary data dir, then dxload against
# it; prints latency percentiles per endpoint and checks every acknowledged
# write is in the database (docs/performance.md).
PRINCIPALS ?= 500
DURATION ?= 60s
PACE ?= 2s
RAMP ?= 15s
LOADFLAGS ?=
.PHONY: load
load: postgres build ## load test: PRINCIPALS principals autosaving for DURATION against a fresh server
	@$(GO) build -o bin/dxload ./cmd/dxload
	@set -e; dir=$$(mktemp -d /tmp/dxload.XXXXXX); chmod 755 $$dir; \
	./$(BIN) serve --data-dir $$dir --addr 127.0.0.1:18765 --log-level warn >$$dir/serve.log 2>&1 & pid=$$!; \
	trap 'kill $$pid 2>/dev/null; wait $$pid 2>/dev/null; rm -rf $$dir' EXIT; \
	for i in $$(seq 1 300); do curl -sf -o /dev/null http://127.0.0.1:18765/readyz && break; sleep 0.2; done; \
	./bin/dxload --base http://127.0.0.1:18765 --database-url "postgres://dxindex@/dxindex?host=$$dir/pgsock" \
		--principals $(PRINCIPALS) --duration $(DURATION) --pace $(PACE) --ramp $(RAMP) $(LOADFLAGS)

# multi: two dxindex instances on one PostgreSQL behind nginx (round robin
# on loopback): a session made through one works through the other, and
# dxload through nginx loses nothing (docs/operations.md).
.PHONY: multi
multi: postgres build ## two instances behind nginx, dxload through it
	@command -v nginx >/dev/null || { echo "needs nginx: apt-get install -y nginx-light"; exit 1; }
	@$(GO) build -o bin/dxload ./cmd/dxload
	@set -e; dir=$$(mktemp -d /tmp/dxmulti.XXXXXX); chmod 755 $$dir; \
	./$(BIN) serve --data-dir $$dir --addr 127.0.0.1:18771 --trusted-proxies 127.0.0.1 --log-level info >$$dir/a.log 2>&1 & a=$$!; \
	trap 'kill $$a $$b 2>/dev/null; nginx -p $$dir -c $$dir/nginx.conf -s stop 2>/dev/null; wait; rm -rf $$dir' EXIT; \
	for i in $$(seq 1 300); do curl -sf -o /dev/null http://127.0.0.1:18771/readyz && break; sleep 0.2; done; \
	db="postgres://dxindex@/dxindex?host=$$dir/pgsock"; \
	./$(BIN) seed --database-url "$$db" --quiet --log-level warn >/dev/null; \
	./$(BIN) serve --database-url "$$db" --addr 127.0.0.1:18772 --trusted-proxies 127.0.0.1 --log-level info >$$dir/b.log 2>&1 & b=$$!; \
	for i in $$(seq 1 300); do curl -sf -o /dev/null http://127.0.0.1:18772/readyz && break; sleep 0.2; done; \
	printf 'pid %s/nginx.pid;\nerror_log %s/nginx.err;\nevents {}\nhttp {\n access_log off;\n client_body_temp_path %s;\n upstream dx { server 127.0.0.1:18771; server 127.0.0.1:18772; keepalive 64; }\n server { listen 127.0.0.1:18770; client_max_body_size 12m;\n  location / { proxy_pass http://dx; proxy_http_version 1.1; proxy_set_header Connection \"\"; proxy_set_header Host $$host; proxy_set_header X-Forwarded-For $$remote_addr; } }\n}\n' $$dir $$dir $$dir > $$dir/nginx.conf; \
	nginx -p $$dir -c $$dir/nginx.conf; \
	./bin/dxload --base http://127.0.0.1:18770 --database-url "$$db" --principals $(PRINCIPALS) --duration $(DURATION) --pace $(PACE) --ramp $(RAMP) $(LOADFLAGS); \
	echo "requests served: instance A $$(grep -c msg=request $$dir/a.log || true), instance B $$(grep -c msg=request $$dir/b.log || true)"; \
	ra=$$(curl -sf 'http://127.0.0.1:18771/api/v1/campaigns/2/rankings?unit=34' | md5sum); \
	rb=$$(curl -sf 'http://127.0.0.1:18772/api/v1/campaigns/2/rankings?unit=34' | md5sum); \
	[ "$$ra" = "$$rb" ] && echo "PASS: both instances serve identical rankings ($$ra)" || { echo "FAIL: rankings differ"; exit 1; }; \
	tok=$$(curl -sf -X POST -H 'Content-Type: application/json' -d '{"username":"load.load-00000","password":"load-password-LOAD-00000"}' http://127.0.0.1:18771/api/v1/auth/login | sed 's/.*"token":"\([^"]*\)".*/\1/'); \
	ca=$$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $$tok" http://127.0.0.1:18771/api/v1/me); \
	cb=$$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $$tok" http://127.0.0.1:18772/api/v1/me); \
	echo "a session made on instance A: /api/v1/me on A $$ca, on B $$cb"; \
	[ "$$ca" = 200 ] && [ "$$cb" = 200 ] && echo "PASS: sessions shared across instances" || { echo "FAIL: session not shared"; exit 1; }

.PHONY: scale
scale: ## dashboard at national scale: 45,000 schools, 200 clients (docs/performance.md)
	DXINDEX_SCALE_SCHOOLS=45000 DXINDEX_SCALE_SECONDS=30 $(GO) test -run TestDashboardScale -v -count=1 -timeout 40m ./internal/web/

# compare: dxindex composite against the pandas pipeline of COINr's reference
# (COINR, a checkout of ../shared/reference/coinr), whole process against whole
# process, alternating, COMPARE_RUNS times each; prints the medians, the ratio
# and the load average (docs/performance.md, "Composite index").
COINR ?= ../shared/reference/coinr
COMPARE_N ?= 50000
COMPARE_RUNS ?= 7
.PHONY: compare
compare: pandas build ## composite index: dxindex vs pandas, 50,000 units x 40 indicators, medians and ratio
	@test -f '$(COINR)/gen_data.py' -a -f '$(COINR)/pandas_bench.py' || { echo "COINR=$(COINR) lacks gen_data.py and pandas_bench.py: set COINR to COINr's reference directory"; exit 1; }
	@scripts/compare.sh ./$(BIN) '$(COINR)' $(COMPARE_N) $(COMPARE_RUNS)

# pandas makes sure Debian's python3-pandas (the baseline of make compare) is
# importable by /usr/bin/python3: as root on Debian/Ubuntu it installs it;
# otherwise it prints the command to run.
.PHONY: pandas
pandas:
	@if /usr/bin/python3 -c 'import pandas, numpy' >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "python3-pandas not found: installing it with apt-get"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y --no-install-recommends python3-pandas >/dev/null 2>&1 || \
		{ apt-get update >/dev/null && apt-get install -y --no-install-recommends python3-pandas; } || exit 1; \
	else \
		echo "The comparison needs Debian's pandas for /usr/bin/python3."; \
		echo "Install it:  sudo apt-get install -y python3-pandas   (Debian/Ubuntu)"; \
		exit 1; \
	fi

.PHONY: clean
clean: ## remove build output (not the data dir)
	rm -rf bin

# postgres makes sure the PostgreSQL server binaries (initdb, postgres) are
# here: dxindex and its tests run a private cluster from them. As root on
# Debian/Ubuntu it installs them; otherwise it prints the command to run.
.PHONY: postgres
postgres:
	@if [ -n "$$DATABASE_URL" ] && [ "$(MAKECMDGOALS)" = run ]; then exit 0; fi; \
	if [ -n "$$PG_BIN" ] && [ -x "$$PG_BIN/initdb" ]; then exit 0; fi; \
	if command -v initdb >/dev/null 2>&1 && command -v postgres >/dev/null 2>&1; then exit 0; fi; \
	if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then exit 0; fi; \
	if command -v pg_config >/dev/null 2>&1 && [ -x "$$(pg_config --bindir)/initdb" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "PostgreSQL server binaries not found: installing them with apt-get"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y --no-install-recommends postgresql postgresql-contrib >/dev/null 2>&1 || \
		{ apt-get update >/dev/null && apt-get install -y --no-install-recommends postgresql postgresql-contrib; } || exit 1; \
	else \
		echo "PostgreSQL server binaries (initdb, postgres) not found."; \
		echo "Install them:  sudo apt-get install -y postgresql      (Debian/Ubuntu)"; \
		echo "               brew install postgresql@15              (macOS)"; \
		echo "or set PG_BIN to the directory holding initdb and postgres,"; \
		echo "or set DATABASE_URL to an existing server (make run only)."; \
		exit 1; \
	fi

# chromium makes sure a headless browser is here for the browser tests
# (with a font that has Vietnamese glyphs, or screenshots show boxes).
.PHONY: chromium
chromium:
	@if [ -n "$$CHROMIUM" ] && [ -x "$$CHROMIUM" ]; then exit 0; fi; \
	if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Chromium not found: installing chromium and fonts-noto-core with apt-get"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y --no-install-recommends chromium fonts-noto-core >/dev/null 2>&1 || \
		{ apt-get update >/dev/null && apt-get install -y --no-install-recommends chromium fonts-noto-core; } || exit 1; \
	else \
		echo "Chromium (for the browser tests) not found."; \
		echo "Install it:  sudo apt-get install -y chromium fonts-noto-core   (Debian/Ubuntu)"; \
		echo "or set CHROMIUM to a Chrome or Chromium executable."; \
		exit 1; \
	fi
