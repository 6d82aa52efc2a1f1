package io.sseservice;

import static java.util.Objects.requireNonNull;

import io.sseservice.internal.SseEncoder;
import io.sseservice.spi.EventHistory;
import io.sseservice.spi.MessageCodec;
import io.sseservice.spi.Replay;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Pushes server-sent events to clients, each with one or more connections, inside groups: the
 * Java form of the npm package {@code sse-service}. Adapters (JDK server, Servlet, Netty, ...)
 * connect HTTP exchanges; the application sends to one client, one connection, a group, or
 * everyone. Each send encodes the event once, queues the shared bytes on every receiving
 * connection without blocking, and returns how many connections it reached.
 *
 * <pre>{@code
 * SseService service = SseService.builder()
 *     .messageCodec(JacksonMessageCodec.create())
 *     .build();
 * // in a handler:   JdkSse.connect(service, exchange, ConnectOptions.builder().clientId(userId).build());
 * // anywhere else:  service.sendToClient(userId, Map.of("unread", 3));
 * }</pre>
 *
 * <p>Thread-safety: thread-safe; every method may be called from any thread. No method blocks on
 * a connection, except {@link #close()}, which waits up to the shutdown timeout for queued events.
 */
public final class SseService implements AutoCloseable {

  static final System.Logger LOG = System.getLogger("io.sseservice");

  /**
   * The type of the event a reconnecting connection gets when its {@code Last-Event-ID} is unknown
   * or older than the history holds: its data (and id) is the group's newest id, or empty. The
   * application should then reload its state from its own source of truth.
   */
  public static final String RESET_EVENT = "sse-reset";

  /** Sends to one group are serialised with its history through one of these stripes. */
  private static final int SEND_LOCK_STRIPES = 64;

  private final Registry registry = new Registry();
  private final Builder config;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final @Nullable ScheduledFuture<?> ticker;
  private final AtomicLong connectionIds = new AtomicLong();
  private final AtomicInteger openConnections = new AtomicInteger();
  private final LongAdder eventsSent = new LongAdder();
  private final LongAdder eventsDropped = new LongAdder();
  private final LongAdder slowDisconnects = new LongAdder();
  private final Object[] sendLocks = new Object[SEND_LOCK_STRIPES];
  private final ThreadLocal<Boolean> inSendLock = ThreadLocal.withInitial(() -> Boolean.FALSE);
  private final byte @Nullable [] retryFrame;
  private volatile boolean closed;

  private SseService(Builder b) {
    this.config = b.copy();
    for (int i = 0; i < sendLocks.length; i++) {
      sendLocks[i] = new Object();
    }
    this.retryFrame = config.retry == null ? null
        : SseEncoder.encode(SseEvent.builder().retry(config.retry).build());
    this.ownsScheduler = b.scheduler == null;
    this.scheduler = ownsScheduler ? Scheduler.daemon() : b.scheduler;
    this.ticker = Ticker.start(this, scheduler, config.keepAliveInterval, config.writeTimeout,
        config.history);
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
   * @throws IllegalStateException if the service is closed
   */
  public SseConnection connect(Transport transport, ConnectOptions options) {
    requireNonNull(transport, "transport");
    requireNonNull(options, "options");
    requireOpen();
    String group = options.group().orElse(config.defaultGroup);
    String clientId = options.clientId().orElseGet(config.clientIdGenerator);
    SseConnection connection = new SseConnection(this,
        Long.toString(connectionIds.incrementAndGet()), group, transport, options.onDisconnect());
    if (retryFrame != null) {
      connection.outbox().offerFirst(List.of(retryFrame));
    }
    register(connection, clientId, options);
    openConnections.incrementAndGet();
    forEachListener(l -> l.onConnect(connection));
    try {
      transport.open(ResponseHeaders.merge(options.headers(), transport.allowsConnectionHeader()),
          () -> connection.abort(CloseReason.PEER_GONE, null));
    } catch (Exception e) {
      LOG.log(Level.DEBUG, "could not open " + connection, e);
      connection.abort(CloseReason.PEER_GONE, e);
      return connection;
    }
    connection.outbox().open();
    if (closed) {
      connection.abort(CloseReason.SERVICE_SHUTDOWN, null); // raced with close()
    }
    return connection;
  }

  /**
   * Registers the connection and, when it carries a last event id and history is on, queues what
   * it missed. Both happen under the group's send lock, so no event of the group can slip between
   * the replay and the live stream, be lost, or come twice.
   */
  private void register(SseConnection connection, String clientId, ConnectOptions options) {
    EventHistory history = config.history;
    if (history == null) {
      connection.registered(registry.add(connection, clientId, options.metadata().orElse(null)));
      return;
    }
    withSendLock(connection.group(), () -> {
      connection.registered(registry.add(connection, clientId, options.metadata().orElse(null)));
      options.lastEventId().ifPresent(lastEventId -> connection.outbox().offerFirst(
          replayFrames(history.replay(connection.group(), clientId, lastEventId))));
      return 0;
    });
  }

  private static List<byte[]> replayFrames(Replay replay) {
    if (!replay.isReset()) {
      return replay.frames();
    }
    String newest = replay.newestId().orElse("");
    return List.of(SseEncoder.encode(
        SseEvent.builder().event(RESET_EVENT).id(newest).data(newest).build()));
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
  public int sendToClient(String clientId, Object message, @Nullable String eventType,
      @Nullable String group) {
    return sendToClient(clientId, message, eventType, group, null);
  }

  /**
   * Sends {@code message} to every connection of client {@code clientId} (the seed's
   * {@code sendSSEToClient}). Null {@code eventType}, {@code group} or {@code id} mean: none, the
   * default group, none.
   *
   * @return the number of connections the event was queued on (0 if the client is not connected)
   * @throws IllegalArgumentException if {@code eventType} or {@code id} is not allowed
   * @throws IllegalStateException if {@code message} is not a String and no codec is configured
   */
  public int sendToClient(String clientId, Object message, @Nullable String eventType,
      @Nullable String group, @Nullable String id) {
    requireNonNull(clientId, "clientId");
    Target target = group == null ? Target.client(clientId) : Target.client(clientId, group);
    return send(target, event(message, eventType, id));
  }

  /** Sends {@code message} to {@code connection} only; returns 1, or 0 if it has ended. */
  public int sendToConnection(SseConnection connection, Object message) {
    return sendToConnection(connection, message, null, null);
  }

  /** Sends {@code message} as {@code eventType} to {@code connection} only. */
  public int sendToConnection(SseConnection connection, Object message, @Nullable String eventType) {
    return sendToConnection(connection, message, eventType, null);
  }

  /**
   * Sends {@code message} to {@code connection} only (the seed's {@code sendSSEToConnection}).
   *
   * @return 1 if queued, 0 if the connection has ended
   */
  public int sendToConnection(SseConnection connection, Object message, @Nullable String eventType,
      @Nullable String id) {
    return send(Target.connection(connection), event(message, eventType, id));
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
   * @return the number of connections the event was queued on
   */
  public int sendToAll(Object message, @Nullable String eventType, @Nullable String group,
      @Nullable String id) {
    return send(group == null ? Target.defaultGroup() : Target.group(group),
        event(message, eventType, id));
  }

  /**
   * Sends {@code event} to {@code target}: encodes it once, queues the bytes on every receiving
   * connection, and returns without waiting for the network.
   *
   * @return the number of connections the event was queued on
   */
  public int send(Target target, SseEvent event) {
    requireNonNull(target, "target");
    requireNonNull(event, "event");
    int reached = target.send(this, event);
    eventsSent.add(reached);
    return reached;
  }

  /** Delivers to a group, or to one client of it, recording the event when history is on. */
  int deliver(String group, @Nullable String clientId, SseEvent event) {
    EventHistory history = config.history;
    if (history == null) {
      byte[] frame = SseEncoder.encode(event);
      return clientId == null ? registry.deliverToGroup(group, frame)
          : registry.deliverToClient(group, clientId, frame);
    }
    return withSendLock(group, () -> {
      byte[] frame = history.append(group, clientId, event, SseEncoder::encode);
      return clientId == null ? registry.deliverToGroup(group, frame)
          : registry.deliverToClient(group, clientId, frame);
    });
  }

  /** Delivers to every group; with history each group records it under its own id. */
  int deliverToEveryone(SseEvent event) {
    if (config.history == null) {
      return registry.deliverToEveryone(SseEncoder.encode(event));
    }
    int reached = 0;
    for (String group : registry.groupNames()) {
      reached += deliver(group, null, event);
    }
    return reached;
  }

  /**
   * Runs {@code action} holding the send lock of {@code group}'s stripe. Listener and callback
   * work that an action triggers (a slow consumer cut off, a failed write) is handed to the
   * scheduler instead of running under the lock: see {@link #outsideSendLock}.
   */
  private int withSendLock(String group, java.util.function.IntSupplier action) {
    Object lock = sendLocks[(group.hashCode() & 0x7fffffff) % SEND_LOCK_STRIPES];
    synchronized (lock) {
      boolean outer = !inSendLock.get();
      inSendLock.set(Boolean.TRUE);
      try {
        return action.getAsInt();
      } finally {
        if (outer) {
          inSendLock.set(Boolean.FALSE);
        }
      }
    }
  }

  /**
   * Runs {@code task} now, or, if this thread holds a send lock, soon on the scheduler: user code
   * must never run under a send lock (a disconnect callback that sends to another group would
   * otherwise risk a lock-order deadlock).
   */
  void outsideSendLock(Runnable task) {
    if (!inSendLock.get()) {
      task.run();
      return;
    }
    try {
      scheduler.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      task.run(); // the scheduler is gone: the service is closing, nothing else holds on
    }
  }

  // ---- the registry: the seed's getters and setters ----

  /** Returns client {@code clientId} of the default group (the seed's {@code getClientObj}). */
  public Optional<SseClient> client(String clientId) {
    return client(clientId, config.defaultGroup);
  }

  /** Returns client {@code clientId} of {@code group}, if it has an open connection. */
  public Optional<SseClient> client(String clientId, String group) {
    return registry.client(requireNonNull(group, "group"), requireNonNull(clientId, "clientId"));
  }

  /** Returns the clients of the default group (the seed's {@code getAllClientObjs}). */
  public List<SseClient> clients() {
    return clients(config.defaultGroup);
  }

  /** Returns the clients of {@code group}; empty, never null, for a group nobody is in. */
  public List<SseClient> clients(String group) {
    return registry.clients(requireNonNull(group, "group"));
  }

  /** Returns the names of the groups that have at least one client. */
  public Set<String> groups() {
    return Set.copyOf(registry.groupNames());
  }

  /** Replaces the metadata of default-group client {@code clientId} (the seed's form). */
  public Optional<SseClient> setClientMetadata(String clientId, Map<String, ?> metadata) {
    return setClientMetadata(clientId, metadata, config.defaultGroup);
  }

  /**
   * Replaces the metadata of client {@code clientId} in {@code group} and returns the client, or
   * empty if it is not connected (metadata lives as long as the client has a connection).
   */
  public Optional<SseClient> setClientMetadata(String clientId, Map<String, ?> metadata,
      String group) {
    Map<String, Object> copy = Metadata.copy(requireNonNull(metadata, "metadata"));
    Optional<SseClient> client = client(clientId, group);
    client.ifPresent(c -> c.metadata(copy));
    return client;
  }

  // ---- lifecycle and observation ----

  /** Returns the name of the group used when none is given. */
  public String defaultGroup() {
    return config.defaultGroup;
  }

  /** Returns a snapshot of the counters. */
  public SseStats stats() {
    return new SseStats(openConnections.get(), registry.clientCount(), registry.groupCount(),
        eventsSent.sum(), eventsDropped.sum(), slowDisconnects.sum());
  }

  /** Returns whether {@link #close()} has been called. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Closes every connection gracefully: each leaves the registry, writes what was queued, and
   * ends, within the shutdown timeout; connections still writing then are cut. Later connects
   * are refused, later sends reach nobody. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (ticker != null) {
      ticker.cancel(false);
    }
    List<SseConnection> all = registry.connections();
    List<CompletableFuture<CloseReason>> endings = new ArrayList<>(all.size());
    for (SseConnection connection : all) {
      reconnectHint().ifPresent(connection::enqueue);
      connection.closeGracefully(CloseReason.SERVICE_SHUTDOWN);
      endings.add(connection.ended());
    }
    try {
      CompletableFuture.allOf(endings.toArray(CompletableFuture[]::new))
          .get(config.shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.log(Level.WARNING, "shutdown timeout " + config.shutdownTimeout
          + " passed; cutting connections that are still writing");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "error while closing connections", e);
    }
    for (SseConnection connection : all) {
      connection.abort(CloseReason.SERVICE_SHUTDOWN, null);
    }
    if (ownsScheduler) {
      scheduler.shutdown(); // not shutdownNow: callbacks handed to it must still run
    }
  }

  /**
   * A {@code retry:} frame with a random delay in the shutdown reconnect window, so that clients
   * of a closing node come back spread over the window instead of all at once.
   */
  private Optional<byte[]> reconnectHint() {
    long min = config.shutdownReconnectMin.toMillis();
    long max = config.shutdownReconnectMax.toMillis();
    if (max == 0) {
      return Optional.empty();
    }
    long delay = min + java.util.concurrent.ThreadLocalRandom.current().nextLong(max - min + 1);
    return Optional.of(SseEncoder.encode(SseEvent.builder().retry(Duration.ofMillis(delay)).build()));
  }

  // ---- package-private: used by connections, outboxes and the ticker ----

  long nowMillis() {
    return config.clock.millis();
  }

  long maxQueuedBytes() {
    return config.maxQueuedBytes;
  }

  SlowConsumerPolicy slowConsumerPolicy() {
    return config.slowConsumerPolicy;
  }

  Registry registry() {
    return registry;
  }

  void unregister(SseConnection connection) {
    registry.remove(connection);
  }

  void notifyListeners(java.util.function.Consumer<SseListener> call) {
    outsideSendLock(() -> forEachListener(call));
  }

  void eventsDropped(SseConnection connection, int count) {
    eventsDropped.add(count);
    notifyListeners(l -> l.onEventsDropped(connection, count));
  }

  void ended(SseConnection connection, CloseReason reason, @Nullable Throwable cause) {
    openConnections.decrementAndGet();
    if (reason == CloseReason.SLOW_CONSUMER) {
      slowDisconnects.increment();
      LOG.log(Level.WARNING, "closed slow consumer " + connection + " (queue bound "
          + config.maxQueuedBytes + " bytes, write timeout " + config.writeTimeout + ")");
    } else if (cause != null) {
      LOG.log(Level.DEBUG, connection + " ended: " + reason, cause);
    }
    forEachListener(l -> l.onDisconnect(connection, reason));
    connection.runCallbacks(reason);
  }

  private void forEachListener(java.util.function.Consumer<SseListener> call) {
    for (SseListener listener : config.listeners) {
      try {
        call.accept(listener);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "SseListener " + listener + " failed", e);
      }
    }
  }

  private SseEvent event(Object message, @Nullable String eventType, @Nullable String id) {
    return SseEvent.builder().data(text(message)).event(eventType).id(id).build();
  }

  private String text(Object message) {
    requireNonNull(message, "message");
    if (message instanceof String) {
      return (String) message;
    }
    MessageCodec codec = config.messageCodec;
    if (codec == null) {
      throw new IllegalStateException("message of type " + message.getClass().getName()
          + " needs a MessageCodec: add sse-jackson and set"
          + " SseService.builder().messageCodec(JacksonMessageCodec.create()), or send a String");
    }
    try {
      return requireNonNull(codec.encode(message), "MessageCodec returned null");
    } catch (RuntimeException e) {
      throw new SseException("MessageCodec " + codec + " could not encode a "
          + message.getClass().getName(), e);
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("SseService is closed");
    }
  }

  /**
   * Builds an {@link SseService}. Every option has a documented default.
   *
   * <p>Thread-safety: not thread-safe; use one builder per thread.
   */
  public static final class Builder {
    /** Keep-alive comments go to connections idle this long: 20 seconds. */
    public static final Duration DEFAULT_KEEP_ALIVE_INTERVAL = Duration.ofSeconds(20);
    /** The group used when none is given: {@code "default"}. */
    public static final String DEFAULT_GROUP = "default";
    /** What happens to a slow consumer: {@link SlowConsumerPolicy#DISCONNECT}. */
    public static final SlowConsumerPolicy DEFAULT_SLOW_CONSUMER_POLICY = SlowConsumerPolicy.DISCONNECT;
    /** A connection's queue bound: 1 MiB. */
    public static final long DEFAULT_MAX_QUEUED_BYTES = 1 << 20;
    /** A write that has not completed after this long marks a slow consumer: 30 seconds. */
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(30);
    /** How long {@link SseService#close()} waits for queued events: 5 seconds. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
    /** Shortest reconnect delay {@link SseService#close()} gives a client: 1 second. */
    public static final Duration DEFAULT_SHUTDOWN_RECONNECT_MIN = Duration.ofSeconds(1);
    /** Longest reconnect delay {@link SseService#close()} gives a client: 5 seconds. */
    public static final Duration DEFAULT_SHUTDOWN_RECONNECT_MAX = Duration.ofSeconds(5);

    private Duration keepAliveInterval = DEFAULT_KEEP_ALIVE_INTERVAL;
    private String defaultGroup = DEFAULT_GROUP;
    private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
    private SlowConsumerPolicy slowConsumerPolicy = DEFAULT_SLOW_CONSUMER_POLICY;
    private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
    private Supplier<String> clientIdGenerator = () -> UUID.randomUUID().toString();
    private @Nullable MessageCodec messageCodec;
    private @Nullable ScheduledExecutorService scheduler;
    private Clock clock = Clock.systemUTC();
    private List<SseListener> listeners = new ArrayList<>();
    private @Nullable EventHistory history;
    private @Nullable Duration retry;
    private Duration shutdownReconnectMin = DEFAULT_SHUTDOWN_RECONNECT_MIN;
    private Duration shutdownReconnectMax = DEFAULT_SHUTDOWN_RECONNECT_MAX;

    private Builder() {}

    /**
     * Turns on event history: the service gives every event sent to a group or a client an id
     * (unless the sender gave one), keeps it, and replays what a reconnecting connection missed
     * after its {@code Last-Event-ID} (or sends {@link SseService#RESET_EVENT} when it cannot
     * tell). Events sent to one connection are not kept. Off by default.
     */
    public Builder history(EventHistory history) {
      this.history = requireNonNull(history, "history");
      return this;
    }

    /** Sends {@code retry: N} first on every connection, setting the client's reconnect delay. */
    public Builder retry(Duration retry) {
      this.retry = nonNegative(retry, "retry");
      return this;
    }

    /**
     * Sets the window from which {@link SseService#close()} draws each connection's reconnect
     * delay ({@code retry:}), spreading the reconnect storm of a restart; default 1 to 5 seconds.
     * {@code (ZERO, ZERO)} sends no reconnect delay.
     */
    public Builder shutdownReconnectWindow(Duration min, Duration max) {
      nonNegative(min, "min");
      nonNegative(max, "max");
      if (max.compareTo(min) < 0) {
        throw new IllegalArgumentException("shutdownReconnectWindow: " + min + ".." + max
            + " (expected: min <= max)");
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
      this.keepAliveInterval = nonNegative(interval, "keepAliveInterval");
      return this;
    }

    /** Sets the group used when a connect or send names none. */
    public Builder defaultGroup(String group) {
      requireNonNull(group, "group");
      if (group.isEmpty()) {
        throw new IllegalArgumentException("defaultGroup: \"\" (expected: a non-empty name)");
      }
      this.defaultGroup = group;
      return this;
    }

    /**
     * Sets how many bytes may wait in one connection's queue; passing it makes the connection a
     * slow consumer, handled by {@link #slowConsumerPolicy}. An event always fits an empty queue.
     */
    public Builder maxQueuedBytes(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxQueuedBytes: " + bytes + " (expected: > 0)");
      }
      this.maxQueuedBytes = bytes;
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
      this.writeTimeout = nonNegative(timeout, "writeTimeout");
      return this;
    }

    /** Sets how long {@link SseService#close()} waits for queued events to be written. */
    public Builder shutdownTimeout(Duration timeout) {
      this.shutdownTimeout = nonNegative(timeout, "shutdownTimeout");
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
     * Sets the scheduler that drives keep-alive and write-timeout checks. The service does not
     * shut a given scheduler down; by default it owns one daemon thread.
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Sets the clock for idle and stall times; tests inject a manual one. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** Adds a listener for connections, slow consumers and drops (metrics, logs). */
    public Builder listener(SseListener listener) {
      listeners.add(requireNonNull(listener, "listener"));
      return this;
    }

    /** Returns a new service; it runs until {@link SseService#close()}. */
    public SseService build() {
      return new SseService(this);
    }

    private Builder copy() {
      Builder b = new Builder();
      b.keepAliveInterval = keepAliveInterval;
      b.defaultGroup = defaultGroup;
      b.maxQueuedBytes = maxQueuedBytes;
      b.slowConsumerPolicy = slowConsumerPolicy;
      b.writeTimeout = writeTimeout;
      b.shutdownTimeout = shutdownTimeout;
      b.clientIdGenerator = clientIdGenerator;
      b.messageCodec = messageCodec;
      b.scheduler = scheduler;
      b.clock = clock;
      b.listeners = List.copyOf(listeners);
      b.history = history;
      b.retry = retry;
      b.shutdownReconnectMin = shutdownReconnectMin;
      b.shutdownReconnectMax = shutdownReconnectMax;
      return b;
    }

    private static Duration nonNegative(Duration d, String name) {
      requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + ": " + d + " (expected: >= 0)");
      }
      return d;
    }
  }
}
