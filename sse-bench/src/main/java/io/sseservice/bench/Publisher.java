package io.sseservice.bench;

import java.io.IOException;

/**
 * How a throughput scenario publishes: from a dedicated thread (one command on the server's stdin,
 * whose loop calls the sends back to back), from the server's own HTTP handler (scenarios
 * {@code fanout-handler} and {@code unicast-handler}: one {@code POST /publish} whose route runs
 * the same loop, on the thread the server runs its handlers on, an event loop on Netty), or from
 * one request per send ({@code fanout-handler-each}: 100 sequential POSTs of one broadcast each,
 * as an application's clients would call a publish endpoint; {@code unicast-handler-each}: 100
 * sends per request). The raw ceiling has no handler and always publishes from its stdin thread.
 *
 * <p>Thread-safety: not thread-safe; the scenario's thread uses it.
 */
final class Publisher implements AutoCloseable {

  /** Where the sends run. */
  enum Mode {
    /** The server's stdin thread. */
    DEDICATED,
    /** The server's publish route, all sends in one request. */
    HANDLER,
    /** The server's publish route, one request per broadcast (per 100 unicast sends). */
    HANDLER_EACH
  }

  /** Sends per request in {@link Mode#HANDLER_EACH}'s unicast: a route notifying a list of users. */
  static final int UNICAST_PER_REQUEST = 100;

  private final ServerProcess process;
  private final Mode mode;
  private final PublishClient client;

  private Publisher(ServerProcess process, Mode mode, PublishClient client) {
    this.process = process;
    this.mode = mode;
    this.client = client;
  }

  /** A publisher for {@code process} ({@code server} raw: always {@link Mode#DEDICATED}). */
  static Publisher of(ServerProcess process, String server, Mode mode) throws IOException {
    Mode used = "raw".equals(server) ? Mode.DEDICATED : mode;
    return new Publisher(
        process, used, used == Mode.DEDICATED ? null : new PublishClient(process.port));
  }

  /** {@code count} broadcasts of {@code bytes}, as fast as possible; the publisher's nanoseconds. */
  long broadcast(int count, int bytes) throws IOException {
    String all = "broadcast " + count + " " + bytes + " 0";
    switch (mode) {
      case HANDLER:
        return LoadTool.nanosOf(client.post(all));
      case HANDLER_EACH:
        return client.repeat("broadcast 1 " + bytes + " 0", count);
      default:
        return LoadTool.nanosOf(process.command(all));
    }
  }

  /** {@code count} unicast sends over {@code clients}; the publisher's nanoseconds. */
  long unicast(int count, int bytes, int clients) throws IOException {
    String all = "unicast " + count + " " + bytes + " " + clients;
    switch (mode) {
      case HANDLER:
        return LoadTool.nanosOf(client.post(all));
      case HANDLER_EACH:
        if (count % UNICAST_PER_REQUEST != 0) {
          throw new IllegalArgumentException(
              "unicast sends: " + count + " (expected: a multiple of 100)");
        }
        return client.repeat(
            "unicast " + UNICAST_PER_REQUEST + " " + bytes + " " + clients,
            count / UNICAST_PER_REQUEST);
      default:
        return LoadTool.nanosOf(process.command(all));
    }
  }

  @Override
  public void close() throws IOException {
    if (client != null) {
      client.close();
    }
  }
}
