package io.sseservice;

import io.sseservice.spi.Transport;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
 * connection.client().connections();   // every device of the same client
 * }</pre>
 *
 * <p>Thread-safety: thread-safe; send from any thread.
 */
public final class SseConnection {

  private final SseService service;
  private final String id;
  private final String group;
  private final Transport transport;
  private final Outbox outbox;
  private final List<DisconnectCallback> callbacks;
  private final AtomicReference<@Nullable CloseReason> closeReason = new AtomicReference<>();
  private final CompletableFuture<CloseReason> ended = new CompletableFuture<>();
  private volatile @Nullable SseClient client;

  SseConnection(SseService service, String id, String group, Transport transport,
      List<DisconnectCallback> callbacks) {
    this.service = service;
    this.id = id;
    this.group = group;
    this.transport = transport;
    this.callbacks = callbacks;
    this.outbox = new Outbox(this, transport, service);
  }

  /** Returns this connection's id, unique within its service. */
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

  /**
   * Queues {@code message} for this connection only. Returns false if the connection has ended.
   *
   * @see SseService#sendToConnection(SseConnection, Object)
   */
  public boolean send(Object message) {
    return service.sendToConnection(this, message) == 1;
  }

  /** Queues {@code event} for this connection only. Returns false if the connection has ended. */
  public boolean send(SseEvent event) {
    return service.send(Target.connection(this), event) == 1;
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

  @Override
  public String toString() {
    SseClient c = client;
    return "SseConnection{id=" + id + ", client=" + (c == null ? "?" : c.id()) + ", group=" + group
        + ", open=" + isOpen() + '}';
  }

  void registered(SseClient client) {
    this.client = client;
  }

  Outbox outbox() {
    return outbox;
  }

  CompletableFuture<CloseReason> ended() {
    return ended;
  }

  boolean enqueue(byte[] frame) {
    return outbox.offer(frame);
  }

  void closeGracefully(CloseReason reason) {
    if (closeReason.compareAndSet(null, reason)) {
      service.unregister(this);
      outbox.drain();
    }
  }

  /**
   * Ends the connection now, dropping whatever is queued. Idempotent. It stops taking events at
   * once; the transport close and the callbacks run outside any send lock.
   */
  void abort(CloseReason reason, @Nullable Throwable cause) {
    closeReason.compareAndSet(null, reason);
    if (outbox.close()) {
      service.unregister(this);
      service.outsideSendLock(() -> {
        // callbacks first: a framework that completes the response itself when told the stream
        // ended (Javalin's future) must get there before the transport's own close
        service.ended(this, closeReason.get(), cause);
        transport.close();
        ended.complete(closeReason.get());
      });
    }
  }

  /** Called by the outbox once a graceful close has written everything. */
  void finish() {
    if (outbox.close()) {
      service.outsideSendLock(() -> {
        service.ended(this, closeReason.get(), null);
        transport.close();
        ended.complete(closeReason.get());
      });
    }
  }

  void runCallbacks(CloseReason reason) {
    for (DisconnectCallback callback : callbacks) {
      try {
        callback.onDisconnect(this, reason);
      } catch (RuntimeException e) {
        SseService.LOG.log(System.Logger.Level.WARNING, "disconnect callback of " + this + " failed", e);
      }
    }
  }
}
