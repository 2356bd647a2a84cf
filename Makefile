# Dunning Desk — the two commands that matter:
#   make run    install build dependencies, build, create a demo office if none, start the app
#   make check  build and run the whole test suite headless; ends with "N passed, N failed"
# and make bench for the benchmarks (not part of make check).

BUILDDIR    ?= _build
CHECKDIR    ?= _build-check
FUZZDIR     ?= _build-fuzz
BENCHDIR    ?= _build-bench
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DATA_HOME   := $(or $(XDG_DATA_HOME),$(HOME)/.local/share)
OFFICE_DB   ?= $(DATA_HOME)/dunning-desk/office.db
DEMO_LOCALE ?= pl

.PHONY: all deps test-deps build run check bench clean

all: build

# Installs whatever Debian packages from the list are missing (once per machine).
deps:
	@build-aux/install-deps.sh build-aux/debian-build-deps.txt

test-deps: deps
	@build-aux/install-deps.sh build-aux/debian-test-deps.txt

$(BUILDDIR)/build.ninja:
	meson setup $(BUILDDIR) --buildtype=debugoptimized

build: deps $(BUILDDIR)/build.ninja
	ninja -C $(BUILDDIR)

run: build
	@if [ ! -e "$(OFFICE_DB)" ]; then \
	  echo "Creating a demo office in $(OFFICE_DB)…"; \
	  $(BUILDDIR)/src/dunning-desk-cli demo-office --debtors 300 --locale $(DEMO_LOCALE) \
	    --database "$(OFFICE_DB)"; \
	fi
	GSETTINGS_SCHEMA_DIR=$(BUILDDIR)/data DD_SOUNDS_DIR=$(CURDIR)/data/sounds $(BUILDDIR)/src/ui/dunning-desk --database "$(OFFICE_DB)"

check: test-deps
	@build-aux/check.sh "$(CHECKDIR)" "$(FUZZDIR)"

bench: deps
	@build-aux/bench.sh "$(BENCHDIR)"

clean:
	rm -rf $(BUILDDIR) $(CHECKDIR) $(FUZZDIR) $(BENCHDIR)
