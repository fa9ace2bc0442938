package dev.weft.bench.http;

/**
 * One client on one workload: its warm and cold runs, or why it has none.
 *
 * @param note null when measured; otherwise "failed: ..." with the first line of the reason
 */
record HttpRow(String client, String workload, Measure warm, Measure cold, String note) {
    static HttpRow measured(String client, String workload, Measure warm, Measure cold) {
        return new HttpRow(client, workload, warm, cold, null);
    }

    static HttpRow failed(String client, String workload, String reason) {
        return new HttpRow(client, workload, null, null, "failed: " + reason);
    }

    boolean ok() {
        return note == null;
    }

    boolean isWeft() {
        return client.startsWith("weft-");
    }
}
