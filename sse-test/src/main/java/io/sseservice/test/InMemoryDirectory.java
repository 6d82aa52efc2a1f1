package io.sseservice.test;

import io.sseservice.ClientInfo;
import io.sseservice.ConnectionInfo;
import io.sseservice.spi.ClientDirectory;
import io.sseservice.spi.DirectoryNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * One node's {@link ClientDirectory} in an {@link InMemoryCluster}: changes apply to the shared
 * {@link DirectoryState} at once, queries answer later, on the cluster's store thread.
 *
 * <p>Thread-safety: thread-safe.
 */
final class InMemoryDirectory implements ClientDirectory {

  private final DirectoryState state;
  private volatile @Nullable String nodeId;

  InMemoryDirectory(DirectoryState state) {
    this.state = state;
  }

  @Override
  public void start(DirectoryNode node) {
    this.nodeId = node.nodeId();
    state.join(node);
  }

  @Override
  public void connectionOpened(ConnectionInfo connection, @Nullable Map<String, Object> metadata) {
    state.opened(connection, metadata);
  }

  @Override
  public void connectionClosed(ConnectionInfo connection) {
    state.closed(connection);
  }

  @Override
  public CompletionStage<Optional<ClientInfo>> setClientMetadata(
      String group, String clientId, Map<String, Object> metadata) {
    return CompletableFuture.completedFuture(state.setMetadata(group, clientId, metadata, false));
  }

  @Override
  public CompletionStage<Optional<ClientInfo>> mergeClientMetadata(
      String group, String clientId, Map<String, @Nullable Object> changes) {
    return CompletableFuture.completedFuture(state.setMetadata(group, clientId, changes, true));
  }

  @Override
  public CompletionStage<Optional<ClientInfo>> client(String group, String clientId) {
    return CompletableFuture.completedFuture(state.client(group, clientId));
  }

  @Override
  public CompletionStage<List<ClientInfo>> clients(String group) {
    return CompletableFuture.completedFuture(state.clients(group));
  }

  @Override
  public CompletionStage<Set<String>> groups() {
    return CompletableFuture.completedFuture(state.groups());
  }

  @Override
  public void close() {
    String id = nodeId;
    if (id != null) {
      state.leave(id);
    }
  }

  @Override
  public String toString() {
    return "InMemoryDirectory{node=" + nodeId + '}';
  }
}
