package io.sseservice.spi;

import io.sseservice.ClientInfo;
import io.sseservice.PresenceEvent;
import java.util.List;
import java.util.Map;

/**
 * The service as its {@link ClientDirectory} sees it: where the directory tells what changed
 * elsewhere in the cluster. The service implements it and gives it to
 * {@link ClientDirectory#start}.
 *
 * <p>Thread-safety: every method may be called from any thread; each returns quickly.
 */
public interface DirectoryNode extends NodeContext {

  /** A client came online or went offline cluster-wide: called once per transition. */
  void onPresence(PresenceEvent event);

  /**
   * The metadata of client {@code clientId} in {@code group} changed (on any node): the service
   * updates its local view of that client, if it has one.
   */
  void onMetadata(String group, String clientId, Map<String, Object> metadata);

  /**
   * Returns this node's clients as its registry has them now, each with its connections on this
   * node and its metadata: for a directory that lost this node's entries (they expired during a
   * partition, or the store lost its data) and announces them again.
   */
  List<ClientInfo> localClients();
}
