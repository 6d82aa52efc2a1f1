package io.sseservice.spring;

import io.sseservice.InMemoryEventHistory;
import io.sseservice.SlowConsumerPolicy;
import io.sseservice.SseService;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code sse.*} properties of the auto-configured {@link SseService}, one per builder option
 * that can be written as text. Every default is the builder's own {@code DEFAULT_*} constant, so
 * an application without properties gets exactly {@code SseService.builder().build()}.
 *
 * <pre>
 * sse.default-group=lobby
 * sse.max-queued-bytes=256KB
 * sse.max-connections-per-client=16
 * sse.slow-consumer-policy=drop-oldest
 * sse.history.enabled=true
 * </pre>
 *
 * <p>Each option is described on its field (the text the configuration processor puts into the
 * metadata); the getters and setters are the JavaBean plumbing the binder needs.
 *
 * <p>Thread-safety: not thread-safe; bound once at startup, then only read.
 */
@ConfigurationProperties("sse")
public class SseProperties {

  /** How long a connection may stay silent before a keep-alive comment is written; 0 turns it off. */
  private Duration keepAliveInterval = SseService.Builder.DEFAULT_KEEP_ALIVE_INTERVAL;

  /** The group used when a connect or a send names none. */
  private String defaultGroup = SseService.Builder.DEFAULT_GROUP;

  /**
   * How many bytes may wait in one connection's queue for long: a queue that stays over it for
   * the slow-consumer grace period makes a slow consumer.
   */
  private DataSize maxQueuedBytes = DataSize.ofBytes(SseService.Builder.DEFAULT_MAX_QUEUED_BYTES);

  /** How long a burst may keep a queue over max-queued-bytes; 0: a slow consumer at once. */
  private Duration slowConsumerGrace = SseService.Builder.DEFAULT_SLOW_CONSUMER_GRACE;

  /**
   * The most bytes one connection's queue may ever hold (an event past it makes a slow consumer
   * at once); when unset, 16MB or max-queued-bytes if that is higher.
   */
  private @Nullable DataSize hardMaxQueuedBytes;

  /**
   * The most connections this service takes at once; a connect beyond it is answered 503 naming
   * the limit.
   */
  private int maxConnections = SseService.Builder.DEFAULT_MAX_CONNECTIONS;

  /**
   * The most connections one client (one id in one group) may have at once; a connect beyond it
   * is answered 429 naming the limit.
   */
  private int maxConnectionsPerClient = SseService.Builder.DEFAULT_MAX_CONNECTIONS_PER_CLIENT;

  /**
   * The most connections one group may have at once (default: no limit); a connect beyond it is
   * answered 503 naming the limit.
   */
  private int maxConnectionsPerGroup = SseService.Builder.DEFAULT_MAX_CONNECTIONS_PER_GROUP;

  /**
   * The most groups that may have connections at once; a connect that would add one beyond it is
   * answered 503 naming the limit.
   */
  private int maxGroups = SseService.Builder.DEFAULT_MAX_GROUPS;

  /**
   * The largest event a send takes, as its encoded frame (a larger one throws); when unset, 1MB,
   * or hard-max-queued-bytes if that is lower.
   */
  private @Nullable DataSize maxEventBytes;

  /** What happens to a slow consumer: disconnect, or drop-oldest queued events. */
  private SlowConsumerPolicy slowConsumerPolicy = SseService.Builder.DEFAULT_SLOW_CONSUMER_POLICY;

  /** How long one write may take before the connection is closed as a slow consumer; 0: off. */
  private Duration writeTimeout = SseService.Builder.DEFAULT_WRITE_TIMEOUT;

  /** How long closing the service waits for queued events to be written. */
  private Duration shutdownTimeout = SseService.Builder.DEFAULT_SHUTDOWN_TIMEOUT;

  /** Reconnect delay sent first on every connection (the retry field); none when unset. */
  private @Nullable Duration retry;

  /** The window of random reconnect delays that closing the service gives each client. */
  private final ShutdownReconnectWindow shutdownReconnectWindow = new ShutdownReconnectWindow();

  /** In-memory event history for {@code Last-Event-ID} replay. */
  private final History history = new History();

  /** Returns {@code sse.keep-alive-interval}. */
  public Duration getKeepAliveInterval() {
    return keepAliveInterval;
  }

