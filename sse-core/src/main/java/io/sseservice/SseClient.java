package io.sseservice;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A client of the service: one id inside one group, with metadata and one or more connections
 * (a browser tab, a phone, a laptop...). This is the seed's {@code client} object. A client exists
 * while it has at least one open connection; when its last connection ends it leaves the registry
 * and {@link #connections()} becomes empty.
 *
 * <p>Thread-safety: thread-safe. It is a live view: every call returns the current state.
 */
public final class SseClient {

  private static final SseConnection[] NONE = new SseConnection[0];

  private final String id;
  private final String group;
  private volatile Map<String, Object> metadata;

  /** Replaced, never mutated, and only inside the registry's per-group critical section. */
  private volatile SseConnection[] connections = NONE;

  SseClient(String id, String group, Map<String, Object> metadata) {
    this.id = id;
    this.group = group;
    this.metadata = metadata;
  }

  /** Returns the client id (given at connect, or generated). */
  public String id() {
    return id;
  }

  /** Returns the group this client belongs to. */
  public String group() {
    return group;
  }

  /** Returns the metadata, unmodifiable; empty if none was set. */
  public Map<String, Object> metadata() {
    return metadata;
  }

  /** Returns the client's open connections, oldest first; empty once the client has left. */
  public List<SseConnection> connections() {
    return List.of(connections);
  }

  @Override
  public String toString() {
    return "SseClient{id=" + id + ", group=" + group + ", connections=" + connections.length + '}';
  }

  synchronized void metadata(Map<String, Object> metadata) {
    this.metadata = metadata;
  }

  /** Merges {@code changes} in (null values remove keys); returns the new metadata. */
  synchronized Map<String, Object> mergeMetadata(Map<String, ?> changes) {
    metadata = Metadata.merge(metadata, changes);
    return metadata;
  }

  SseConnection[] connectionArray() {
    return connections;
  }

  void add(SseConnection connection) {
    SseConnection[] old = connections;
    SseConnection[] grown = Arrays.copyOf(old, old.length + 1);
    grown[old.length] = connection;
    connections = grown;
  }

  /** Returns whether the connection was here; afterwards it is not. */
  boolean remove(SseConnection connection) {
    SseConnection[] old = connections;
    for (int i = 0; i < old.length; i++) {
      if (old[i] == connection) {
        SseConnection[] shrunk = new SseConnection[old.length - 1];
        System.arraycopy(old, 0, shrunk, 0, i);
        System.arraycopy(old, i + 1, shrunk, i, old.length - i - 1);
        connections = shrunk;
        return true;
      }
    }
    return false;
  }

  boolean isEmpty() {
    return connections.length == 0;
  }
}
