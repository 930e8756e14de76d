# socroi -- social-media ROI, attribution and CLV for PostgreSQL (PGXS build)
#
# Layout (see README "Repository layout"):
#   src/*.c               the C code, split by domain
#   sql/NN_domain.sql     the SQL surface of each domain; concatenated in order
#                         into sql/socroi--$(EXTVERSION).sql (the install script)
#   sql/socroi--A--B.sql  upgrade scripts; released install scripts stay frozen
#   test/sql/*.sql        pg_regress inputs  (pg_regress --inputdir=test)
#   expected/*.out        pg_regress expected outputs (read from --outputdir=.)
#   test/pgtap/*.sql      pgTAP suites run by pg_prove
#
# Targets beyond PGXS:
#   make test    install dependencies, build with -Werror, install, run
#                pg_regress and pgTAP on a throwaway cluster (scripts/test.sh)
#   make demo    the same set-up, then a generated sample warehouse and its
#                reports (scripts/demo.sh)

EXTENSION    = socroi
EXTVERSION   = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" socroi.control)

MODULE_big   = socroi
SRCS         = $(sort $(wildcard src/*.c))
OBJS         = $(SRCS:.c=.o)
SOCROI_HEADERS  = $(wildcard src/*.h)

SQL_PARTS    = $(sort $(wildcard sql/[0-9][0-9]_*.sql))
SQL_BUILT    = sql/$(EXTENSION)--$(EXTVERSION).sql
SQL_FROZEN   = $(filter-out $(SQL_BUILT),$(wildcard sql/$(EXTENSION)--*.sql))
DATA         = $(SQL_FROZEN)
DATA_built   = $(SQL_BUILT)

TESTS        = $(sort $(wildcard test/sql/*.sql))
REGRESS      = $(patsubst test/sql/%.sql,%,$(TESTS))
REGRESS_OPTS = --inputdir=test --outputdir=. --load-extension=$(EXTENSION)

EXTRA_CLEAN  = results regression.diffs regression.out log tmp_check

PG_CONFIG   ?= pg_config
PG_CPPFLAGS += -I$(srcdir)/src
# -Werror is added by scripts/test.sh (SOCROI_WERROR=1) so users' builds on
# other compilers are not broken by a new warning.
ifeq ($(SOCROI_WERROR),1)
PG_CFLAGS   += -Werror
endif

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

$(OBJS): $(SOCROI_HEADERS)

$(SQL_BUILT): $(SQL_PARTS) socroi.control
	@echo "-- socroi $(EXTVERSION) install script: generated from sql/NN_*.sql by make; edit those" > $@.tmp
	@printf '%s\n' '\echo Use "CREATE EXTENSION socroi" to load this file. \quit' >> $@.tmp
	@for f in $(SQL_PARTS); do printf '\n-- ---- %s ----\n' "$$f" >> $@.tmp; cat "$$f" >> $@.tmp; done
	@mv $@.tmp $@

.PHONY: test demo bench
test:
	./scripts/test.sh

demo:
	./scripts/demo.sh

bench:
	./bench/run.sh

# Release tarball for PGXN: the committed tree (git archive HEAD) plus the
# generated install script, zipped as PGXN expects.
DISTNAME = $(EXTENSION)-$(EXTVERSION)
.PHONY: dist
dist: $(SQL_BUILT)
	rm -rf .build/dist && mkdir -p .build/dist
	git archive --format=tar --prefix=$(DISTNAME)/ HEAD | tar -x -C .build/dist
	cp $(SQL_BUILT) .build/dist/$(DISTNAME)/sql/
	rm -f $(DISTNAME).zip
	cd .build/dist && python3 -m zipfile -c ../../$(DISTNAME).zip $(DISTNAME)
	@echo "wrote $(DISTNAME).zip"
