package io.sseservice.bench;

import io.sseservice.ConnectOptions;
import io.sseservice.InMemoryEventHistory;
import io.sseservice.SseService;
import java.time.Duration;

/**
 * The service every adapter of the load tool serves ({@link LoadServer}, and
 * {@code WebFluxLoadServer} on the Spring class path), configured from system properties:
 * keep-alive and write timeout off unless {@value LoadServer#KEEP_ALIVE} says otherwise, the queue
 * bound the tool passes, {@code maxGroups} from {@value LoadServer#MAX_GROUPS} (the groups
 * scenario), and, with {@value #HISTORY}, an in-memory history (the reconnect storm, the soak). Thread-safety: stateless.
 */
final class BenchService {

  /**
   * The system property that turns on an in-memory history keeping this many events of a group
   * (and the replay limit with it); unset: no history.
   */
  static final String HISTORY = "bench.history";

  private BenchService() {}

  static SseService.Builder builder(long maxQueuedBytes) {
    // no keep-alive by default (the throughput scenarios measure events only); churn sets one
    SseService.Builder builder =
        SseService.builder()
            .keepAliveInterval(Duration.parse(System.getProperty(LoadServer.KEEP_ALIVE, "PT0S")))
            .writeTimeout(Duration.ZERO)
            .maxQueuedBytes(maxQueuedBytes)
            .maxGroups(
                Integer.getInteger(LoadServer.MAX_GROUPS, SseService.Builder.DEFAULT_MAX_GROUPS));
    String history = System.getProperty(HISTORY);
    if (history != null) {
      int events = Integer.parseInt(history);
      builder
          .history(
              InMemoryEventHistory.builder()
                  .maxEvents(events)
                  .maxBytes(Long.MAX_VALUE / 4)
                  .maxTotalBytes(Long.MAX_VALUE / 4)
                  .build())
          .replayLimit(events);
    }
    return builder;
  }

  /**
   * The stream's options from the request's raw query: {@code clientId}, and {@code group} when
   * there is one (the scaling scenario spreads the streams over groups).
   */
  static ConnectOptions options(String query) {
    ConnectOptions.Builder options =
        ConnectOptions.builder().clientId(parameter(query, "clientId"));
    String group = parameter(query, "group");
    return group == null ? options.build() : options.group(group).build();
  }

  private static String parameter(String query, String name) {
    for (String pair : query.split("&")) {
      if (pair.startsWith(name + "=")) {
        return pair.substring(name.length() + 1);
      }
    }
    return null;
  }
}