  /** Sets {@code sse.keep-alive-interval}. */
  public void setKeepAliveInterval(Duration keepAliveInterval) {
    this.keepAliveInterval = keepAliveInterval;
  }

  /** Returns {@code sse.default-group}. */
  public String getDefaultGroup() {
    return defaultGroup;
  }

  /** Sets {@code sse.default-group}. */
  public void setDefaultGroup(String defaultGroup) {
    this.defaultGroup = defaultGroup;
  }

  /** Returns {@code sse.max-queued-bytes}. */
  public DataSize getMaxQueuedBytes() {
    return maxQueuedBytes;
  }

  /** Sets {@code sse.max-queued-bytes}. */
  public void setMaxQueuedBytes(DataSize maxQueuedBytes) {
    this.maxQueuedBytes = maxQueuedBytes;
  }

  /** Returns {@code sse.slow-consumer-grace}. */
  public Duration getSlowConsumerGrace() {
    return slowConsumerGrace;
  }

  /** Sets {@code sse.slow-consumer-grace}. */
  public void setSlowConsumerGrace(Duration slowConsumerGrace) {
    this.slowConsumerGrace = slowConsumerGrace;
  }

  /** Returns {@code sse.hard-max-queued-bytes}, or null for the library's default. */
  public @Nullable DataSize getHardMaxQueuedBytes() {
    return hardMaxQueuedBytes;
  }

  /** Sets {@code sse.hard-max-queued-bytes}. */
  public void setHardMaxQueuedBytes(@Nullable DataSize hardMaxQueuedBytes) {
    this.hardMaxQueuedBytes = hardMaxQueuedBytes;
  }

  /** Returns {@code sse.max-connections}. */
  public int getMaxConnections() {
    return maxConnections;
  }

  /** Sets {@code sse.max-connections}. */
  public void setMaxConnections(int maxConnections) {
    this.maxConnections = maxConnections;
  }

  /** Returns {@code sse.max-connections-per-client}. */
  public int getMaxConnectionsPerClient() {
    return maxConnectionsPerClient;
  }

  /** Sets {@code sse.max-connections-per-client}. */
  public void setMaxConnectionsPerClient(int maxConnectionsPerClient) {
    this.maxConnectionsPerClient = maxConnectionsPerClient;
  }

  /** Returns {@code sse.max-connections-per-group}. */
  public int getMaxConnectionsPerGroup() {
    return maxConnectionsPerGroup;
  }

  /** Sets {@code sse.max-connections-per-group}. */
  public void setMaxConnectionsPerGroup(int maxConnectionsPerGroup) {
    this.maxConnectionsPerGroup = maxConnectionsPerGroup;
  }

  /** Returns {@code sse.max-groups}. */
  public int getMaxGroups() {
    return maxGroups;
  }

  /** Sets {@code sse.max-groups}. */
  public void setMaxGroups(int maxGroups) {
    this.maxGroups = maxGroups;
  }

  /** Returns {@code sse.max-event-bytes}, or null for the library's default. */
  public @Nullable DataSize getMaxEventBytes() {
    return maxEventBytes;
  }

  /** Sets {@code sse.max-event-bytes}. */
  public void setMaxEventBytes(@Nullable DataSize maxEventBytes) {
    this.maxEventBytes = maxEventBytes;
  }

  /** Returns {@code sse.slow-consumer-policy}. */
  public SlowConsumerPolicy getSlowConsumerPolicy() {
    return slowConsumerPolicy;
  }

  /** Sets {@code sse.slow-consumer-policy}. */
  public void setSlowConsumerPolicy(SlowConsumerPolicy slowConsumerPolicy) {
    this.slowConsumerPolicy = slowConsumerPolicy;
  }

  /** Returns {@code sse.write-timeout}. */
  public Duration getWriteTimeout() {
    return writeTimeout;
  }

  /** Sets {@code sse.write-timeout}. */
  public void setWriteTimeout(Duration writeTimeout) {
    this.writeTimeout = writeTimeout;
  }

  /** Returns {@code sse.shutdown-timeout}. */
  public Duration getShutdownTimeout() {
    return shutdownTimeout;
  }

