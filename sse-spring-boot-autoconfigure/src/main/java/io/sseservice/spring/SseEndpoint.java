package io.sseservice.spring;

import io.sseservice.SseClient;
import io.sseservice.SseConnection;
import io.sseservice.SseService;
import io.sseservice.SseStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The actuator endpoint {@code sse}: this node's groups, their clients, each client's
 * connections and metadata. {@code GET /actuator/sse?limit=100} lists groups in name order and
 * their clients until {@code limit} clients are listed, with the node's totals;
 * {@code GET /actuator/sse/{group}?limit=100} lists one group (404 if nobody is in it). The
 * limit (default {@value #DEFAULT_LIMIT}, at most {@value #MAX_LIMIT}) bounds the groups, the
 * clients and each client's connections listed, so a node with a million clients answers with a
 * page, not the million; {@code truncated} says that something was left out.
 *
 * <p>Like every actuator endpoint but health, it is not exposed over HTTP unless the
 * application says so: {@code management.endpoints.web.exposure.include=health,sse}. It shows
 * client ids and metadata, so secure it like the rest of the actuator.
 *
 * <p>Thread-safety: thread-safe. Each answer is a snapshot of a live registry: counts and lists
 * read a few microseconds apart may disagree by a connection that opened or closed meanwhile.
 */
@Endpoint(id = "sse")
public final class SseEndpoint {

  /** The {@code limit} when a request gives none. */
  public static final int DEFAULT_LIMIT = 100;

  /** The largest {@code limit} honoured; a larger one is lowered to it. */
  public static final int MAX_LIMIT = 1000;

  private final SseService service;

  /** Creates the endpoint over {@code service}. */
  public SseEndpoint(SseService service) {
    this.service = service;
  }

  /** Lists the groups and their clients, at most {@code limit} of each (null: the default). */
  @ReadOperation
  @SuppressWarnings("deprecation") // Spring's @Nullable: Boot 3 finds optional parameters by it
  public SseDescriptor sse(@org.springframework.lang.Nullable @Nullable Integer limit) {
    int max = limit(limit);
    SseStats stats = service.stats();
    List<String> names = service.groups().stream().sorted().toList();
    List<GroupDescriptor> groups = new ArrayList<>();
    int budget = max;
    for (String name : names.subList(0, Math.min(max, names.size()))) {
      GroupDescriptor group = describe(name, service.clients(name), budget, max);
      budget -= group.clients().size();
      groups.add(group);
    }
    boolean truncated =
        names.size() > groups.size() || groups.stream().anyMatch(GroupDescriptor::truncated);
    return new SseDescriptor(
        service.nodeId(),
        new Totals(stats.groups(), stats.clients(), stats.connections()),
        max,
        truncated,
        groups);
  }

  /** Lists group {@code group}'s clients, at most {@code limit}; null (404) if it has none. */
  @ReadOperation
  @SuppressWarnings("deprecation") // as above
  public @Nullable GroupDescriptor group(
      @Selector String group, @org.springframework.lang.Nullable @Nullable Integer limit) {
    List<SseClient> clients = service.clients(group);
    int max = limit(limit);
    return clients.isEmpty() ? null : describe(group, clients, max, max);
  }

  private static int limit(@Nullable Integer limit) {
    return limit == null ? DEFAULT_LIMIT : Math.max(0, Math.min(limit, MAX_LIMIT));
  }

  private static GroupDescriptor describe(
      String name, List<SseClient> clients, int budget, int perClient) {
    List<ClientDescriptor> listed =
        clients.stream()
            .limit(Math.max(0, budget))
            .map(client -> describe(client, perClient))
            .toList();
    boolean truncated =
        listed.size() < clients.size()
            || listed.stream().anyMatch(c -> c.connections().size() < c.connectionCount());
    return new GroupDescriptor(name, clients.size(), truncated, listed);
  }

  private static ClientDescriptor describe(SseClient client, int limit) {
    List<SseConnection> connections = client.connections();
    List<ConnectionDescriptor> listed =
        connections.stream()
            .limit(limit)
            .map(
                c ->
                    new ConnectionDescriptor(
                        c.id(), c.connectedAt().toString(), c.queuedBytes(), c.metadata()))
            .toList();
    return new ClientDescriptor(client.id(), client.metadata(), connections.size(), listed);
  }

  /**
   * The answer of {@code GET /actuator/sse}.
   *
   * @param nodeId this node's id
   * @param totals this node's counts, listed or not
   * @param limit the limit applied
   * @param truncated whether a group, a client or a connection was left out
   * @param groups the groups listed, in name order
   */
  public record SseDescriptor(
      String nodeId, Totals totals, int limit, boolean truncated, List<GroupDescriptor> groups) {}

  /**
   * This node's counts, from {@link SseService#stats()}.
   *
   * @param groups groups with at least one client
   * @param clients clients with at least one open connection
   * @param connections open connections
   */
  public record Totals(int groups, int clients, int connections) {}

  /**
   * One group.
   *
   * @param name the group's name
   * @param clientCount how many clients it has here
   * @param truncated whether a client or a connection was left out
   * @param clients the clients listed, in no particular order
   */
  public record GroupDescriptor(
      String name, int clientCount, boolean truncated, List<ClientDescriptor> clients) {}

  /**
   * One client.
   *
   * @param id the client id
   * @param metadata the client's metadata
   * @param connectionCount how many connections it has open here
   * @param connections the connections listed, oldest first
   */
  public record ClientDescriptor(
      String id,
      Map<String, Object> metadata,
      int connectionCount,
      List<ConnectionDescriptor> connections) {}

  /**
   * One connection.
   *
   * @param id the connection id
   * @param connectedAt when it opened (ISO-8601)
   * @param queuedBytes bytes queued and not yet written (a slow consumer's grow)
   * @param metadata the connection's own metadata
   */
  public record ConnectionDescriptor(
      String id, String connectedAt, long queuedBytes, Map<String, Object> metadata) {}
}
