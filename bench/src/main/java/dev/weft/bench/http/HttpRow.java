package dev.weft.bench.http;

/**
 * One client on one workload: its warm and cold runs, or why it has none.
 *
 * @param nginxMicrosPerRequest nginx's CPU time over the whole client process (cold, warm-up and warm runs) per
 *                              request it served: what serving this client cost the server
 * @param note                  null when measured; otherwise "failed: ..." with the first line of the reason
 */
record HttpRow(String client, String workload, Measure warm, Measure cold, double nginxMicrosPerRequest,
               String note) {
    static HttpRow measured(String client, String workload, Measure warm, Measure cold, double nginxMicros) {
        return new HttpRow(client, workload, warm, cold, nginxMicros, null);
    }

    static HttpRow failed(String client, String workload, String reason) {
        return new HttpRow(client, workload, null, null, Double.NaN, "failed: " + reason);
    }

    boolean ok() {
        return note == null;
    }

    boolean isWeft() {
        return client.startsWith("weft-");
    }
}
