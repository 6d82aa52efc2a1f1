package io.sseservice;

/**
 * Why a connection ended; given to disconnect callbacks and {@link SseListener}s.
 *
 * <p>Thread-safety: an enum, immutable.
 */
public enum CloseReason {
  /** The peer went away: it closed the stream, or a write to it failed. */
  PEER_GONE,
  /** The application closed the connection with {@link SseConnection#close()}. */
  CLOSED_BY_SERVER,
  /** The peer read too slowly: its queue passed the byte bound, or a write stalled too long. */
  SLOW_CONSUMER,
  /** The service was closed. */
  SERVICE_SHUTDOWN
}
