package io.sseservice;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Groups → clients → connections. Every change of one group's membership runs inside
 * {@code groups.compute(group, ...)}, which serialises it with every other change of that group
 * (and with the removal of the empty group); readers never lock: they iterate the concurrent maps
 * and the clients' immutable connection arrays.
 */
final class Registry {

  private final ConcurrentHashMap<String, ConcurrentHashMap<String, SseClient>> groups =
      new ConcurrentHashMap<>();

  /** Adds {@code connection} to its client (created if needed) and returns that client. */
  SseClient add(SseConnection connection, String clientId, @Nullable Map<String, Object> metadata) {
    SseClient[] result = new SseClient[1];
    groups.compute(connection.group(), (name, clients) -> {
      ConcurrentHashMap<String, SseClient> members = clients != null ? clients : new ConcurrentHashMap<>();
      SseClient client = members.get(clientId);
      if (client == null) {
        client = new SseClient(clientId, name, metadata != null ? metadata : Map.of());
        members.put(clientId, client);
      } else if (metadata != null) {
        client.metadata(metadata);
      }
      client.add(connection);
      result[0] = client;
      return members;
    });
    return result[0];
  }

  /** Removes {@code connection}; its client leaves when it was the last, the group when empty. */
  void remove(SseConnection connection) {
    SseClient client = connection.client();
    groups.computeIfPresent(connection.group(), (name, members) -> {
      if (client.remove(connection) && client.isEmpty()) {
        members.remove(client.id(), client);
      }
      return members.isEmpty() ? null : members;
    });
  }

  Optional<SseClient> client(String group, String clientId) {
    Map<String, SseClient> members = groups.get(group);
    return members == null ? Optional.empty() : Optional.ofNullable(members.get(clientId));
  }

  List<SseClient> clients(String group) {
    Map<String, SseClient> members = groups.get(group);
    return members == null ? List.of() : List.copyOf(members.values());
  }

  List<String> groupNames() {
    return List.copyOf(groups.keySet());
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

  int deliverToClient(String group, String clientId, byte[] frame) {
    Map<String, SseClient> members = groups.get(group);
    SseClient client = members == null ? null : members.get(clientId);
    return client == null ? 0 : deliver(client, frame);
  }

  int deliverToGroup(String group, byte[] frame) {
    Map<String, SseClient> members = groups.get(group);
    if (members == null) {
      return 0;
    }
    int reached = 0;
    for (SseClient client : members.values()) {
      reached += deliver(client, frame);
    }
    return reached;
  }

  int deliverToEveryone(byte[] frame) {
    int reached = 0;
    for (Map<String, SseClient> members : groups.values()) {
      for (SseClient client : members.values()) {
        reached += deliver(client, frame);
      }
    }
    return reached;
  }

  void forEachConnection(Consumer<SseConnection> action) {
    for (Map<String, SseClient> members : groups.values()) {
      for (SseClient client : members.values()) {
        for (SseConnection connection : client.connectionArray()) {
          action.accept(connection);
        }
      }
    }
  }

  List<SseConnection> connections() {
    List<SseConnection> all = new ArrayList<>();
    forEachConnection(all::add);
    return all;
  }

  private static int deliver(SseClient client, byte[] frame) {
    int reached = 0;
    for (SseConnection connection : client.connectionArray()) {
      if (connection.enqueue(frame)) {
        reached++;
      }
    }
    return reached;
  }
}
