"""Binary COPY of one-column values, for the suites that exercise the
send and receive functions of socroi's types (aggregates.py, upgrades.py)."""
import io
import struct


def copy_out_binary(cur, query):
    """Values of a one-column query in binary form (the send functions);
    None for NULL."""
    buf = io.BytesIO()
    cur.copy_expert(f"COPY ({query}) TO STDOUT (FORMAT binary)", buf)
    data = buf.getvalue()
    pos = 11 + 4                    # signature, flags
    ext = struct.unpack(">i", data[pos:pos + 4])[0]
    pos += 4 + ext                  # header extension
    out = []
    while True:
        (nf,) = struct.unpack(">h", data[pos:pos + 2])
        pos += 2
        if nf == -1:
            return out
        (ln,) = struct.unpack(">i", data[pos:pos + 4])
        pos += 4
        if ln < 0:
            out.append(None)
            continue
        out.append(data[pos:pos + ln])
        pos += ln


def copy_in_binary(cur, table, blobs):
    """COPY binary values (None: NULL) into a one-column table: the receive
    function reads each."""
    body = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
    for b in blobs:
        body += struct.pack(">hi", 1, len(b)) + b if b is not None else struct.pack(">hi", 1, -1)
    body += struct.pack(">h", -1)
    cur.copy_expert(f"COPY {table} FROM STDIN (FORMAT binary)", io.BytesIO(body))
