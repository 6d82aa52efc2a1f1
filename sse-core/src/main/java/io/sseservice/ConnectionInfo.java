package io.sseservice;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

/**
 * A snapshot of one connection, wherever in the cluster it is: what {@link ClientInfo} lists and
 * what a {@link io.sseservice.spi.ClientDirectory} stores. To send to it, use
 * {@code service.send(Target.connection(info.id()), event)}: the service routes it to its node.
 *
 * <p>Thread-safety: immutable.
 *
 * @param id the connection's id ({@link SseConnection#id()}), unique in the cluster
 * @param nodeId the id of the node (the {@link SseService}) that holds it
 * @param group the group of its client
 * @param clientId the id of its client
 * @param connectedAt when it was registered, by the wall clock of its node
 * @param metadata the connection's own metadata ({@link SseConnection#metadata()}), unmodifiable
 */
public record ConnectionInfo(
    String id,
    String nodeId,
    String group,
    String clientId,
    Instant connectedAt,
    Map<String, Object> metadata) {

  /** Checks that no value is null and copies the metadata. */
  public ConnectionInfo {
    requireNonNull(id, "id");
    requireNonNull(nodeId, "nodeId");
    requireNonNull(group, "group");
    requireNonNull(clientId, "clientId");
    requireNonNull(connectedAt, "connectedAt");
    metadata = Metadata.copy(requireNonNull(metadata, "metadata"));
  }

  /** Creates a snapshot of a connection without metadata of its own. */
  public ConnectionInfo(
      String id, String nodeId, String group, String clientId, Instant connectedAt) {
    this(id, nodeId, group, clientId, connectedAt, Map.of());
  }
}
