package io.sseservice;

/**
 * Runs once when a connection ends, whatever the cause: the peer went away, the server closed it,
 * it was too slow, or the service shut down (the seed's {@code onDisconnectCb}).
 *
 * <p>Thread-safety: called on the thread that noticed the end (an adapter's I/O thread, a sender,
 * or the service's scheduler), outside every lock; it must be quick and must not block.
 */
@FunctionalInterface
public interface DisconnectCallback {

  /** Called after {@code connection} left the registry. */
  void onDisconnect(SseConnection connection, CloseReason reason);
}
