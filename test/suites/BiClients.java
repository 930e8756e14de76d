// The JDBC side of test/suites/bi_clients.py: runs queries through
// PostgreSQL's JDBC driver (pgjdbc, the driver of Metabase, Tableau, DBeaver
// and Looker) and prints, per query, one JSON line with the columns as the
// driver describes them and every value as the driver returns it.
//
//   java -cp postgresql.jar BiClients.java JDBC_URL < queries
//
// Input: one query per line, "id<TAB>base64(sql)".  Output per query:
//   {"id": ..., "columns": [{"name", "type", "sqlType", "class"}], "rows": [[[class, text], ...]]}
// or {"id": ..., "error": "..."}.  A value is [the class of getObject(), its
// text]: Double.toString (round-trips exactly), BigDecimal.toPlainString,
// timestamptz through getObject(i, OffsetDateTime.class), arrays and
// PGobject (composite and extension types) through getString().
// Run with -Duser.timezone=UTC: pgjdbc sets the session time zone to the JVM's.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.JDBCType;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.Base64;

public class BiClients {
    static String json(String s) {
        if (s == null) return "null";
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
            }
        }
        return b.append('"').toString();
    }

    static String sqlTypeName(int t) {
        try {
            return JDBCType.valueOf(t).getName();
        } catch (IllegalArgumentException e) {
            return Integer.toString(t);
        }
    }

    static String value(ResultSet rs, ResultSetMetaData md, int i) throws SQLException {
        Object o = rs.getObject(i);
        if (o == null) return "null";
        String cls = o.getClass().getName();
        String text;
        if (o instanceof Double) {
            text = Double.toString((Double) o);
        } else if (o instanceof Float) {
            text = Float.toString((Float) o);
        } else if (o instanceof BigDecimal) {
            text = ((BigDecimal) o).toPlainString();
        } else if (o instanceof java.sql.Timestamp && md.getColumnTypeName(i).equals("timestamptz")) {
            text = rs.getObject(i, OffsetDateTime.class).toString();
        } else if (o instanceof java.sql.Array) {
            text = rs.getString(i);
            cls = cls + "<" + ((java.sql.Array) o).getBaseTypeName() + ">";
        } else if (o instanceof Boolean || o instanceof Number || o instanceof String
                   || o instanceof java.sql.Date) {
            text = o.toString();
        } else {
            text = rs.getString(i);   // PGobject: composite and extension types
        }
        return "[" + json(cls) + "," + json(text) + "]";
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java -cp postgresql.jar BiClients.java JDBC_URL < queries");
            System.exit(2);
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (Connection conn = DriverManager.getConnection(args[0])) {
            System.out.println("{\"driver\": " + json(conn.getMetaData().getDriverName() + " "
                    + conn.getMetaData().getDriverVersion()) + "}");
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) continue;
                String[] parts = line.split("\t", 2);
                String sql = new String(Base64.getDecoder().decode(parts[1]), StandardCharsets.UTF_8);
                StringBuilder out = new StringBuilder("{\"id\": " + json(parts[0]));
                try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                    ResultSetMetaData md = rs.getMetaData();
                    int n = md.getColumnCount();
                    out.append(", \"columns\": [");
                    for (int i = 1; i <= n; i++) {
                        if (i > 1) out.append(", ");
                        out.append("{\"name\": ").append(json(md.getColumnLabel(i)))
                           .append(", \"type\": ").append(json(md.getColumnTypeName(i)))
                           .append(", \"sqlType\": ").append(json(sqlTypeName(md.getColumnType(i))))
                           .append(", \"class\": ").append(json(md.getColumnClassName(i))).append("}");
                    }
                    out.append("], \"rows\": [");
                    boolean first = true;
                    while (rs.next()) {
                        out.append(first ? "[" : ", [");
                        first = false;
                        for (int i = 1; i <= n; i++) {
                            if (i > 1) out.append(", ");
                            out.append(value(rs, md, i));
                        }
                        out.append("]");
                    }
                    out.append("]");
                } catch (SQLException e) {
                    out.append(", \"error\": ").append(json(e.getSQLState() + ": " + e.getMessage()));
                }
                System.out.println(out.append("}"));
            }
        }
    }
}
