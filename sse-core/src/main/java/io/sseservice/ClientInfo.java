package io.sseservice;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A snapshot of one client across the cluster (or across this node, without a cluster
 * directory): its metadata and every connection it has, on any node. Unlike {@link SseClient},
 * which is this node's live view with its {@link SseConnection} objects, a snapshot does not
 * change after it was taken.
 *
 * <pre>{@code
 * service.directory().client("alice").thenAccept(found -> found.ifPresent(info ->
 *     log.info("alice has {} devices on {}", info.connections().size(), info.nodes())));
 * }</pre>
 *
 * <p>Thread-safety: immutable.
 *
 * @param id the client id
 * @param group the client's group
 * @param metadata the client's metadata, unmodifiable
 * @param connections its connections, oldest first, on every node
 */
public record ClientInfo(
    String id, String group, Map<String, Object> metadata, List<ConnectionInfo> connections) {

  /** Copies the metadata and the list. */
  public ClientInfo {
    requireNonNull(id, "id");
    requireNonNull(group, "group");
    metadata = Metadata.copy(requireNonNull(metadata, "metadata"));
    connections = List.copyOf(connections);
  }

  /** Returns the ids of the nodes that hold at least one of its connections. */
  public Set<String> nodes() {
    Set<String> nodes = new LinkedHashSet<>();
    connections.forEach(c -> nodes.add(c.nodeId()));
    return Set.copyOf(nodes);
  }
}
