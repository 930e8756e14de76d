#!/usr/bin/env bash
# channels: checks outside one UTF8 database.
#  1. src/channels/ga4_source_categories.c is what scripts/gen_source_categories.py
#     makes from data/ga4_source_categories.csv (the committed table is not
#     stale).
#  2. utm() decoding in databases of other encodings: escapes of non-ASCII
#     bytes decode as UTF-8 only in UTF8 and SQL_ASCII databases; in LATIN1
#     they stay literally (an escaped UTF-8 sequence is not LATIN1 text), and
#     the result is always valid in the database encoding.
# Run by scripts/test.sh with PGHOST etc. pointing at the throwaway cluster.
set -euo pipefail
cd "$(dirname "$0")/../.."
failed=0
export PGOPTIONS='-c client_min_messages=warning'

python3 scripts/gen_source_categories.py --check || failed=1

check() {  # db sql expected description
    local got
    got=$(psql -XAtq -d "$1" -v ON_ERROR_STOP=1 -c "$2") || { echo "not ok - $4 (error)"; failed=1; return; }
    if [ "$got" = "$3" ]; then
        echo "ok - $4"
    else
        echo "not ok - $4: got [$got], want [$3]"; failed=1
    fi
}

for enc in LATIN1 SQL_ASCII; do
    db=socroi_channels_$(echo "$enc" | tr 'A-Z' 'a-z')
    psql -XAtq -d postgres -c "DROP DATABASE IF EXISTS $db" \
        -c "CREATE DATABASE $db TEMPLATE template0 ENCODING '$enc' LC_COLLATE 'C' LC_CTYPE 'C'" >/dev/null
    psql -XAtq -d "$db" -c 'CREATE EXTENSION socroi' >/dev/null
done

# %41 = 'A' (ASCII escapes decode everywhere); %C3%A9 = UTF-8 of U+00E9
check socroi_channels_latin1 "SELECT (utm('/?utm_source=%41%C3%A9+x')).source = 'A%C3%A9 x'" 't' \
    'LATIN1: %41 -> A, %C3%A9 kept, + -> space'
# a raw LATIN1 character (client sends UTF-8, the server stores LATIN1 0xE9)
check socroi_channels_latin1 "SELECT (utm('/?utm_term=caf' || chr(233))).term = 'caf' || chr(233)" 't' \
    'LATIN1: raw non-ASCII characters pass through'
check socroi_channels_latin1 "SELECT channel_group(traffic_source('https://x/', 'https://www.google.fr/'))" \
    'Organic Search' 'LATIN1: traffic_source and channel_group'
# SQL_ASCII: the escape decodes to the two UTF-8 bytes C3 A9
check socroi_channels_sql_ascii "SELECT encode(convert_to((utm('/?utm_source=%C3%A9%ZZ')).source, 'SQL_ASCII'), 'hex')" \
    'c3a9255a5a' 'SQL_ASCII: %C3%A9 decodes to bytes C3 A9, %ZZ kept'
check socroi_channels_sql_ascii "SELECT (utm('/?utm_source=%C3')).source" '%C3' \
    'SQL_ASCII: an invalid UTF-8 sequence is kept'

for db in socroi_channels_latin1 socroi_channels_sql_ascii; do
    psql -XAtq -d postgres -c "DROP DATABASE $db" >/dev/null
done
exit $failed
