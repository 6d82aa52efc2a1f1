package io.sseservice;

import static java.util.Objects.requireNonNull;

import io.sseservice.internal.SseEncoder;
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

  /** Delivers {@code event} to the target's connections; returns how many it reached. */
  abstract int send(SseService service, SseEvent event);

  static final class Client extends Target {
    final String clientId;
    final @Nullable String group;

    Client(String clientId, @Nullable String group) {
      this.clientId = clientId;
      this.group = group;
    }

    @Override
    int send(SseService service, SseEvent event) {
      return service.deliver(group == null ? service.defaultGroup() : group, clientId, event);
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
    int send(SseService service, SseEvent event) {
      return service.deliver(group == null ? service.defaultGroup() : group, null, event);
    }

    @Override
    public String toString() {
      return group == null ? "Target.defaultGroup()" : "Target.group(" + group + ")";
    }
  }

  static final class Everyone extends Target {
    static final Everyone INSTANCE = new Everyone();

    @Override
    int send(SseService service, SseEvent event) {
      return service.deliverToEveryone(event);
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
    int send(SseService service, SseEvent event) {
      // one connection's events are not kept for replay: a new connection is another stream
      return connection.enqueue(SseEncoder.encode(event)) ? 1 : 0;
    }

    @Override
    public String toString() {
      return "Target.connection(" + connection.id() + ")";
    }
  }
}
