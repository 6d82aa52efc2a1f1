package io.sseservice;

import static java.util.Objects.requireNonNull;

/**
 * A client came online (its first connection opened, on any node) or went offline (its last
 * connection closed everywhere, or the node that held it died).
 *
 * <p>Thread-safety: immutable.
 *
 * @param kind online or offline
 * @param group the client's group
 * @param clientId the client's id
 */
public record PresenceEvent(Kind kind, String group, String clientId) {

  /** Whether the client came or went. */
  public enum Kind {
    /** Its first connection opened. */
    ONLINE,
    /** Its last connection closed. */
    OFFLINE
  }

  /** Checks that no value is null. */
  public PresenceEvent {
    requireNonNull(kind, "kind");
    requireNonNull(group, "group");
    requireNonNull(clientId, "clientId");
  }
}
