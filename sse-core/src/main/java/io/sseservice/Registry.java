package io.sseservice;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Groups → clients → connections, plus an index of connections by id. Every change of one
 * group's membership runs inside {@code groups.compute(group, ...)}, which serialises it with
 * every other change of that group (and with the removal of the empty group), and queues it as a
 * {@link Transitions.Transition}. Readers never lock: they iterate the concurrent maps and the
 * clients' immutable connection arrays. A connect over one of the {@link ConnectionLimits} is
 * refused before anything changes.
 *
 * <p>Thread-safety: thread-safe.
 */
final class Registry {

  private final ConcurrentHashMap<String, Members> groups = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, SseConnection> byId = new ConcurrentHashMap<>();
  private final Transitions transitions = new Transitions();
  private final ConnectionLimits limits;

  /**
   * One group's clients, and how many connections they have: a count read and changed only inside
   * the group's {@code compute}, which also publishes it to the next one.
   */
  private static final class Members extends ConcurrentHashMap<String, SseClient> {
    private static final long serialVersionUID = 1L;
    private int connections;
  }

  Registry(ConnectionLimits limits) {
    this.limits = limits;
  }

  Transitions transitions() {
    return transitions;
  }

  /**
   * Adds {@code connection} to its client (made if needed), binding the two before either is
   * visible to other threads. {@code metadata}, when not null, is merged into the client's.
   *
   * @throws ConnectRefusedException if the connection would take the service, its group or its
   *     client over a limit; nothing was changed
   */
  SseClient add(SseConnection connection, @Nullable Map<String, Object> metadata) {
    limits.reserveConnection();
    SseClient[] result = new SseClient[1];
    try {
      groups.compute(
          connection.group(),
          (name, existing) -> {
            Members members = existing != null ? existing : newGroup(name);
            try {
              result[0] = join(members, name, connection, metadata);
            } catch (RuntimeException | Error e) {
              if (existing == null) {
                limits.releaseGroup();
              }
              throw e;
            }
            return members;
          });
    } catch (RuntimeException | Error e) {
      limits.releaseConnection();
      throw e;
    }
    AfterLocks.run(transitions::drain);
    return result[0];
  }

  private Members newGroup(String name) {
    limits.reserveGroup(name);
    return new Members();
  }

  /** Adds the connection to {@code members}; runs inside the group's {@code compute}. */
  private SseClient join(
      Members members,
      String group,
      SseConnection connection,
      @Nullable Map<String, Object> metadata) {
    SseClient client = members.get(connection.clientId());
    limits.checkRoom(
        group,
        members.connections,
        connection.clientId(),
        client == null ? 0 : client.connectionArray().length);
    boolean first = client == null;
    if (client == null) {
      client =
          new SseClient(
              connection.clientId(),
              group,
              metadata != null ? Metadata.merge(Map.of(), metadata) : Map.of());
      members.put(client.id(), client);
    } else if (metadata != null) {
      client.mergeMetadata(metadata);
    }
    connection.bind(client);
    client.add(connection);
    members.connections++;
    byId.put(connection.id(), connection);
    transitions.add(new Transitions.Transition(true, connection, metadata, first));
    return client;
  }

  /** Removes {@code connection}; its client leaves when it was the last, the group when empty. */
  void remove(SseConnection connection) {
    SseClient client = connection.boundClient();
    if (client == null) {
      return; // never registered
    }
    groups.computeIfPresent(
        connection.group(),
        (name, members) -> {
          if (client.remove(connection)) {
            members.connections--;
            limits.releaseConnection();
            byId.remove(connection.id(), connection);
            boolean last = client.isEmpty();
            if (last) {
              members.remove(client.id(), client);
            }
            transitions.add(new Transitions.Transition(false, connection, null, last));
          }
          if (members.isEmpty()) {
            limits.releaseGroup();
            return null;
          }
          return members;
        });
    AfterLocks.run(transitions::drain);
  }

  @Nullable SseConnection connection(String id) {
    return byId.get(id);
  }

  Optional<SseClient> client(String group, String clientId) {
    Map<String, SseClient> members = groups.get(group);
    return members == null ? Optional.empty() : Optional.ofNullable(members.get(clientId));
  }

  List<SseClient> clients(String group) {
    Map<String, SseClient> members = groups.get(group);
    return members == null ? List.of() : List.copyOf(members.values());
  }

  /** Whether {@code group} has a client here now, without copying its members. */
  boolean hasClients(String group) {
    Map<String, SseClient> members = groups.get(group);
    return members != null && !members.isEmpty();
  }

  List<String> groupNames() {
    return List.copyOf(groups.keySet());
  }

  int connectionCount() {
    return byId.size();
  }

  int clientCount() {
    int count = 0;
    for (Map<String, SseClient> members : groups.values()) {
      count += members.size();
    }
    return count;
  }

  int groupCount() {
    return groups.size();
  }

  /**
   * Offers {@code frame} (at position {@code seq} of the group's log, or -1; with conflation key
   * {@code key}, or null) to every connection of {@code group}, or of one client of it; returns
   * how many took it.
   */
  int deliver(
      String group, @Nullable String clientId, byte[] frame, long seq, @Nullable String key) {
    Map<String, SseClient> members = groups.get(group);
    if (members == null) {
      return 0;
    }
    if (clientId != null) {
      SseClient client = members.get(clientId);
      return client == null ? 0 : deliver(client, frame, seq, key);
    }
    int reached = 0;
    for (SseClient client : members.values()) {
      reached += deliver(client, frame, seq, key);
    }
    return reached;
  }

  int deliverToEveryone(byte[] frame, @Nullable String key) {
    int reached = 0;
    for (Map<String, SseClient> members : groups.values()) {
      for (SseClient client : members.values()) {
        reached += deliver(client, frame, -1, key);
      }
    }
    return reached;
  }

  void forEachConnection(Consumer<SseConnection> action) {
    for (SseConnection connection : byId.values()) {
      action.accept(connection);
    }
  }

  void forEachConnection(String group, Consumer<SseConnection> action) {
    Map<String, SseClient> members = groups.get(group);
    if (members != null) {
      for (SseClient client : members.values()) {
        for (SseConnection connection : client.connectionArray()) {
          action.accept(connection);
        }
      }
    }
  }

  List<SseConnection> connections() {
    return new ArrayList<>(byId.values());
  }

  private static int deliver(SseClient client, byte[] frame, long seq, @Nullable String key) {
    int reached = 0;
    for (SseConnection connection : client.connectionArray()) {
      if (connection.enqueue(frame, seq, key)) {
        reached++;
      }
    }
    return reached;
  }
}
