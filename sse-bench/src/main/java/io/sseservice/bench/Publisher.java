package io.sseservice.bench;

import java.io.IOException;

/**
 * How a throughput scenario publishes: from a dedicated thread (one command on the server's stdin,
 * whose loop calls the sends back to back) or from the server's own HTTP handler (scenarios
 * {@code fanout-handler} and {@code unicast-handler}: sequential {@code POST /publish} requests,
 * each running a few sends in the route, as an application's publish endpoint does). The raw
 * ceiling has no handler and always publishes from its stdin thread.
 *
 * <p>Thread-safety: not thread-safe; the scenario's thread uses it.
 */
final class Publisher implements AutoCloseable {

  /** Sends per request in the handler's unicast: a route that notifies a list of users. */
  static final int UNICAST_PER_REQUEST = 100;

  private final ServerProcess process;
  private final PublishClient client;

  private Publisher(ServerProcess process, PublishClient client) {
    this.process = process;
    this.client = client;
  }

  /** A publisher for {@code process}: through its publish route if {@code handler}. */
  static Publisher of(ServerProcess process, String server, boolean handler) throws IOException {
    return new Publisher(
        process, handler && !"raw".equals(server) ? new PublishClient(process.port) : null);
  }

  /** {@code count} broadcasts of {@code bytes}, as fast as possible; the publisher's nanoseconds. */
  long broadcast(int count, int bytes) throws IOException {
    if (client == null) {
      return LoadTool.nanosOf(process.command("broadcast " + count + " " + bytes + " 0"));
    }
    return client.repeat("broadcast 1 " + bytes + " 0", count); // one send per request
  }

  /** {@code count} unicast sends over {@code clients}; the publisher's nanoseconds. */
  long unicast(int count, int bytes, int clients) throws IOException {
    if (client == null) {
      return LoadTool.nanosOf(process.command("unicast " + count + " " + bytes + " " + clients));
    }
    if (count % UNICAST_PER_REQUEST != 0) {
      throw new IllegalArgumentException(
          "unicast sends: " + count + " (expected: a multiple of 100)");
    }
    return client.repeat(
        "unicast " + UNICAST_PER_REQUEST + " " + bytes + " " + clients,
        count / UNICAST_PER_REQUEST);
  }

  @Override
  public void close() throws IOException {
    if (client != null) {
      client.close();
    }
  }
}