  /** Sets {@code sse.shutdown-timeout}. */
  public void setShutdownTimeout(Duration shutdownTimeout) {
    this.shutdownTimeout = shutdownTimeout;
  }

  /** Returns {@code sse.retry}. */
  public @Nullable Duration getRetry() {
    return retry;
  }

  /** Sets {@code sse.retry}. */
  public void setRetry(@Nullable Duration retry) {
    this.retry = retry;
  }

  /** Returns {@code sse.shutdown-reconnect-window}. */
  public ShutdownReconnectWindow getShutdownReconnectWindow() {
    return shutdownReconnectWindow;
  }

  /** Returns {@code sse.history}. */
  public History getHistory() {
    return history;
  }

  /**
   * {@code sse.shutdown-reconnect-window.*}: the bounds of the random {@code retry:} delay each
   * client gets when the service closes, spreading the reconnects of a restart. 0 and 0 send none.
   *
   * <p>Thread-safety: not thread-safe; bound once at startup, then only read.
   */
  public static class ShutdownReconnectWindow {

    /** Shortest reconnect delay given to a client when the service closes. */
    private Duration min = SseService.Builder.DEFAULT_SHUTDOWN_RECONNECT_MIN;

    /** Longest reconnect delay given to a client when the service closes. */
    private Duration max = SseService.Builder.DEFAULT_SHUTDOWN_RECONNECT_MAX;

    /** Returns {@code sse.shutdown-reconnect-window.min}. */
    public Duration getMin() {
      return min;
    }

    /** Sets {@code sse.shutdown-reconnect-window.min}. */
    public void setMin(Duration min) {
      this.min = min;
    }

    /** Returns {@code sse.shutdown-reconnect-window.max}. */
    public Duration getMax() {
      return max;
    }

    /** Sets {@code sse.shutdown-reconnect-window.max}. */
    public void setMax(Duration max) {
      this.max = max;
    }
  }

  /**
   * {@code sse.history.*}: an {@link InMemoryEventHistory} that gives events ids and replays what
   * a reconnecting client missed. Off unless {@code sse.history.enabled=true}.
   *
   * <p>Thread-safety: not thread-safe; bound once at startup, then only read.
   */
  public static class History {

    /** Whether events get ids and are kept for replay to reconnecting clients. */
    private boolean enabled;

    /** Events kept per group. */
    private int maxEvents = InMemoryEventHistory.Builder.DEFAULT_MAX_EVENTS;

    /** Encoded bytes kept per group. */
    private DataSize maxBytes = DataSize.ofBytes(InMemoryEventHistory.Builder.DEFAULT_MAX_BYTES);

    /** Encoded bytes kept for all groups together; the least recently used groups go first. */
    private DataSize maxTotalBytes =
        DataSize.ofBytes(InMemoryEventHistory.Builder.DEFAULT_MAX_TOTAL_BYTES);

    /** How long an event is kept. */
    private Duration maxAge = InMemoryEventHistory.Builder.DEFAULT_MAX_AGE;

    /** Returns {@code sse.history.enabled}. */
    public boolean isEnabled() {
      return enabled;
    }

    /** Sets {@code sse.history.enabled}. */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** Returns {@code sse.history.max-events}. */
    public int getMaxEvents() {
      return maxEvents;
    }

    /** Sets {@code sse.history.max-events}. */
    public void setMaxEvents(int maxEvents) {
      this.maxEvents = maxEvents;
    }

    /** Returns {@code sse.history.max-bytes}. */
    public DataSize getMaxBytes() {
      return maxBytes;
    }

    /** Sets {@code sse.history.max-bytes}. */
    public void setMaxBytes(DataSize maxBytes) {
      this.maxBytes = maxBytes;
    }

    /** Returns {@code sse.history.max-total-bytes}. */
    public DataSize getMaxTotalBytes() {
      return maxTotalBytes;
    }

    /** Sets {@code sse.history.max-total-bytes}. */
    public void setMaxTotalBytes(DataSize maxTotalBytes) {
      this.maxTotalBytes = maxTotalBytes;
    }

    /** Returns {@code sse.history.max-age}. */
    public Duration getMaxAge() {
      return maxAge;
    }

    /** Sets {@code sse.history.max-age}. */
    public void setMaxAge(Duration maxAge) {
      this.maxAge = maxAge;
    }
  }
}
