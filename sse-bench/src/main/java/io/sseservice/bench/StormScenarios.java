package io.sseservice.bench;

import java.util.List;
import java.util.Map;

/**
 * The reconnect storm: a server with an in-memory history ({@value BenchService#HISTORY}) holds
 * {@code published} events with ids {@code 0 … published-1}, as it would after a restart on a
 * history that outlived it (Redis) or after a network blip; then {@code n} clients connect at once,
 * each with the {@code Last-Event-ID} of the event {@code missed} back from the newest, and each
 * must get exactly the {@code missed} events after it, in order.
 *
 * <p>The same server first takes an unmeasured storm of a tenth of the clients (the JIT compiles
 * the replay path), then a storm of {@code n} plain connects without {@code Last-Event-ID}, whose
 * CPU time is subtracted from the replay storm's: what is left is the replay's own cost per
 * client. CPU time is the server process's user + system time from /proc. The server sends a
 * keep-alive comment every second (the client skips comments).
 */
final class StormScenarios {

  private StormScenarios() {}

  static Map<String, Double> reconnect(String server, int n, int published, int missed)
      throws Exception {
    long lastSeen = published - missed - 1;
    String header = "Last-Event-ID: " + lastSeen + "\r\n";
    try (ServerProcess process =
        new ServerProcess(
            server,
            1 << 20,
            "1g",
            // a keep-alive, so that adapters that learn of a gone peer only from a failed write
            // (Servlet, JDK) let the closed clients of one storm go before the next
            List.of(
                "-D" + BenchService.HISTORY + "=" + published,
                "-D" + LoadServer.KEEP_ALIVE + "=PT1S"))) {
      process.command("history " + published + " 128");
      try (LoadClient warm = new LoadClient()) {
        warm.connect(process.port, n / 10, 0, i -> "", header, published - missed);
        if (warm.awaitEvents((long) (n / 10) * missed, 120_000_000_000L) < 0) {
          throw new IllegalStateException("warm-up replay: " + warm.events() + " events");
        }
      }
      awaitNoConnections(process);

      double cpu = process.cpuSeconds();
      double plainSeconds;
      double plainCpu;
      try (LoadClient plain = new LoadClient()) {
        plainSeconds = plain.connect(process.port, n, 0);
        LoadTool.awaitConnections(process, n);
        plainCpu = process.cpuSeconds() - cpu; // before the close, whose cost is not the storm's
      }
      awaitNoConnections(process);

      cpu = process.cpuSeconds();
      long start = System.nanoTime();
      try (LoadClient client = new LoadClient()) {
        client.connect(process.port, n, 0, i -> "", header, published - missed);
        long total = (long) n * missed;
        long end = client.awaitEvents(total, 120_000_000_000L);
        double seconds = ((end < 0 ? System.nanoTime() : end) - start) / 1e9;
        double replayCpu = process.cpuSeconds() - cpu;
        Thread.sleep(300); // anything past the missed events would arrive now: counted as extra
        long events = client.events();
        return LoadTool.result(
            "clients",
            n,
            "missed_per_client",
            missed,
            "replay_storm_s",
            seconds,
            "plain_storm_s",
            plainSeconds,
            "replayed_per_s",
            Math.min(events, total) / seconds,
            "cpu_ms_per_client_replay_storm",
            replayCpu * 1e3 / n,
            "cpu_ms_per_client_plain_storm",
            plainCpu * 1e3 / n,
            "replay_cpu_us_per_client",
            (replayCpu - plainCpu) * 1e6 / n,
            "missing",
            Math.max(0, total - events),
            "extra",
            Math.max(0, events - total),
            "out_of_order",
            client.outOfOrder());
      }
    }
  }

  private static void awaitNoConnections(ServerProcess process) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (process.connections() > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("server still has " + process.connections());
      }
      Thread.sleep(10);
    }
  }
}
