package io.sseservice;

/**
 * Told when a client comes online or goes offline. Without a cluster directory, that is when its
 * first connection to this service opens and its last one ends; with one, when its first
 * connection anywhere in the cluster opens and its last one anywhere ends (or the node holding it
 * died), and every node's listener is told once of each such transition. Transitions come from
 * the registry (the directory's record of connections), not from disconnect callbacks.
 *
 * <pre>{@code
 * SseService.builder().presenceListener(event ->
 *     service.sendToAll(event.clientId() + " is " + event.kind(), "presence", event.group()));
 * }</pre>
 *
 * <p>Thread-safety: called from the thread that made the change (a connecting or disconnecting
 * thread, or the directory's), outside every lock of the service, one call at a time per
 * service; it must be quick and must not block. An exception is logged and otherwise ignored.
 */
@FunctionalInterface
public interface PresenceListener {

  /** Called once per transition. */
  void onPresence(PresenceEvent event);
}
