package io.sseservice.bench;

import java.util.Map;

/**
 * Fanout over groups: {@code n} streams spread round-robin over {@code groups} groups
 * ({@code g0 …}), then {@code broadcasts} rounds of one 128-byte send to each group (every stream
 * gets every round's event once), as fast as possible, after an unmeasured round as in
 * {@code fanout}. The one-group rows of the scaling table are the plain {@code fanout} scenario
 * at other {@code --scale}s.
 */
final class ScalingScenario {

  private ScalingScenario() {}

  static Map<String, Double> fanoutGroups(String server, int n, int groups, int broadcasts)
      throws Exception {
    try (ServerProcess process = new ServerProcess(server, 1 << 20, "1g");
        LoadClient client = new LoadClient()) {
      client.connect(process.port, n, 0, i -> "&group=g" + (i % groups), "", 0);
      LoadTool.awaitConnections(process, n);
      long total = (long) n * broadcasts;
      String command = "groups " + broadcasts + " 128 " + groups;
      LoadTool.warmUp(process, client, command, total);
      long start = System.nanoTime();
      String done = process.command(command);
      long end = client.awaitEvents(total, 120_000_000_000L);
      double seconds = ((end < 0 ? System.nanoTime() : end) - start) / 1e9;
      return LoadTool.result(
          "connections",
          n,
          "groups",
          groups,
          "events",
          total,
          "delivered_per_s",
          client.events() / seconds,
          "publish_s",
          LoadTool.nanosOf(done) / 1e9,
          "deliver_s",
          seconds,
          "missing",
          total - client.events(),
          "out_of_order",
          client.outOfOrder());
    }
  }
}
