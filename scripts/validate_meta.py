#!/usr/bin/python3
"""Validate META.json against the PGXN Meta Spec v1 (https://pgxn.org/spec/)
and against the project itself (control file version, files that exist).

Rules checked (spec v1.0.0): the required keys name, version, abstract,
maintainer, license, provides, meta-spec; no unknown top-level keys except
x_/X_ custom keys; name is a "term" (>= 2 chars, no whitespace, slash,
backslash or control characters); versions are SemVer; license is a known
shortcut, a list of them, or a {name: URI} object; every provided extension
has file + version and only the allowed keys; prereqs use the defined phases
and relationships; release_status is stable/testing/unstable; meta-spec
version is 1.0.0.  Exit status 1 and one line per error when invalid.
"""
import json
import os
import re
import sys

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
                    r"(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?"
                    r"(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$")
LICENSES = {"agpl_3", "apache_1_1", "apache_2_0", "artistic_1", "artistic_2", "bsd",
            "freebsd", "gfdl_1_2", "gfdl_1_3", "gpl_1", "gpl_2", "gpl_3", "lgpl_2_1",
            "lgpl_3_0", "mit", "mozilla_1_0", "mozilla_1_1", "openssl", "perl_5",
            "postgresql", "qpl_1_0", "ssleay", "sun", "zlib", "open_source",
            "restricted", "unrestricted", "unknown"}
TOP = {"name", "version", "abstract", "maintainer", "license", "provides", "meta-spec",
       "description", "generated_by", "tags", "no_index", "prereqs", "release_status",
       "resources"}
REQUIRED = ["name", "version", "abstract", "maintainer", "license", "provides", "meta-spec"]
PHASES = {"configure", "build", "test", "runtime", "develop"}
RELATIONS = {"requires", "recommends", "suggests", "conflicts"}
EXT_KEYS = {"file", "version", "abstract", "docfile"}

errors = []


def err(msg):
    errors.append(msg)


def custom(key):
    return re.match(r"^[xX]_.", key) is not None


def term(value, where):
    if not isinstance(value, str) or len(value) < 2 or re.search(r"[\s/\\\x00-\x1f]", value):
        err(f"{where}: {value!r} is not a valid term")


def semver(value, where):
    if not isinstance(value, str) or not SEMVER.match(value):
        err(f"{where}: {value!r} is not a SemVer version")


def nonempty_string(value, where):
    if not isinstance(value, str) or not value:
        err(f"{where}: must be a non-empty string")


def main(path, root):
    meta = json.load(open(path, encoding="utf-8"))
    if not isinstance(meta, dict):
        err("META.json must hold an object")
        return
    for k in REQUIRED:
        if k not in meta:
            err(f"missing mandatory field '{k}'")
    for k in meta:
        if k not in TOP and not custom(k):
            err(f"unknown top-level field '{k}'")
    term(meta.get("name"), "name")
    semver(meta.get("version"), "version")
    nonempty_string(meta.get("abstract"), "abstract")
    if "description" in meta:
        nonempty_string(meta["description"], "description")
    m = meta.get("maintainer")
    if isinstance(m, list):
        if not m:
            err("maintainer: empty list")
        for i, x in enumerate(m):
            nonempty_string(x, f"maintainer[{i}]")
    else:
        nonempty_string(m, "maintainer")
    lic = meta.get("license")
    if isinstance(lic, str):
        if lic not in LICENSES:
            err(f"license: unknown shortcut {lic!r}")
    elif isinstance(lic, list):
        if not lic or any(x not in LICENSES for x in lic):
            err("license: list must hold known shortcuts")
    elif isinstance(lic, dict):
        if not lic or any(not isinstance(v, str) or not re.match(r"^[a-z][a-z0-9+.-]*:", v)
                          for v in lic.values()):
            err("license: object values must be URIs")
    else:
        err("license: wrong type")
    prov = meta.get("provides")
    if not isinstance(prov, dict) or not prov:
        err("provides: must be a non-empty object")
    else:
        for ext, spec in prov.items():
            term(ext, f"provides key {ext!r}")
            if not isinstance(spec, dict):
                err(f"provides.{ext}: must be an object")
                continue
            for k in spec:
                if k not in EXT_KEYS and not custom(k):
                    err(f"provides.{ext}: unknown field '{k}'")
            for k in ("file", "version"):
                if k not in spec:
                    err(f"provides.{ext}: missing '{k}'")
            semver(spec.get("version"), f"provides.{ext}.version")
            for k in ("file", "docfile"):
                if k in spec:
                    p = spec[k]
                    if not isinstance(p, str) or p.startswith("/") or "\\" in p:
                        err(f"provides.{ext}.{k}: must be a relative unix path")
                    elif not os.path.exists(os.path.join(root, p)):
                        err(f"provides.{ext}.{k}: {p} does not exist (run make first)")
    ms = meta.get("meta-spec")
    if not isinstance(ms, dict) or ms.get("version") != "1.0.0":
        err("meta-spec: version must be 1.0.0")
    if "release_status" in meta and meta["release_status"] not in ("stable", "testing", "unstable"):
        err("release_status: must be stable, testing or unstable")
    if "tags" in meta:
        t = meta["tags"]
        if not isinstance(t, list) or not t or any(
                not isinstance(x, str) or not 1 <= len(x) <= 255 for x in t):
            err("tags: must be a list of 1..255-character strings")
    if "prereqs" in meta:
        pr = meta["prereqs"]
        if not isinstance(pr, dict):
            err("prereqs: must be an object")
        else:
            for phase, rels in pr.items():
                if phase not in PHASES and not custom(phase):
                    err(f"prereqs: unknown phase '{phase}'")
                    continue
                for rel, deps in rels.items():
                    if rel not in RELATIONS and not custom(rel):
                        err(f"prereqs.{phase}: unknown relationship '{rel}'")
                        continue
                    for dep, ver in deps.items():
                        term(dep, f"prereqs.{phase}.{rel} key")
                        if ver != 0 and not (isinstance(ver, str) and re.match(
                                r"^(\s*(==|!=|>=|<=|>|<)?\s*\d+\.\d+\.\d+\S*\s*,?)+$", ver)):
                            err(f"prereqs.{phase}.{rel}.{dep}: bad version range {ver!r}")
    # consistency with the project
    control = open(os.path.join(root, "socroi.control"), encoding="utf-8").read()
    dv = re.search(r"default_version\s*=\s*'([^']+)'", control).group(1)
    if meta.get("version") != dv:
        err(f"version {meta.get('version')} differs from socroi.control's {dv}")
    if isinstance(prov, dict) and prov.get("socroi", {}).get("version") != dv:
        err("provides.socroi.version differs from socroi.control")


if __name__ == "__main__":
    path = sys.argv[1] if len(sys.argv) > 1 else "META.json"
    root = os.path.dirname(os.path.abspath(path))
    try:
        main(path, root)
    except (ValueError, OSError) as e:
        err(str(e))
    if errors:
        print(f"{path} is invalid:")
        for e in errors:
            print("  - " + e)
        sys.exit(1)
    print(f"{path} is OK")
