package io.sseservice;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * Who receives an event sent with {@link SseService#send(Target, SseEvent)}: every connection of
 * one client in a group, every connection of a group, every connection of every group, or one
 * connection by its id. A target is plain data (a record), so it can be logged, compared, and
 * carried to another node of a cluster; the service decides how to reach it.
 *
 * <pre>{@code
 * service.send(Target.client("alice"), SseEvent.of("hi"));
 * service.send(Target.group("room-7"), SseEvent.of("someone joined", "presence"));
 * service.send(Target.connection(connectionId), SseEvent.of("only this tab"));
 * }</pre>
 *
 * <p>A null group means the service's default group, here as in every method of the service.
 * Ids and groups must not be empty, nor hold a control character (CR, LF, NUL, DEL, a C1
 * control), a line separator, a bidirectional control or an unpaired surrogate: the constructors
 * throw {@link IllegalArgumentException} naming the field.
 *
 * <p>Thread-safety: immutable.
 */
public sealed interface Target
    permits Target.Client, Target.Group, Target.Everyone, Target.Connection {

  /** Every connection of client {@code clientId} in the service's default group. */
  static Target client(String clientId) {
    return new Client(clientId, null);
  }

  /** Every connection of client {@code clientId} in {@code group} (null: the default group). */
  static Target client(String clientId, @Nullable String group) {
    return new Client(clientId, group);
  }

  /** Every connection in the service's default group. */
  static Target defaultGroup() {
    return new Group(null);
  }

  /** Every connection in {@code group}. */
  static Target group(String group) {
    return new Group(requireNonNull(group, "group"));
  }

  /** Every connection of the service (of the cluster, with a backplane), in every group. */
  static Target everyone() {
    return Everyone.INSTANCE;
  }

  /** Exactly {@code connection}. */
  static Target connection(SseConnection connection) {
    return new Connection(requireNonNull(connection, "connection").id());
  }

  /**
   * Exactly the connection with id {@code connectionId} ({@link SseConnection#id()}), on whichever
   * node of the cluster holds it.
   */
  static Target connection(String connectionId) {
    return new Connection(connectionId);
  }

  /**
   * Every connection of one client in one group.
   *
   * @param clientId the client's id
   * @param group the group, or null for the service's default group
   */
  record Client(String clientId, @Nullable String group) implements Target {
    /** Checks the values. */
    public Client {
      requireNonEmpty(clientId, "clientId");
      if (group != null) {
        requireNonEmpty(group, "group");
      }
    }
  }

  /**
   * Every connection of one group.
   *
   * @param group the group, or null for the service's default group
   */
  record Group(@Nullable String group) implements Target {
    /** Checks the value. */
    public Group {
      if (group != null) {
        requireNonEmpty(group, "group");
      }
    }
  }

  /** Every connection in every group. */
  record Everyone() implements Target {
    static final Everyone INSTANCE = new Everyone();
  }

  /**
   * One connection.
   *
   * @param connectionId the connection's id, which names the node that holds it
   */
  record Connection(String connectionId) implements Target {
    /** Checks the value. */
    public Connection {
      requireNonEmpty(connectionId, "connectionId");
    }
  }

  private static void requireNonEmpty(String value, String name) {
    requireNonNull(value, name);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(name + ": \"\" (expected: a non-empty value)");
    }
    Names.check(value, name);
  }
}
