package io.sseservice;

import io.sseservice.spi.Transport;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * One open event stream to one client device (the seed's {@code currConnection}). Created by an
 * adapter's {@code connect}; ends when the peer goes, when {@link #close()} is called, when it
 * reads too slowly, or when the service closes. When it ends it leaves the registry and its
 * disconnect callbacks run exactly once.
 *
 * <pre>{@code
 * SseConnection connection = JdkSse.connect(service, exchange, ConnectOptions.defaults());
 * connection.send("welcome");
 * connection.client().connections();   // every device of the same client on this node
 * }</pre>
 *
 * <p>Thread-safety: thread-safe; send from any thread.
 */
public final class SseConnection {

  /** The transport is untouched; {@link #beginOpen} moves it on, an end before that leaves it. */
  private static final int NEW = 0;

  /** {@code transport.open} is running. */
  private static final int OPENING = 1;

  /** {@code transport.open} returned. */
  private static final int OPENED = 2;

  /** The connection ended while {@code transport.open} was running: close when it returns. */
  private static final int CLOSE_AFTER_OPEN = 3;

  /** The transport was closed, or will never be touched. */
  private static final int DONE = 4;

  private final Core core;
  private final String id;
  private final String group;
  private final String clientId;
  private final Transport transport;
  private final Outbox outbox;
  private final List<DisconnectCallback> callbacks;
  private final Instant connectedAt;
  private final Map<String, Object> metadata;
  private final AtomicReference<@Nullable CloseReason> closeReason = new AtomicReference<>();
  private final AtomicInteger transportState = new AtomicInteger(NEW);
  private final CompletableFuture<CloseReason> ended = new CompletableFuture<>();
  private volatile @Nullable SseClient client;

  SseConnection(
      Core core,
      String id,
      String group,
      String clientId,
      Transport transport,
      List<DisconnectCallback> callbacks,
      Instant connectedAt,
      Map<String, Object> metadata) {
    this.core = core;
    this.id = id;
    this.group = group;
    this.clientId = clientId;
    this.transport = transport;
    this.callbacks = callbacks;
    this.connectedAt = connectedAt;
    this.metadata = metadata;
    this.outbox = new Outbox(this, transport, core);
  }

  /**
   * Returns this connection's id, unique in the cluster: it starts with the id of the node that
   * holds it, so {@code Target.connection(id)} reaches it from any node.
   */
  public String id() {
    return id;
  }

  /** Returns the client this connection belongs to (the seed's {@code client}). */
  public SseClient client() {
    SseClient c = client;
    if (c == null) {
      throw new IllegalStateException("connection " + id + " is not registered yet");
    }
    return c;
  }

  /** Returns the group of this connection's client. */
  public String group() {
    return group;
  }

  /** Returns when this connection was registered, by the service's wall clock. */
  public Instant connectedAt() {
    return connectedAt;
  }

  /**
   * Queues {@code message} for this connection only. Returns false if the connection has ended.
   *
   * @see SseService#sendToConnection(SseConnection, Object)
   */
  public boolean send(Object message) {
    return send(core.events.of(message, null, null));
  }

  /**
   * Queues {@code event} for this connection only. Returns false if the connection has ended.
   *
   * @throws IllegalArgumentException if the event's frame is larger than
   *     {@link SseService.Builder#maxEventBytes}; nothing was queued
   */
  public boolean send(SseEvent event) {
    boolean queued =
        enqueue(core.events.encode(core.events.checkSize(event)), -1, event.conflationKeyOrNull());
    if (queued) {
      core.eventsSent.increment();
    }
    return queued;
  }

  /**
   * Ends the connection gracefully: it leaves the registry at once, refuses new events, writes
   * what is already queued, then closes the stream. Idempotent.
   */
  public void close() {
    closeGracefully(CloseReason.CLOSED_BY_SERVER);
  }

  /** Returns whether the connection still accepts events. */
  public boolean isOpen() {
    return closeReason.get() == null;
  }

  /** Returns why the connection ended (or is ending), empty while it is open. */
  public Optional<CloseReason> closeReason() {
    return Optional.ofNullable(closeReason.get());
  }

  /** Returns the bytes queued and not yet handed to the transport. */
  public long queuedBytes() {
    return outbox.queuedBytes();
  }

  /**
   * Returns this connection's own metadata ({@link ConnectOptions.Builder#connectionMetadata}),
   * unmodifiable; its client's is {@code client().metadata()}.
   */
  public Map<String, Object> metadata() {
    return metadata;
  }

  /** Returns a snapshot of this connection, as the cluster directory lists it. */
  public ConnectionInfo info() {
    return new ConnectionInfo(id, core.config.nodeId(), group, clientId, connectedAt, metadata);
  }

  @Override
  public String toString() {
    return "SseConnection{id="
        + id
        + ", client="
        + Logs.quote(clientId)
        + ", group="
        + Logs.quote(group)
        + ", open="
        + isOpen()
        + '}';
  }

  // ---- package-private: the connect flow, the registry, the outbox ----

  String clientId() {
    return clientId;
  }

  /** Binds the client; the registry calls it before the connection is visible to other threads. */
  void bind(SseClient client) {
    this.client = client;
  }

  @Nullable SseClient boundClient() {
    return client;
  }

  Outbox outbox() {
    return outbox;
  }

  Transport transport() {
    return transport;
  }

  CompletableFuture<CloseReason> ended() {
    return ended;
  }

  /** Queues {@code frame}, replacing a queued frame with conflation key {@code key} (if not null). */
  boolean enqueue(byte[] frame, long seq, @Nullable String key) {
    return outbox.offer(frame, seq, key);
  }

  /** Claims the right to open the transport; false if the connection was ended before. */
  boolean beginOpen() {
    if (outbox.isClosed()) {
      transportState.compareAndSet(NEW, DONE);
      return false;
    }
    return transportState.compareAndSet(NEW, OPENING);
  }

  /**
   * Called when {@code transport.open} returned: lets writes start, or closes the transport if
   * the connection ended meanwhile.
   */
  void opened() {
    if (transportState.compareAndSet(OPENING, OPENED)) {
      outbox.open();
    } else if (transportState.compareAndSet(CLOSE_AFTER_OPEN, DONE)) {
      closeTransport();
    }
  }

  void closeGracefully(CloseReason reason) {
    if (closeReason.compareAndSet(null, reason)) {
      core.registry.remove(this);
      outbox.drain();
    }
  }

  /**
   * Ends the connection now, dropping whatever is queued. Idempotent. It stops taking events at
   * once; the transport close and the callbacks run outside any group lock.
   */
  void abort(CloseReason reason, @Nullable Throwable cause) {
    closeReason.compareAndSet(null, reason);
    if (outbox.close()) {
      core.registry.remove(this);
      AfterLocks.run(() -> end(cause));
    }
  }

  /** Called by the outbox once a graceful close has written everything. */
  void finish() {
    if (outbox.close()) {
      AfterLocks.run(() -> end(null));
    }
  }

  /** Runs once per connection: counters, listeners, callbacks, then the transport's close. */
  private void end(@Nullable Throwable cause) {
    // abort and closeGracefully set the reason before anything can lead here
    CloseReason reason = Objects.requireNonNull(closeReason.get(), "closeReason");
    if (reason == CloseReason.SLOW_CONSUMER) {
      core.slowDisconnects.increment();
      SseService.LOG.log(
          Level.WARNING,
          Logs.quote(
              "closed slow consumer "
                  + this
                  + " (its queue stayed over "
                  + core.config.maxQueuedBytes()
                  + " bytes for "
                  + core.config.slowConsumerGrace()
                  + ", or would have passed "
                  + core.config.hardMaxQueuedBytes()
                  + ", or a write took "
                  + core.config.writeTimeout()
                  + ")"));
    } else if (cause != null) {
      SseService.LOG.log(Level.DEBUG, Logs.quote(this + " ended: " + reason), cause);
    }
    try {
      // callbacks first: a framework that completes the response itself when told the stream
      // ended (Javalin's future) must get there before the transport's own close
      core.listeners.disconnected(this, reason);
      runCallbacks(reason);
      releaseTransport();
    } finally {
      ended.complete(reason);
    }
  }

  /** Closes the transport if it was opened; leaves an untouched one to the adapter. */
  private void releaseTransport() {
    while (true) {
      int state = transportState.get();
      if (state == NEW || state == OPENED) {
        if (transportState.compareAndSet(state, DONE)) {
          if (state == OPENED) {
            closeTransport();
          }
          return;
        }
      } else if (state == OPENING) {
        if (transportState.compareAndSet(OPENING, CLOSE_AFTER_OPEN)) {
          return; // opened() closes it when open returns
        }
      } else {
        return;
      }
    }
  }

  void closeTransport() {
    try {
      transport.close();
    } catch (Throwable e) {
      SseService.LOG.log(
          Level.WARNING, Logs.quote("closing the transport of " + this + " failed"), e);
    }
  }

  private void runCallbacks(CloseReason reason) {
    for (DisconnectCallback callback : callbacks) {
      try {
        callback.onDisconnect(this, reason);
      } catch (RuntimeException e) {
        SseService.LOG.log(
            Level.WARNING, Logs.quote("disconnect callback of " + this + " failed"), e);
      }
    }
  }
}
