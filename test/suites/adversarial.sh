#!/usr/bin/env bash
# Hostile inputs for every function and aggregate; see adversarial.py.
set -euo pipefail
cd "$(dirname "$0")"
psql -XAtq -d postgres -c 'DROP DATABASE IF EXISTS socroi_adv' -c 'CREATE DATABASE socroi_adv' >/dev/null
psql -XAtq -d socroi_adv -c 'CREATE EXTENSION socroi' >/dev/null
PGDATABASE=socroi_adv /usr/bin/python3 adversarial.py
