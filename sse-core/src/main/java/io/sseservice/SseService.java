package io.sseservice;

import static java.util.Objects.requireNonNull;

import io.sseservice.internal.SseEncoder;
import io.sseservice.spi.Backplane;
import io.sseservice.spi.ClientDirectory;
import io.sseservice.spi.EventHistory;
import io.sseservice.spi.MessageCodec;
import io.sseservice.spi.Ticker;
import io.sseservice.spi.Transport;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Pushes server-sent events to clients, each with one or more connections, inside groups: the
 * Java form of the npm package {@code sse-service}. Adapters (JDK server, Servlet, Netty, ...)
 * connect HTTP exchanges; the application sends to one client, one connection, a group, or
 * everyone. Each send encodes the event once, queues the shared bytes on every receiving
 * connection without blocking, and returns how many connections of this service it reached.
 *
 * <pre>{@code
 * SseService service = SseService.builder()
 *     .messageCodec(JacksonMessageCodec.create())
 *     .build();
 * // in a handler:   JdkSse.connect(service, exchange, ConnectOptions.builder().clientId(userId).build());
 * // anywhere else:  service.sendToClient(userId, Map.of("unread", 3));
 * }</pre>
 *
 * <p>In a cluster ({@link Builder#backplane}), a send on any node reaches the connections of
 * every node, in one order per group: the event is published once and every node, this one too,
 * delivers it when the backplane hands it back. The send methods then return 0 (this node's share
 * arrives through the backplane, after they return); a send the backplane refuses throws
 * {@link SseException}, and one that fails later is told to {@link SseListener#onPublishFailed}.
 * {@link #directory()} answers client queries for the whole cluster.
 *
 * <p>A null group means the default group, in every method. Every method that takes a client id
 * or a group refuses, with an {@link IllegalArgumentException} naming it, one that holds a
 * control character (CR, LF, NUL, DEL, a C1 control), a line separator, a bidirectional control
 * or an unpaired surrogate (see {@link ConnectOptions.Builder#clientId}).
 *
 * <p>Limits keep one client, one group or a flood of connects from taking the memory of all: a
 * connect over {@link Builder#maxConnections}, {@link Builder#maxConnectionsPerClient},
 * {@link Builder#maxConnectionsPerGroup} or {@link Builder#maxGroups} is refused with a
 * {@link ConnectRefusedException} naming the limit (the adapters answer 429 or 503 with it), and
 * a send of an event larger than {@link Builder#maxEventBytes} with an
 * {@link IllegalArgumentException}, before anything is queued, recorded or published. Each limit
 * has a default; the connection limits count this node's connections.
 *
 * <p>Thread-safety: thread-safe; every method may be called from any thread. No method blocks on
 * a connection, except {@link #close()}, which waits up to the shutdown timeout for queued events.
 */
public final class SseService implements AutoCloseable {

  static final System.Logger LOG = System.getLogger("io.sseservice");

  /**
   * The type of the event a reconnecting connection gets when its {@code Last-Event-ID} is unknown
   * or older than the history holds, or when a cluster lost events before they reached it: its
   * data (and id) is the group's newest id, or empty. The application should then reload its state
   * from its own source of truth.
   */
  public static final String RESET_EVENT = "sse-reset";

  private final Core core;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final @Nullable EventHistory history;
  private final @Nullable Backplane backplane;
  private final ClientDirectory directory;
  private final SseDirectory directoryView;
  private final Connector connector;
  private final Router router;
  private final @Nullable ScheduledFuture<?> housekeeping;
  private volatile boolean closed;

  private SseService(ServiceConfig config) {
    ScheduledExecutorService given = config.scheduler();
    this.ownsScheduler = given == null;
    this.scheduler = given != null ? given : Scheduler.daemon();
    this.core = new Core(config, scheduler);
    this.history = config.history();
    this.backplane = config.backplane();
    this.directory =
        config.directory() != null ? config.directory() : new LocalDirectory(core.registry);
    this.directoryView =
        new SseDirectory(directory, config.defaultGroup(), config.directory() != null);
    LocalDelivery local = new LocalDelivery(core, backplane == null ? history : null);
    ClusterFeed feed =
        backplane == null ? null : new ClusterFeed(core, backplane, local, scheduler);
    this.connector = new Connector(core, history, feed, scheduler);
    this.router = new Router(core, local, backplane, directory);
    DirectoryBridge bridge = new DirectoryBridge(core, directory, scheduler);
    core.registry.transitions().consumer(bridge::accept);
    directory.start(bridge);
    if (backplane != null && feed != null) { // feed is made exactly when there is a backplane
      backplane.start(feed);
    }
    this.housekeeping = Housekeeper.start(core, scheduler, history);
  }

  /** Returns a builder with every option at its documented default. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a service with every option at its default (no codec: strings only). */
  public static SseService create() {
    return builder().build();
  }

  // ---- connecting (called by adapters) ----

  /**
   * Registers a new connection over {@code transport} and opens the stream. Adapters call this;
   * applications call their adapter's {@code connect}. If the transport cannot be opened, the
   * returned connection has already ended as {@link CloseReason#PEER_GONE}.
   *
   * @throws ConnectRefusedException if the service is closed, the connection ended before its
   *     stream could open (status 503), or the connect would go over a limit: the client has
   *     {@link Builder#maxConnectionsPerClient} (429), the service {@link Builder#maxConnections},
   *     the group {@link Builder#maxConnectionsPerGroup}, or a new group would pass
   *     {@link Builder#maxGroups} (503); the transport was not touched, so the caller answers the
   *     request with the status and the message, which names the limit
   */
  public SseConnection connect(Transport transport, ConnectOptions options) {
    return connector.connect(transport, options);
  }

  // ---- sending: the seed's operations ----

  /** Sends {@code message} to every connection of client {@code clientId} in the default group. */
  public int sendToClient(String clientId, Object message) {
    return sendToClient(clientId, message, null, null, null);
  }

  /** Sends {@code message} as {@code eventType} to every connection of a default-group client. */
  public int sendToClient(String clientId, Object message, @Nullable String eventType) {
    return sendToClient(clientId, message, eventType, null, null);
  }

  /** Sends to every connection of client {@code clientId} in {@code group} (null: default). */
  public int sendToClient(
      String clientId, Object message, @Nullable String eventType, @Nullable String group) {
    return sendToClient(clientId, message, eventType, group, null);
  }

  /**
   * Sends {@code message} to every connection of client {@code clientId} (the seed's
   * {@code sendSSEToClient}). Null {@code eventType}, {@code group} or {@code id} mean: none, the
   * default group, none.
   *
   * @return the number of this service's connections the event was queued on (0 if the client is
   *     not connected here; always 0 in a cluster, where delivery follows through the backplane)
   * @throws IllegalArgumentException if {@code eventType} or {@code id} is not allowed, or the
   *     event's frame is larger than {@link Builder#maxEventBytes} (on every send method)
   * @throws IllegalStateException if {@code message} is not a String and no codec is configured
   */
  public int sendToClient(
      String clientId,
      Object message,
      @Nullable String eventType,
      @Nullable String group,
      @Nullable String id) {
    Target target = Target.client(requireNonNull(clientId, "clientId"), group);
    return send(target, core.events.of(message, eventType, id));
  }

  /** Sends {@code message} to {@code connection} only; returns 1, or 0 if it has ended. */
  public int sendToConnection(SseConnection connection, Object message) {
    return sendToConnection(connection, message, null, null);
  }

  /** Sends {@code message} as {@code eventType} to {@code connection} only. */
  public int sendToConnection(
      SseConnection connection, Object message, @Nullable String eventType) {
    return sendToConnection(connection, message, eventType, null);
  }

  /**
   * Sends {@code message} to {@code connection} only (the seed's {@code sendSSEToConnection}).
   * Events sent to one connection are not kept for replay.
   *
   * @return 1 if queued, 0 if the connection has ended
   */
  public int sendToConnection(
      SseConnection connection, Object message, @Nullable String eventType, @Nullable String id) {
    return send(Target.connection(connection), core.events.of(message, eventType, id));
  }

  /** Sends {@code message} to every connection of the default group. */
  public int sendToAll(Object message) {
    return sendToAll(message, null, null, null);
  }

  /** Sends {@code message} as {@code eventType} to every connection of the default group. */
  public int sendToAll(Object message, @Nullable String eventType) {
    return sendToAll(message, eventType, null, null);
  }

  /** Sends {@code message} as {@code eventType} to every connection of {@code group}. */
  public int sendToAll(Object message, @Nullable String eventType, @Nullable String group) {
    return sendToAll(message, eventType, group, null);
  }

  /**
   * Sends {@code message} to every connection of {@code group} (null: the default group), the
   * seed's {@code sendSSEToAll}. Use {@link #send(Target, SseEvent)} with
   * {@link Target#everyone()} to reach every group.
   *
   * @return the number of this service's connections the event was queued on (0 in a cluster)
   */
  public int sendToAll(
      Object message, @Nullable String eventType, @Nullable String group, @Nullable String id) {
    Target target = group == null ? Target.defaultGroup() : Target.group(group);
    return send(target, core.events.of(message, eventType, id));
  }

  /**
   * Sends {@code event} to {@code target}: encodes it once, queues the bytes on every receiving
   * connection, and returns without waiting for the network.
   *
   * @return the number of this service's connections the event was queued on (0 in a cluster,
   *     except for a connection target on this node)
   * @throws IllegalArgumentException if the event's frame is larger than
   *     {@link Builder#maxEventBytes}; nothing was queued, recorded or published
   * @throws SseException if a backplane refused the event
   */
  public int send(Target target, SseEvent event) {
    requireNonNull(target, "target");
    core.events.checkSize(requireNonNull(event, "event"));
    int reached = router.send(target, event);
    core.eventsSent.add(reached);
    return reached;
  }

  // ---- back-pressure: publishing at the readers' pace ----

  /**
   * Whether every connection of this node can take more now: no queue is over
   * {@link Builder#maxQueuedBytes} while its writes are still going. A connection whose writes
   * made no progress for a second (a reader that stopped, a peer that vanished) does not count:
   * the grace period or the write timeout ends it, and the others must not wait for it. Cheap
   * (one volatile read) while no queue is over its bound; never blocks.
   */
  public boolean hasCapacity() {
    return core.backlog.hasCapacity();
  }

  /**
   * Waits until {@link #hasCapacity()}, at most {@code timeout}; returns whether there is capacity.
   * A publisher that sends in a loop (a message-queue consumer, a replay of a log) calls it between
   * sends so that it slows to the pace of the readers instead of queueing faster than the network
   * drains, which would make healthy readers slow consumers after {@link Builder#slowConsumerGrace}
   * or at {@link Builder#hardMaxQueuedBytes}. It returns at once while nothing is over its bound.
   * It blocks: never call it on an event loop (an adapter's I/O thread); use {@link #hasCapacity()}
   * there. In a cluster it counts this node's connections only.
   *
   * @throws InterruptedException if the thread is interrupted while it waits
   */
  public boolean awaitCapacity(Duration timeout) throws InterruptedException {
    return core.backlog.await(Options.duration(timeout, "timeout").toNanos());
  }

  // ---- the registry: the seed's getters and setters, for this node ----

  /** Returns client {@code clientId} of the default group here (the seed's {@code getClientObj}). */
  public Optional<SseClient> client(String clientId) {
    return client(clientId, null);
  }

  /**
   * Returns client {@code clientId} of {@code group} (null: the default group), if it has an open
   * connection to this service; {@link #directory()} looks across a cluster.
   */
  public Optional<SseClient> client(String clientId, @Nullable String group) {
    return core.registry.client(group(group), clientId(clientId));
  }

  /** Returns the clients of the default group here (the seed's {@code getAllClientObjs}). */
  public List<SseClient> clients() {
    return clients(null);
  }

  /** Returns this service's clients of {@code group}; empty, never null, for a group nobody is in. */
  public List<SseClient> clients(@Nullable String group) {
    return core.registry.clients(group(group));
  }

  /** Returns the names of the groups that have at least one client here. */
  public Set<String> groups() {
    return Set.copyOf(core.registry.groupNames());
  }

  /** Replaces the metadata of default-group client {@code clientId} (the seed's form). */
  public Optional<SseClient> setClientMetadata(String clientId, Map<String, ?> metadata) {
    return setClientMetadata(clientId, metadata, null);
  }

  /**
   * Replaces the metadata of client {@code clientId} in {@code group} (null: default) and returns
   * this service's client, or empty if it is not connected here (metadata lives as long as the
   * client has a connection). With a cluster directory the metadata is replaced on every node;
   * {@link SseDirectory#setClientMetadata} tells when that is done.
   */
  public Optional<SseClient> setClientMetadata(
      String clientId, Map<String, ?> metadata, @Nullable String group) {
    return changeMetadata(clientId, requireNonNull(metadata, "metadata"), group, true);
  }

  /** Merges into the metadata of default-group client {@code clientId}; see the 3-argument form. */
  public Optional<SseClient> mergeClientMetadata(String clientId, Map<String, ?> changes) {
    return mergeClientMetadata(clientId, changes, null);
  }

  /**
   * Merges {@code changes} into the metadata of client {@code clientId} in {@code group} (null:
   * default): each key replaces that key's value, a null value removes the key, the client's
   * other keys stay. Returns this service's client, or empty if it is not connected here. With a
   * cluster directory the merge is made, atomically, in the directory and every node follows;
   * {@link SseDirectory#mergeClientMetadata} tells when that is done.
   */
  public Optional<SseClient> mergeClientMetadata(
      String clientId, Map<String, ?> changes, @Nullable String group) {
    return changeMetadata(clientId, requireNonNull(changes, "changes"), group, false);
  }

  /** Replaces or merges this node's client's metadata at once, then the directory's. */
  private Optional<SseClient> changeMetadata(
      String clientId, Map<String, ?> metadata, @Nullable String group, boolean replace) {
    clientId(clientId);
    Map<String, Object> copy = Metadata.copy(Names.checkKeys(metadata));
    Optional<SseClient> client = client(clientId, group);
    client.ifPresent(
        c -> {
          if (replace) {
            c.metadata(copy);
          } else {
            c.mergeMetadata(copy);
          }
        });
    if (directoryView.isClustered()) {
      (replace
              ? directoryView.setClientMetadata(clientId, copy, group)
              : directoryView.mergeClientMetadata(clientId, copy, group))
          .whenComplete(
              (ok, failure) -> {
                if (failure != null) {
                  LOG.log(
                      Level.WARNING,
                      Logs.quote(
                          "could not "
                              + (replace ? "set" : "merge into")
                              + " the metadata of "
                              + clientId
                              + " in the cluster directory"),
                      failure);
                }
              });
    }
    return client;
  }

  /** Returns the client queries for the whole cluster (for this service alone without one). */
  public SseDirectory directory() {
    return directoryView;
  }

  // ---- lifecycle and observation ----

  /** Returns this node's id: part of every connection id, unique in a cluster. */
  public String nodeId() {
    return core.config.nodeId();
  }

  /** Returns the name of the group used when none is given. */
  public String defaultGroup() {
    return core.config.defaultGroup();
  }

  /** Returns a snapshot of this service's counters. */
  public SseStats stats() {
    Registry registry = core.registry;
    return new SseStats(
        registry.connectionCount(),
        registry.clientCount(),
        registry.groupCount(),
        core.eventsSent.sum(),
        core.eventsDropped.sum(),
        core.slowDisconnects.sum(),
        history == null ? 0 : history.bytes(),
        core.publishFailures.sum(),
        core.eventsConflated.sum());
  }

  /** Returns whether {@link #close()} has been called. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Closes every connection gracefully: each leaves the registry, writes what was queued (and a
   * reconnect delay from the shutdown window), and ends, within the shutdown timeout; connections
   * still writing then are cut. Later connects are refused, later sends reach nobody; a backplane
   * and a directory leave the cluster. Idempotent. Each step is isolated: a transport or
   * component that throws is logged and the rest still closes.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    connector.close();
    if (housekeeping != null) {
      housekeeping.cancel(false);
    }
    List<SseConnection> all = core.registry.connections();
    List<CompletableFuture<CloseReason>> endings = new ArrayList<>(all.size());
    for (SseConnection connection : all) {
      try {
        reconnectHint().ifPresent(hint -> connection.enqueue(hint, -1, null));
        connection.closeGracefully(CloseReason.SERVICE_SHUTDOWN);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, Logs.quote("closing " + connection + " failed"), e);
      }
      endings.add(connection.ended());
    }
    awaitEndings(endings);
    for (SseConnection connection : all) {
      connection.abort(CloseReason.SERVICE_SHUTDOWN, null);
    }
    closeQuietly(backplane);
    closeQuietly(directory);
    if (ownsScheduler) {
      scheduler.shutdown(); // not shutdownNow: tasks handed to it must still run
    }
  }

  private void awaitEndings(List<CompletableFuture<CloseReason>> endings) {
    Duration timeout = core.config.shutdownTimeout();
    try {
      CompletableFuture.allOf(endings.toArray(CompletableFuture[]::new))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.log(
          Level.WARNING,
          "shutdown timeout " + timeout + " passed; cutting connections that are still writing");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "error while closing connections", e);
    }
  }

  private static void closeQuietly(@Nullable AutoCloseable component) {
    if (component == null) {
      return;
    }
    try {
      component.close();
    } catch (Exception | LinkageError e) {
      LOG.log(Level.WARNING, Logs.quote("closing " + component + " failed"), e);
    }
  }

  /**
   * A {@code retry:} frame with a random delay in the shutdown reconnect window, so that clients
   * of a closing node come back spread over the window instead of all at once.
   */
  private Optional<byte[]> reconnectHint() {
    long min = core.config.shutdownReconnectMin().toMillis();
    long max = core.config.shutdownReconnectMax().toMillis();
    if (max == 0) {
      return Optional.empty();
    }
    long delay = min + ThreadLocalRandom.current().nextLong(max - min + 1);
    return Optional.of(
        SseEncoder.encode(SseEvent.builder().retry(Duration.ofMillis(delay)).build()));
  }

  private String group(@Nullable String group) {
    return group == null ? core.config.defaultGroup() : Names.check(group, "group");
  }

  private static String clientId(String clientId) {
    return Names.check(requireNonNull(clientId, "clientId"), "clientId");
  }

  /**
   * Builds an {@link SseService}. Every option has a documented default; each setter checks its
   * value at once and refuses a bad one with an {@link IllegalArgumentException} naming the
   * option, and {@link #build()} checks how the options fit together.
   *
   * <p>Thread-safety: not thread-safe; use one builder per thread.
   */
  public static final class Builder {
    /** Keep-alive comments go to connections idle this long: 20 seconds. */
    public static final Duration DEFAULT_KEEP_ALIVE_INTERVAL = Duration.ofSeconds(20);

    /** The group used when none is given: {@code "default"}. */
    public static final String DEFAULT_GROUP = "default";

    /** What happens to a slow consumer: {@link SlowConsumerPolicy#DISCONNECT}. */
    public static final SlowConsumerPolicy DEFAULT_SLOW_CONSUMER_POLICY =
        SlowConsumerPolicy.DISCONNECT;

    /** A connection's queue bound: 1 MiB. */
    public static final long DEFAULT_MAX_QUEUED_BYTES = 1 << 20;

    /**
     * The default hard bound of one connection's queue, 16 MiB (or {@code maxQueuedBytes} when
     * that is set higher).
     */
    public static final long DEFAULT_HARD_MAX_QUEUED_BYTES = 16 << 20;

    /** The default time a queue may stay over {@code maxQueuedBytes}: 5 seconds. */
    public static final Duration DEFAULT_SLOW_CONSUMER_GRACE = Duration.ofSeconds(5);

    /** A write that has not completed after this long marks a slow consumer: 30 seconds. */
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(30);

    /** How long {@link SseService#close()} waits for queued events: 5 seconds. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

    /** Shortest reconnect delay {@link SseService#close()} gives a client: 1 second. */
    public static final Duration DEFAULT_SHUTDOWN_RECONNECT_MIN = Duration.ofSeconds(1);

    /** Longest reconnect delay {@link SseService#close()} gives a client: 5 seconds. */
    public static final Duration DEFAULT_SHUTDOWN_RECONNECT_MAX = Duration.ofSeconds(5);

    /** The most events one reconnect replays; beyond it the client gets the reset event: 10,000. */
    public static final int DEFAULT_REPLAY_LIMIT = 10_000;

    /**
     * The most connections one service takes: 100,000. Five times the 19,000 streams the load
     * tool runs on one node, and about what one JVM can hold: an idle stream holds 5 to 110 KiB
     * by adapter (docs/PERFORMANCE.md), so 100,000 of them take 0.5 to 11 GiB before any event
     * is queued. A flood of connects then gets 503 instead of exhausting the heap or the file
     * descriptors; raise it on a large node of a lean adapter (Netty).
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 100_000;

    /**
     * The most connections one client (one id in one group) may have: 64. A person has a few
     * devices and tabs (a browser opens at most 6 HTTP/1.1 streams to one origin, more over
     * HTTP/2); 64 is far above that, and far below what would let one token, or a client that
     * reconnects in a loop without closing, take the service's connections from everybody else.
     */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 64;

    /**
     * The most connections one group may have: no limit ({@link Integer#MAX_VALUE}), since one
     * group often holds everybody (the default group); {@link #DEFAULT_MAX_CONNECTIONS} bounds it.
     */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_GROUP = Integer.MAX_VALUE;

    /**
     * The most groups that may have a connection at once: 100,000, as many as connections. A
     * group lives only while it has a connection here, so this bounds what connects can make when
     * the group name comes from the request (a path segment, a room); set it lower when each
     * group costs the application state of its own.
     */
    public static final int DEFAULT_MAX_GROUPS = 100_000;

    /**
     * The largest encoded event (its whole frame: fields, data lines, blank line): 1 MiB, or
     * {@link #hardMaxQueuedBytes} if that is lower. An event is encoded once and shared, but it
     * sits in every receiving queue and in the history: larger payloads belong in a resource the
     * client fetches, and a bound stops one careless send from taking the memory of every queue.
     */
    public static final long DEFAULT_MAX_EVENT_BYTES = 1 << 20;

    private @Nullable String nodeId;
    private Duration keepAliveInterval = DEFAULT_KEEP_ALIVE_INTERVAL;
    private String defaultGroup = DEFAULT_GROUP;
    private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
    private long hardMaxQueuedBytes = -1; // unset: the default, or maxQueuedBytes if higher
    private Duration slowConsumerGrace = DEFAULT_SLOW_CONSUMER_GRACE;
    private SlowConsumerPolicy slowConsumerPolicy = DEFAULT_SLOW_CONSUMER_POLICY;
    private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
    private Duration shutdownReconnectMin = DEFAULT_SHUTDOWN_RECONNECT_MIN;
    private Duration shutdownReconnectMax = DEFAULT_SHUTDOWN_RECONNECT_MAX;
    private @Nullable Duration retry;
    private int replayLimit = DEFAULT_REPLAY_LIMIT;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private int maxConnectionsPerClient = DEFAULT_MAX_CONNECTIONS_PER_CLIENT;
    private int maxConnectionsPerGroup = DEFAULT_MAX_CONNECTIONS_PER_GROUP;
    private int maxGroups = DEFAULT_MAX_GROUPS;
    private long maxEventBytes = -1; // unset: the default, or hardMaxQueuedBytes if lower
    private Supplier<String> clientIdGenerator = () -> UUID.randomUUID().toString();
    private @Nullable MessageCodec messageCodec;
    private @Nullable ScheduledExecutorService scheduler;
    private Ticker ticker = Ticker.system();
    private Clock clock = Clock.systemUTC();
    private final List<SseListener> listeners = new ArrayList<>();
    private final List<PresenceListener> presenceListeners = new ArrayList<>();
    private @Nullable EventHistory history;
    private @Nullable Backplane backplane;
    private @Nullable ClientDirectory directory;
    private @Nullable UnaryOperator<Transport> transportDecorator;

    private Builder() {}

    /**
     * Sets this node's id, which starts every connection id it gives out, so that a connection can
     * be reached from any node of a cluster. Default: 8 random letters and digits, new for every
     * service. Give each node of a cluster its own.
     */
    public Builder nodeId(String nodeId) {
      this.nodeId = Options.nodeId(nodeId);
      return this;
    }

    /**
     * Turns on event history: the service gives every event sent to a group or a client an id
     * (unless the sender gave one), keeps it, and replays what a reconnecting connection missed
     * after its {@code Last-Event-ID} (or sends {@link SseService#RESET_EVENT} when it cannot
     * tell). Events sent to one connection are not kept. Off by default; with a backplane, the
     * backplane's own history is used (and only it is allowed).
     */
    public Builder history(EventHistory history) {
      this.history = requireNonNull(history, "history");
      return this;
    }

    /** Sets the most events one reconnect replays; more missed gives the reset event instead. */
    public Builder replayLimit(int limit) {
      this.replayLimit = (int) Options.positive(limit, "replayLimit");
      return this;
    }

    /**
     * Joins a cluster: every send goes through {@code backplane} to every node, in one order per
     * group, and replay uses the backplane's history. See {@link SseService} for what the send
     * methods return then. Give each node its own {@link #nodeId}.
     */
    public Builder backplane(Backplane backplane) {
      this.backplane = requireNonNull(backplane, "backplane");
      return this;
    }

    /**
     * Sets the cluster directory: {@link SseService#directory()} then answers for every node, and
     * presence follows clients across nodes. Default: this service's own registry.
     */
    public Builder directory(ClientDirectory directory) {
      this.directory = requireNonNull(directory, "directory");
      return this;
    }

    /** Sends {@code retry: N} first on every connection, setting the client's reconnect delay. */
    public Builder retry(Duration retry) {
      this.retry = Options.duration(retry, "retry");
      return this;
    }

    /**
     * Sets the window from which {@link SseService#close()} draws each connection's reconnect
     * delay ({@code retry:}), spreading the reconnect storm of a restart; default 1 to 5 seconds.
     * {@code (ZERO, ZERO)} sends no reconnect delay.
     */
    public Builder shutdownReconnectWindow(Duration min, Duration max) {
      Options.duration(min, "min");
      Options.duration(max, "max");
      if (max.compareTo(min) < 0) {
        throw new IllegalArgumentException(
            "shutdownReconnectWindow: " + min + ".." + max + " (expected: min <= max)");
      }
      this.shutdownReconnectMin = min;
      this.shutdownReconnectMax = max;
      return this;
    }

    /**
     * Sets how long a connection may stay silent before a keep-alive comment ({@code : ping}) is
     * written to it; {@link Duration#ZERO} turns keep-alive off. Keep-alive also detects peers
     * that went away (the write fails) and stops proxies from closing idle streams.
     */
    public Builder keepAliveInterval(Duration interval) {
      this.keepAliveInterval = Options.duration(interval, "keepAliveInterval");
      return this;
    }

    /** Sets the group used when a connect or send names none. */
    public Builder defaultGroup(String group) {
      this.defaultGroup = Names.check(Options.name(group, "defaultGroup"), "defaultGroup");
      return this;
    }

    /**
     * Sets how many bytes may wait in one connection's queue for long, default 1 MiB. A burst may
     * take a queue past it: a connection becomes a slow consumer, handled by
     * {@link #slowConsumerPolicy}, only when its queue stays over this bound for longer than
     * {@link #slowConsumerGrace}, or an event would take it past {@link #hardMaxQueuedBytes}.
     * Publishers that send faster than the readers read wait for this bound with
     * {@link SseService#awaitCapacity}. An event always fits an empty queue.
     */
    public Builder maxQueuedBytes(long bytes) {
      this.maxQueuedBytes = Options.positive(bytes, "maxQueuedBytes");
      return this;
    }

    /**
     * Sets the most bytes one connection's queue may ever hold, default 16 MiB (or
     * {@link #maxQueuedBytes} if that is higher): an event that would take a queue past it makes
     * the connection a slow consumer at once, whatever the grace period. This bounds the memory
     * one connection can hold; frames sent to many connections are shared, not copied.
     *
     * @throws IllegalArgumentException at {@link #build()} if it is below {@code maxQueuedBytes}
     */
    public Builder hardMaxQueuedBytes(long bytes) {
      this.hardMaxQueuedBytes = Options.positive(bytes, "hardMaxQueuedBytes");
      return this;
    }

    /**
     * Sets the most connections this service takes at once, default
     * {@value #DEFAULT_MAX_CONNECTIONS} (see there why); a connect beyond it is refused with a
     * {@link ConnectRefusedException} of status 503 naming the limit. In a cluster each node
     * counts its own.
     */
    public Builder maxConnections(int max) {
      this.maxConnections = (int) Options.positive(max, "maxConnections");
      return this;
    }

    /**
     * Sets the most connections one client (one id in one group) may have at once, default
     * {@value #DEFAULT_MAX_CONNECTIONS_PER_CLIENT} (see there why); a connect beyond it is
     * refused with a {@link ConnectRefusedException} of status 429 naming the limit. In a cluster
     * each node counts its own.
     */
    public Builder maxConnectionsPerClient(int max) {
      this.maxConnectionsPerClient = (int) Options.positive(max, "maxConnectionsPerClient");
      return this;
    }

    /**
     * Sets the most connections one group may have at once, default no limit; a connect beyond
     * it is refused with a {@link ConnectRefusedException} of status 503 naming the limit. In a
     * cluster each node counts its own.
     */
    public Builder maxConnectionsPerGroup(int max) {
      this.maxConnectionsPerGroup = (int) Options.positive(max, "maxConnectionsPerGroup");
      return this;
    }

    /**
     * Sets the most groups that may have connections at once, default
     * {@value #DEFAULT_MAX_GROUPS} (see there why); a connect that would add a group beyond it is
     * refused with a {@link ConnectRefusedException} of status 503 naming the limit. A group
     * counts from its first connection to the end of its last.
     */
    public Builder maxGroups(int max) {
      this.maxGroups = (int) Options.positive(max, "maxGroups");
      return this;
    }

    /**
     * Sets the largest event a send takes, counted as its encoded frame, default 1 MiB (or
     * {@link #hardMaxQueuedBytes} if lower; see {@link #DEFAULT_MAX_EVENT_BYTES} why). Every send
     * of a larger event throws an {@link IllegalArgumentException} naming the limit before
     * anything is queued, recorded in the history or published to a cluster. An id the history
     * gives the event is not counted (it is short).
     *
     * @throws IllegalArgumentException at {@link #build()} if it is above
     *     {@code hardMaxQueuedBytes}: such an event could never be queued
     */
    public Builder maxEventBytes(long bytes) {
      this.maxEventBytes = Options.positive(bytes, "maxEventBytes");
      return this;
    }

    /**
     * Sets how long a connection's queue may stay over {@link #maxQueuedBytes} before the
     * connection is a slow consumer, default 5 seconds: a reader that drains a burst within it
     * keeps its connection and every event. {@link Duration#ZERO}: a slow consumer as soon as the
     * queue passes the bound.
     */
    public Builder slowConsumerGrace(Duration grace) {
      this.slowConsumerGrace = Options.duration(grace, "slowConsumerGrace");
      return this;
    }

    /** Sets what happens to a slow consumer; default {@link SlowConsumerPolicy#DISCONNECT}. */
    public Builder slowConsumerPolicy(SlowConsumerPolicy policy) {
      this.slowConsumerPolicy = requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Sets how long one write may take before the connection is closed as a slow consumer
     * (a peer that stopped reading); {@link Duration#ZERO} turns the check off.
     */
    public Builder writeTimeout(Duration timeout) {
      this.writeTimeout = Options.duration(timeout, "writeTimeout");
      return this;
    }

    /** Sets how long {@link SseService#close()} waits for queued events to be written. */
    public Builder shutdownTimeout(Duration timeout) {
      this.shutdownTimeout = Options.duration(timeout, "shutdownTimeout");
      return this;
    }

    /** Sets how client ids are made when a connect gives none; default: random UUIDs. */
    public Builder clientIdGenerator(Supplier<String> generator) {
      this.clientIdGenerator = requireNonNull(generator, "generator");
      return this;
    }

    /** Sets the codec for messages that are not Strings; default none (Strings only). */
    public Builder messageCodec(MessageCodec codec) {
      this.messageCodec = requireNonNull(codec, "codec");
      return this;
    }

    /**
     * Sets the scheduler that drives keep-alive, write-timeout and history checks (and a cluster
     * directory's heartbeats). The service does not shut a given scheduler down; by default it
     * owns one daemon thread.
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Sets the monotonic time source of every duration (keep-alive, write stalls); default
     * {@link Ticker#system()}. Tests inject a manual one.
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Sets the wall clock, used for timestamps only ({@link SseConnection#connectedAt()}); a step
     * of the wall clock never changes a duration.
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** Adds a listener for connections, slow consumers and drops (metrics, logs). */
    public Builder listener(SseListener listener) {
      listeners.add(requireNonNull(listener, "listener"));
      return this;
    }

    /** Adds a listener told when clients come online and go offline (cluster-wide in a cluster). */
    public Builder presenceListener(PresenceListener listener) {
      presenceListeners.add(requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Wraps every connection's transport, e.g. to trace or count its writes, or to inject faults
     * in tests. The wrapper must pass every call on (including
     * {@link Transport#allowsConnectionHeader()} and {@link Transport#dispatchWrite}).
     */
    public Builder transportDecorator(UnaryOperator<Transport> decorator) {
      this.transportDecorator = requireNonNull(decorator, "decorator");
      return this;
    }

    /**
     * Returns a new service; it runs until {@link SseService#close()}.
     *
     * @throws IllegalArgumentException if the options do not fit together (a history that is not
     *     the backplane's, a {@code maxEventBytes} above {@code hardMaxQueuedBytes})
     */
    public SseService build() {
      long hardMax =
          hardMaxQueuedBytes >= 0
              ? hardMaxQueuedBytes
              : Math.max(DEFAULT_HARD_MAX_QUEUED_BYTES, maxQueuedBytes);
      return new SseService(
          new ServiceConfig(
              nodeId != null ? nodeId : NodeIds.random(),
              defaultGroup,
              keepAliveInterval,
              writeTimeout,
              shutdownTimeout,
              shutdownReconnectMin,
              shutdownReconnectMax,
              retry,
              maxQueuedBytes,
              hardMax,
              maxConnections,
              maxConnectionsPerClient,
              maxConnectionsPerGroup,
              maxGroups,
              maxEventBytes >= 0 ? maxEventBytes : Math.min(DEFAULT_MAX_EVENT_BYTES, hardMax),
              slowConsumerGrace,
              slowConsumerPolicy,
              replayLimit,
              clientIdGenerator,
              messageCodec,
              scheduler,
              ticker,
              clock,
              listeners,
              presenceListeners,
              history,
              backplane,
              directory,
              transportDecorator));
    }
  }
}
