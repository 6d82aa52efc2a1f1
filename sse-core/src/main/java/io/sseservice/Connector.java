package io.sseservice;

import static java.util.Objects.requireNonNull;

import io.sseservice.internal.SseEncoder;
import io.sseservice.spi.EventHistory;
import io.sseservice.spi.Replay;
import io.sseservice.spi.ReplayRequest;
import io.sseservice.spi.Transport;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jspecify.annotations.Nullable;

/**
 * The connect flow, one small state machine per connection: admit (refused once the service is
 * closed), register (client bound before the connection is visible), cut the replay (under the
 * group's lock, so no event slips between replay and live), in a cluster make sure this node
 * follows the group ({@link ClusterFeed#follow}), open the transport, go live. Anything
 * that fails on the way ends the connection exactly once and removes it; a connection that ended
 * before its transport could open is refused with {@link ConnectRefusedException}, the transport
 * untouched, so the adapter answers the request itself.
 *
 * <p>A replay that a remote history answers later gates the connection's queue: live events
 * wait (and the ones the replay holds are dropped) until the replay is in, or until
 * {@link #REPLAY_TIMEOUT} turns it into a reset.
 *
 * <p>Thread-safety: thread-safe. The admission lock's read side is held while a connection is
 * admitted and registered, its write side only while {@link #close()} flips the flag, so after
 * {@code close()} returns every admitted connection is in the registry, where the service's close
 * finds it.
 */
final class Connector {

  /** How long a replay may take before the connection gets the reset event instead. */
  static final Duration REPLAY_TIMEOUT = Duration.ofSeconds(10);

  private final Core core;
  private final @Nullable EventHistory history;

  /** This node's end of the cluster's backplane; null on a single node. */
  private final @Nullable ClusterFeed feed;

  private final ScheduledExecutorService scheduler;
  private final byte @Nullable [] retryFrame;
  private final AtomicLong connectionIds = new AtomicLong();
  private final ReentrantReadWriteLock admission = new ReentrantReadWriteLock();
  private boolean closed; // guarded by admission

  Connector(
      Core core,
      @Nullable EventHistory history,
      @Nullable ClusterFeed feed,
      ScheduledExecutorService scheduler) {
    this.core = core;
    this.history = history;
    this.feed = feed;
    this.scheduler = scheduler;
    Duration retry = core.config.retry();
    this.retryFrame =
        retry == null ? null : SseEncoder.encode(SseEvent.builder().retry(retry).build());
  }

  SseConnection connect(Transport given, ConnectOptions options) {
    requireNonNull(given, "transport");
    requireNonNull(options, "options");
    ServiceConfig config = core.config;
    Transport transport =
        config.transportDecorator() == null
            ? given
            : requireNonNull(
                config.transportDecorator().apply(given), "transportDecorator returned null");
    String group = options.group().orElse(config.defaultGroup());
    String clientId = clientId(options);
    SseConnection connection =
        new SseConnection(
            core,
            config.nodeId() + "." + connectionIds.incrementAndGet(),
            group,
            clientId,
            transport,
            options.onDisconnect(),
            config.clock().instant(),
            options.connectionMetadata());
    if (retryFrame != null) {
      connection.outbox().offerFirst(List.of(retryFrame));
    }
    admit(connection, options);
    core.listeners.connected(connection);
    if (!connection.beginOpen()) {
      throw new ConnectRefusedException(
          ConnectRefusedException.SERVICE_UNAVAILABLE,
          connection
              + " ended ("
              + connection.closeReason().orElse(null)
              + ") before its stream opened");
    }
    try {
      transport.open(
          ResponseHeaders.merge(options.headers(), transport.allowsConnectionHeader()),
          () -> connection.abort(CloseReason.PEER_GONE, null));
    } catch (Throwable e) {
      SseService.LOG.log(
          e instanceof Error ? Level.WARNING : Level.DEBUG,
          Logs.quote("could not open " + connection),
          e);
      connection.abort(CloseReason.PEER_GONE, e);
    }
    connection.opened();
    if (!transport.noticesPeerGone()) {
      EarlyProbes.schedule(core, connection);
    }
    return connection;
  }

