package io.sseservice;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * Who receives an event sent with {@link SseService#send(Target, SseEvent)}: one connection,
 * every connection of one client, every connection of one group, or every connection of the
 * service.
 *
 * <pre>{@code
 * service.send(Target.client("alice"), SseEvent.of("hi"));
 * service.send(Target.group("room-7"), SseEvent.of("someone joined", "presence"));
 * }</pre>
 *
 * <p>Thread-safety: immutable.
 */
public abstract class Target {

  private Target() {}

  /** Every connection of client {@code clientId} in the service's default group. */
  public static Target client(String clientId) {
    return new Client(requireNonNull(clientId, "clientId"), null);
  }

  /** Every connection of client {@code clientId} in group {@code group}. */
  public static Target client(String clientId, String group) {
    return new Client(requireNonNull(clientId, "clientId"), requireNonNull(group, "group"));
  }

  /** Every connection in the service's default group. */
  public static Target defaultGroup() {
    return new Group(null);
  }

  /** Every connection in group {@code group}. */
  public static Target group(String group) {
    return new Group(requireNonNull(group, "group"));
  }

  /** Every connection of the service, in every group. */
  public static Target everyone() {
    return Everyone.INSTANCE;
  }

  /** Exactly {@code connection}. */
  public static Target connection(SseConnection connection) {
    return new Connection(requireNonNull(connection, "connection"));
  }

  /** Visits the target's connections; the service resolves a null group to its default group. */
  abstract int deliver(Registry registry, String defaultGroup, byte[] frame);

  static final class Client extends Target {
    final String clientId;
    final @Nullable String group;

    Client(String clientId, @Nullable String group) {
      this.clientId = clientId;
      this.group = group;
    }

    @Override
    int deliver(Registry registry, String defaultGroup, byte[] frame) {
      return registry.deliverToClient(group == null ? defaultGroup : group, clientId, frame);
    }

    @Override
    public String toString() {
      return "Target.client(" + clientId + (group == null ? "" : ", " + group) + ")";
    }
  }

  static final class Group extends Target {
    final @Nullable String group;

    Group(@Nullable String group) {
      this.group = group;
    }

    @Override
    int deliver(Registry registry, String defaultGroup, byte[] frame) {
      return registry.deliverToGroup(group == null ? defaultGroup : group, frame);
    }

    @Override
    public String toString() {
      return group == null ? "Target.defaultGroup()" : "Target.group(" + group + ")";
    }
  }

  static final class Everyone extends Target {
    static final Everyone INSTANCE = new Everyone();

    @Override
    int deliver(Registry registry, String defaultGroup, byte[] frame) {
      return registry.deliverToEveryone(frame);
    }

    @Override
    public String toString() {
      return "Target.everyone()";
    }
  }

  static final class Connection extends Target {
    final SseConnection connection;

    Connection(SseConnection connection) {
      this.connection = connection;
    }

    @Override
    int deliver(Registry registry, String defaultGroup, byte[] frame) {
      return connection.enqueue(frame) ? 1 : 0;
    }

    @Override
    public String toString() {
      return "Target.connection(" + connection.id() + ")";
    }
  }
}
