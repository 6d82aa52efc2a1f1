package io.sseservice;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What an adapter's {@code connect} needs to know about a new connection besides the HTTP
 * exchange: the seed's {@code clientId}, {@code groupName}, {@code meta}, {@code onDisconnectCb}
 * and {@code originalResHeaders}. Every field is optional.
 *
 * <pre>{@code
 * ConnectOptions options = ConnectOptions.builder()
 *     .clientId(user.id())              // generated when absent
 *     .group("room-7")                  // the service's default group when absent
 *     .metadata(Map.of("name", user.name()))            // the client's, merged at each connect
 *     .connectionMetadata(Map.of("device", "phone"))   // this connection's own
 *     .onDisconnect(() -> log.info("bye"))
 *     .build();
 * }</pre>
 *
 * <p>Thread-safety: immutable.
 */
public final class ConnectOptions {

  /** The request header in which browsers send the id of the last event they received. */
  public static final String LAST_EVENT_ID_HEADER = "Last-Event-ID";

  /**
   * The query parameter that adapters read as the last event id when the header is absent, for
   * clients that cannot set headers (a first connect of a browser {@code EventSource}).
   */
  public static final String LAST_EVENT_ID_PARAM = "lastEventId";

  private static final ConnectOptions DEFAULTS = builder().build();

  private final @Nullable String clientId;
  private final @Nullable String group;
  private final @Nullable Map<String, Object> metadata;
  private final Map<String, Object> connectionMetadata;
  private final List<DisconnectCallback> onDisconnect;
  private final Map<String, String> headers;
  private final @Nullable String lastEventId;

  private ConnectOptions(Builder b) {
    this.lastEventId = b.lastEventId;
    this.clientId = b.clientId;
    this.group = b.group;
    this.metadata = b.metadata;
    this.connectionMetadata = b.connectionMetadata;
    this.onDisconnect = List.copyOf(b.onDisconnect);
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
  }

  /** Returns options with every field absent. */
  public static ConnectOptions defaults() {
    return DEFAULTS;
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder holding these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.clientId = clientId;
    b.group = group;
    b.metadata = metadata;
    b.connectionMetadata = connectionMetadata;
    b.onDisconnect.addAll(onDisconnect);
    b.headers.putAll(headers);
    b.lastEventId = lastEventId;
    return b;
  }

  /**
   * Returns the id of the last event the client received, as it sent it back on reconnecting;
   * with history on, the service replays what came after it.
   */
  public Optional<String> lastEventId() {
    return Optional.ofNullable(lastEventId);
  }

  /** Returns the client id; the service generates one when absent. */
  public Optional<String> clientId() {
    return Optional.ofNullable(clientId);
  }

  /** Returns the group; the service's default group when absent. */
  public Optional<String> group() {
    return Optional.ofNullable(group);
  }

  /**
   * Returns the client metadata to merge into the client's at connect: its keys replace the
   * client's values of the same keys (a null value removes the key), the client's other keys stay.
   * A new client starts with exactly these; when absent, the client's metadata does not change.
   * What belongs to one device (its name, user agent) goes in {@link #connectionMetadata()}.
   */
  public Optional<Map<String, Object>> metadata() {
    return Optional.ofNullable(metadata);
  }

  /**
   * Returns the metadata of this connection alone ({@link SseConnection#metadata()},
   * {@link ConnectionInfo#metadata()}): what tells a client's devices apart. Empty when none.
   */
  public Map<String, Object> connectionMetadata() {
    return connectionMetadata;
  }

  /** Returns the disconnect callbacks, in the order they were added. */
  public List<DisconnectCallback> onDisconnect() {
    return onDisconnect;
  }

  /**
   * Returns extra response headers to pass through (the seed's {@code originalResHeaders}); the
   * service's own SSE headers win over these on the same name.
   */
  public Map<String, String> headers() {
    return headers;
  }

  /**
   * Builds {@link ConnectOptions}.
   *
   * <p>Thread-safety: not thread-safe; use one builder per thread.
   */
  public static final class Builder {
    private @Nullable String clientId;
    private @Nullable String group;
    private @Nullable Map<String, Object> metadata;
    private Map<String, Object> connectionMetadata = Map.of();
    private final List<DisconnectCallback> onDisconnect = new ArrayList<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private @Nullable String lastEventId;

    private Builder() {}

    /**
     * Sets the last event id the client sent (adapters fill it from the
     * {@value #LAST_EVENT_ID_HEADER} header or the {@value #LAST_EVENT_ID_PARAM} query parameter).
     * Any text is accepted: it comes from the peer, and an id the history does not know gets a
     * reset event, never an error. An empty id means none.
     */
    public Builder lastEventId(@Nullable String lastEventId) {
      this.lastEventId = lastEventId == null || lastEventId.isEmpty() ? null : lastEventId;
      return this;
    }

    /**
     * Sets the client id, e.g. a user id taken from a verified token. Must not be empty, nor hold
     * a control character (CR, LF, NUL, DEL, a C1 control), a line separator, a bidirectional
     * control or an unpaired surrogate: the id is quoted in log lines. An adapter's ready handler
     * answers the {@link IllegalArgumentException} with 400 and its message.
     */
    public Builder clientId(@Nullable String clientId) {
      if (clientId != null && clientId.isEmpty()) {
        throw new IllegalArgumentException("clientId: \"\" (expected: a non-empty id, or null)");
      }
      this.clientId = Names.checkNullable(clientId, "clientId");
      return this;
    }

    /**
     * Sets the group (the seed's {@code groupName}). Must not be empty, nor hold a character that
     * {@link #clientId} refuses.
     */
    public Builder group(@Nullable String group) {
      if (group != null && group.isEmpty()) {
        throw new IllegalArgumentException("group: \"\" (expected: a non-empty name, or null)");
      }
      this.group = Names.checkNullable(group, "group");
      return this;
    }

    /**
     * Sets the client metadata, merged into the client's at connect (see {@link #metadata()});
     * the map is copied, its keys must not be null nor hold a character that {@link #clientId}
     * refuses (the values may hold anything).
     */
    public Builder metadata(@Nullable Map<String, ?> metadata) {
      this.metadata = metadata == null ? null : Metadata.copy(Names.checkKeys(metadata));
      return this;
    }

    /**
     * Sets this connection's own metadata (a device name, a user agent); the map is copied, its
     * keys must not be null nor hold a character that {@link #clientId} refuses.
     */
    public Builder connectionMetadata(Map<String, ?> metadata) {
      requireNonNull(metadata, "metadata");
      this.connectionMetadata = Metadata.copy(Names.checkKeys(metadata));
      return this;
    }

    /** Adds a callback that runs once when the connection ends. */
    public Builder onDisconnect(DisconnectCallback callback) {
      onDisconnect.add(requireNonNull(callback, "callback"));
      return this;
    }

    /** Adds a callback that runs once when the connection ends (the seed's form). */
    public Builder onDisconnect(Runnable callback) {
      requireNonNull(callback, "callback");
      onDisconnect.add((connection, reason) -> callback.run());
      return this;
    }

    /** Adds a response header to pass through; the service's own SSE headers win. */
    public Builder header(String name, String value) {
      headers.put(requireNonNull(name, "name"), requireNonNull(value, "value"));
      return this;
    }

    /** Adds response headers to pass through (the seed's {@code originalResHeaders}). */
    public Builder headers(Map<String, String> headers) {
      headers.forEach(this::header);
      return this;
    }

    /** Returns the options. */
    public ConnectOptions build() {
      return new ConnectOptions(this);
    }
  }
}