  /** Refuses connects from now on; returns once no connect is between admission and registry. */
  void close() {
    admission.writeLock().lock();
    try {
      closed = true;
    } finally {
      admission.writeLock().unlock();
    }
  }

  private String clientId(ConnectOptions options) {
    if (options.clientId().isPresent()) {
      return options.clientId().get();
    }
    String generated = core.config.clientIdGenerator().get();
    if (generated == null || generated.isEmpty()) {
      throw new IllegalStateException(
          "clientIdGenerator returned "
              + (generated == null ? "null" : "\"\"")
              + " (expected: a non-empty id)");
    }
    try {
      return Names.check(generated, "clientId");
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "clientIdGenerator returned an id it may not: " + e.getMessage(), e);
    }
  }

  private void admit(SseConnection connection, ConnectOptions options) {
    admission.readLock().lock();
    try {
      if (closed) {
        throw new ConnectRefusedException(
            ConnectRefusedException.SERVICE_UNAVAILABLE,
            "service is shutting down: the SseService is closed and takes no new connections");
      }
      register(connection, options);
    } finally {
      admission.readLock().unlock();
    }
    if (feed != null) {
      feed.follow(connection.group());
    }
  }

  /**
   * Registers the connection and, when it carries a last event id and history is on, cuts its
   * replay under the group's lock: what the history holds by then comes from the replay, every
   * later event live.
   */
  private void register(SseConnection connection, ConnectOptions options) {
    EventHistory replaying = history;
    String lastEventId = options.lastEventId().orElse(null);
    if (replaying == null || lastEventId == null) {
      core.registry.add(connection, options.metadata().orElse(null));
      return;
    }
    core.locks.run(
        connection.group(),
        () -> {
          core.registry.add(connection, options.metadata().orElse(null));
          replay(connection, replaying, lastEventId);
        });
  }

  private void replay(SseConnection connection, EventHistory replaying, String lastEventId) {
    Outbox outbox = connection.outbox();
    outbox.gate();
    CompletionStage<Replay> stage;
    try {
      stage =
          replaying.replay(
              new ReplayRequest(
                  connection.group(),
                  connection.clientId(),
                  lastEventId,
                  core.config.replayLimit(),
                  SseEncoder::encode));
    } catch (RuntimeException e) {
      SseService.LOG.log(
          Level.WARNING,
          Logs.quote("replay for " + connection + " failed; it gets " + SseService.RESET_EVENT),
          e);
      outbox.openGate(List.of(LocalDelivery.resetFrame(null)), Replay.UNKNOWN_POSITION);
      return;
    }
    stage.whenComplete(
        (replay, failure) -> {
          if (failure != null || replay == null) {
            SseService.LOG.log(
                Level.WARNING,
                Logs.quote(
                    "replay for " + connection + " failed; it gets " + SseService.RESET_EVENT),
                failure);
            outbox.openGate(List.of(LocalDelivery.resetFrame(null)), Replay.UNKNOWN_POSITION);
          } else if (replay.isReset()) {
            outbox.openGate(
                List.of(LocalDelivery.resetFrame(replay.newestId().orElse(null))),
                replay.throughSeq());
          } else {
            outbox.openGate(replay.frames(), replay.throughSeq());
          }
        });
    if (outbox.isGated()) {
      timeOut(connection);
    }
  }

  /** Turns a replay that has not come after {@link #REPLAY_TIMEOUT} into a reset. */
  private void timeOut(SseConnection connection) {
    try {
      scheduler.schedule(
          () -> {
            if (connection.outbox().isGated()) {
              SseService.LOG.log(
                  Level.WARNING,
                  Logs.quote(
                      "replay for "
                          + connection
                          + " took over "
                          + REPLAY_TIMEOUT
                          + "; it gets "
                          + SseService.RESET_EVENT));
              connection
                  .outbox()
                  .openGate(List.of(LocalDelivery.resetFrame(null)), Replay.UNKNOWN_POSITION);
            }
          },
          REPLAY_TIMEOUT.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // the scheduler is gone: the service is closing, and so is the connection
    }
  }
}
