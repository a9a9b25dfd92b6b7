# errprobe — build, test, demo, bench. `make test` is what CI runs.
GO       ?= go
# A tagged commit is stamped with its tag; otherwise nothing is stamped and the
# binary names its commit itself (dev-REV), exactly as a plain `go build` does.
VERSION  ?= $(shell git describe --tags --exact-match 2>/dev/null)
GORELEASER ?= $(GO) run github.com/goreleaser/goreleaser/v2@v2.17.0
LDFLAGS  := -X github.com/errprobe/errprobe/cmd.Version=$(VERSION)
FUZZTIME ?= 30s

.PHONY: build install test test-short lint demo bench bench-go bench-burst fuzz release-snapshot clean

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o errprobe .

# go install . into $(go env GOPATH)/bin, with the version from git describe.
install:
	$(GO) install -ldflags "$(LDFLAGS)" .

# vet, formatting, then every test with the race detector.
test: lint
	$(GO) test -race -count=1 ./...

# The inner loop: no race detector, and -short leaves out the tests that
# build errprobe or walk every profile key against a server (make test runs them).
test-short:
	$(GO) test -short ./...

lint:
	$(GO) vet ./...
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt -l lists unformatted files:"; echo "$$out"; exit 1; fi

demo:
	$(GO) run . demo

# Go benchmarks, then the burst comparison against hey and wrk.
bench: bench-go bench-burst

# Every benchmark once at the default 1s benchtime (the demo runs take one
# rate-limit window each); about 30s on 2 cores, bounded by -timeout.
bench-go:
	$(GO) test -run '^$$' -bench . -benchmem -timeout 4m ./...

bench-burst: build
	bash scripts/bench-burst.sh

# Each fuzz target for FUZZTIME (default 30s); findings land in testdata/fuzz as regression seeds.
fuzz:
	bash scripts/fuzz.sh $(FUZZTIME)

# The release archives (linux, darwin, windows × amd64, arm64) and checksums.txt
# in dist/, from .goreleaser.yaml, without publishing. goreleaser runs from the
# module proxy at a pinned version: it is not a dependency of errprobe's go.mod.
release-snapshot:
	$(GORELEASER) release --snapshot --clean

clean:
	rm -rf errprobe dist
