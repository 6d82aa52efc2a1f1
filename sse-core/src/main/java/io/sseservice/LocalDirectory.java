package io.sseservice;

import io.sseservice.spi.ClientDirectory;
import io.sseservice.spi.DirectoryNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The directory of a service without a cluster directory: this node's registry, answered at once.
 * Presence comes straight from the registry's transitions ({@link DirectoryBridge}).
 *
 * <p>Thread-safety: thread-safe.
 */
final class LocalDirectory implements ClientDirectory {

  private final Registry registry;

  LocalDirectory(Registry registry) {
    this.registry = registry;
  }

  @Override
  public void start(DirectoryNode node) {}

  @Override
  public void connectionOpened(ConnectionInfo connection, @Nullable Map<String, Object> metadata) {}

  @Override
  public void connectionClosed(ConnectionInfo connection) {}

  @Override
  public CompletionStage<Optional<ClientInfo>> setClientMetadata(
      String group, String clientId, Map<String, Object> metadata) {
    Optional<SseClient> client = registry.client(group, clientId);
    client.ifPresent(c -> c.metadata(metadata));
    return CompletableFuture.completedFuture(client.map(LocalDirectory::info));
  }

  @Override
  public CompletionStage<Optional<ClientInfo>> mergeClientMetadata(
      String group, String clientId, Map<String, @Nullable Object> changes) {
    Optional<SseClient> client = registry.client(group, clientId);
    client.ifPresent(c -> c.mergeMetadata(changes));
    return CompletableFuture.completedFuture(client.map(LocalDirectory::info));
  }

  @Override
  public CompletionStage<Optional<ClientInfo>> client(String group, String clientId) {
    return CompletableFuture.completedFuture(
        registry
            .client(group, clientId)
            .map(LocalDirectory::info)
            .filter(info -> !info.connections().isEmpty()));
  }

  @Override
  public CompletionStage<List<ClientInfo>> clients(String group) {
    List<ClientInfo> infos = new ArrayList<>();
    for (SseClient client : registry.clients(group)) {
      ClientInfo info = info(client);
      if (!info.connections().isEmpty()) {
        infos.add(info);
      }
    }
    return CompletableFuture.completedFuture(List.copyOf(infos));
  }

  @Override
  public CompletionStage<Set<String>> groups() {
    return CompletableFuture.completedFuture(Set.copyOf(registry.groupNames()));
  }

  @Override
  public void close() {}

  static ClientInfo info(SseClient client) {
    List<ConnectionInfo> connections = new ArrayList<>();
    for (SseConnection connection : client.connectionArray()) {
      connections.add(connection.info());
    }
    return new ClientInfo(client.id(), client.group(), client.metadata(), connections);
  }
}
