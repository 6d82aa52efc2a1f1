package io.sseservice;

import io.sseservice.spi.ClientDirectory;
import io.sseservice.spi.DirectoryNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Joins the registry to the directory: hands the registry's transitions, in order, to a cluster
 * directory, or turns them into presence events when the directory is this node's own; and takes
 * what the directory tells of the cluster (presence, metadata changed elsewhere) back to the
 * listeners and the local clients.
 *
 * <p>Thread-safety: thread-safe; transitions arrive one at a time ({@link Transitions}).
 */
final class DirectoryBridge extends NodeInfo implements DirectoryNode {

  private final ClientDirectory directory;
  private final boolean local;

  DirectoryBridge(Core core, ClientDirectory directory, ScheduledExecutorService scheduler) {
    super(core, scheduler);
    this.directory = directory;
    this.local = directory instanceof LocalDirectory;
  }

  /** Called with each registry change, in order, outside every lock. */
  void accept(Transitions.Transition t) {
    SseConnection connection = t.connection();
    if (local) {
      if (t.clientEdge() && core.listeners.hearsPresence()) {
        core.listeners.presence(
            new PresenceEvent(
                t.opened() ? PresenceEvent.Kind.ONLINE : PresenceEvent.Kind.OFFLINE,
                connection.group(),
                connection.clientId()));
      }
    } else if (t.opened()) {
      directory.connectionOpened(connection.info(), t.metadata());
    } else {
      directory.connectionClosed(connection.info());
    }
  }

  @Override
  public void onPresence(PresenceEvent event) {
    core.listeners.presence(event);
  }

  @Override
  public List<ClientInfo> localClients() {
    List<ClientInfo> clients = new ArrayList<>();
    for (String group : core.registry.groupNames()) {
      for (SseClient client : core.registry.clients(group)) {
        clients.add(LocalDirectory.info(client));
      }
    }
    return clients;
  }

  @Override
  public void onMetadata(String group, String clientId, Map<String, Object> metadata) {
    Map<String, Object> copy = Metadata.copy(metadata);
    core.registry.client(group, clientId).ifPresent(client -> client.metadata(copy));
  }
}
