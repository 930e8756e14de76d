#!/usr/bin/env bash
# The drivers BI tools use, on every cookbook query, dashboard source query,
# BI view and type of the extension: JDBC (pgjdbc) and ODBC (psqlODBC via
# unixODBC and pyodbc), every value compared with psycopg2's.  bi_clients.py.
# JDBC speaks TCP only, so the suite runs its own throwaway cluster, listening
# on 127.0.0.1 (a free port), with the demo warehouse.
source "$(dirname "$0")/../../scripts/lib.sh"
socroi_deps default-jre-headless libpostgresql-jdbc-java odbc-postgresql unixodbc python3-pyodbc
SOCROI_JDBC_JAR=/usr/share/java/postgresql.jar
export SOCROI_JDBC_JAR
socroi_cluster_start
socroi_cluster_tcp
socroi_load_demo socroi_bi
psql -XAtq -d socroi_bi -c "ALTER DATABASE socroi_bi SET timezone = 'UTC'" >/dev/null
export PGHOST=127.0.0.1 PGDATABASE=socroi_bi
cd "$SOCROI_ROOT"
/usr/bin/python3 test/suites/bi_clients.py
socroi_check_no_crash >/dev/null
