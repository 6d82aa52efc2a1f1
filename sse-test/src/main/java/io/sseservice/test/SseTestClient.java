package io.sseservice.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.launchdarkly.eventsource.CommentEvent;
import com.launchdarkly.eventsource.ConnectStrategy;
import com.launchdarkly.eventsource.ErrorStrategy;
import com.launchdarkly.eventsource.EventSource;
import com.launchdarkly.eventsource.FaultEvent;
import com.launchdarkly.eventsource.HttpConnectStrategy;
import com.launchdarkly.eventsource.MessageEvent;
import com.launchdarkly.eventsource.StreamEvent;
import com.launchdarkly.eventsource.StreamException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A blocking SSE client for tests, on a real, independently written SSE client library
 * (LaunchDarkly's okhttp-eventsource). It connects, then a background thread reads the stream;
 * tests take what arrived with {@link #takeEvent()} and {@link #takeComment()}.
 *
 * <pre>{@code
 * try (SseTestClient client = SseTestClient.connect(uri)) {
 *   service.sendToAll("hi");
 *   assertThat(client.takeEvent().data()).isEqualTo("hi");
 * }
 * }</pre>
 *
 * <p>By default it does not reconnect: when the server ends the stream, {@link #awaitEnd()}
 * returns. Built with {@link Builder#reconnect(Duration)} it reconnects like a browser, sending
 * {@code Last-Event-ID}.
 *
 * <p>Thread-safety: thread-safe; usually used from the test thread only.
 */
public final class SseTestClient implements AutoCloseable {

  /** How long a {@code take} waits before failing the test. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final EventSource source;
  private final BlockingQueue<ReceivedEvent> events = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> comments = new LinkedBlockingQueue<>();
  private final CountDownLatch ended = new CountDownLatch(1);
  private final Thread reader;
  private final boolean reconnecting;
  private final java.util.concurrent.atomic.AtomicInteger opens =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile @Nullable StreamException endCause;

  /** Set by close(): the reader must not call readAnyEvent again, which would reconnect. */
  private volatile boolean closed;

  private SseTestClient(EventSource source, boolean reconnecting) {
    this.source = source;
    this.reconnecting = reconnecting;
    this.reader = new Thread(this::read, "sse-test-client");
    this.reader.setDaemon(true);
  }

  /** Connects to {@code uri} and returns once the response headers arrived. */
  public static SseTestClient connect(URI uri) {
    return builder(uri).connect();
  }

  /** Connects to {@code uri} with extra request headers. */
  public static SseTestClient connect(URI uri, Map<String, String> requestHeaders) {
    Builder builder = builder(uri);
    requestHeaders.forEach(builder::header);
    return builder.connect();
  }

  /** Returns a builder for a client of {@code uri}: headers, a last event id, reconnecting. */
  public static Builder builder(URI uri) {
    return new Builder(uri);
  }

  /** Returns how many times the stream was opened (more than 1 once it reconnected). */
  public int opens() {
    return opens.get();
  }

  /** Returns the last event id the client holds (what it sends when it reconnects). */
  public @Nullable String lastEventId() {
    return source.getLastEventId();
  }

  private static SseTestClient start(EventSource source, boolean reconnecting, URI uri) {
    SseTestClient client = new SseTestClient(source, reconnecting);
    try {
      source.start();
    } catch (StreamException e) {
      source.close();
      throw new AssertionError("could not connect to " + uri + ": " + e, e);
    }
    client.opens.incrementAndGet();
    client.reader.start();
    return client;
  }

  /** Returns the next event, waiting up to {@link #DEFAULT_TIMEOUT}; fails the test if none. */
  public ReceivedEvent takeEvent() {
    return take(events, DEFAULT_TIMEOUT, "event");
  }

  /** Returns the next event, waiting up to {@code timeout}; fails the test if none. */
  public ReceivedEvent takeEvent(Duration timeout) {
    return take(events, timeout, "event");
  }

  /** Returns the text of the next comment line (keep-alive), failing the test if none comes. */
  public String takeComment() {
    return take(comments, DEFAULT_TIMEOUT, "comment");
  }

  /** Returns the next event if one arrives within {@code timeout}, else null. */
  public @Nullable ReceivedEvent pollEvent(Duration timeout) {
    try {
      return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Asserts that no event has arrived that was not taken yet. */
  public void assertNoPendingEvent() {
    assertThat(events).as("events not taken").isEmpty();
  }

  /** Waits until the server ended the stream; fails the test if it does not within the timeout. */
  public void awaitEnd() {
    try {
      assertThat(ended.await(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
          .as("stream ended by the server")
          .isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Returns whether the stream has ended. */
  public boolean hasEnded() {
    return ended.getCount() == 0;
  }

  /** Returns what ended the stream, if it ended with an error. */
  public @Nullable StreamException endCause() {
    return endCause;
  }

  /** Closes the connection from the client side. */
  @Override
  public void close() {
    closed = true;
    source.close();
    reader.interrupt();
  }

  private void read() {
    try {
      while (!closed) {
        StreamEvent event = source.readAnyEvent();
        if (event instanceof MessageEvent) {
          MessageEvent m = (MessageEvent) event;
          events.add(new ReceivedEvent(m.getEventName(), m.getData(), m.getLastEventId()));
        } else if (event instanceof CommentEvent) {
          comments.add(((CommentEvent) event).getText());
        } else if (event instanceof com.launchdarkly.eventsource.StartedEvent) {
          opens.incrementAndGet();
        } else if (event instanceof FaultEvent) {
          endCause = ((FaultEvent) event).getCause();
          if (!reconnecting) {
            return;
          }
        }
      }
    } catch (StreamException e) {
      endCause = e;
    } finally {
      ended.countDown();
    }
  }

  /**
   * Configures an {@link SseTestClient}.
   *
   * <p>Thread-safety: not thread-safe.
   */
  public static final class Builder {
    private final URI uri;
    private final Map<String, String> headers = new java.util.LinkedHashMap<>();
    private @Nullable String lastEventId;
    private @Nullable Duration reconnectDelay;

    private Builder(URI uri) {
      this.uri = uri;
    }

    /** Adds a request header. */
    public Builder header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    /** Sends {@code Last-Event-ID} on the first connect too, as a client resuming a session. */
    public Builder lastEventId(String id) {
      this.lastEventId = id;
      return this;
    }

    /**
     * Reconnects when the stream ends, after {@code delay} (or the server's {@code retry:}),
     * sending the last event id it received, as browsers do.
     */
    public Builder reconnect(Duration delay) {
      this.reconnectDelay = delay;
      return this;
    }

    /** Connects and returns once the response headers arrived; fails the test if it cannot. */
    public SseTestClient connect() {
      HttpConnectStrategy http = ConnectStrategy.http(uri).readTimeout(0, TimeUnit.MILLISECONDS);
      for (Map.Entry<String, String> header : headers.entrySet()) {
        http = http.header(header.getKey(), header.getValue());
      }
      EventSource.Builder source = new EventSource.Builder(http);
      if (lastEventId != null) {
        source.lastEventId(lastEventId);
      }
      if (reconnectDelay != null) {
        source
            .errorStrategy(ErrorStrategy.alwaysContinue())
            .retryDelay(reconnectDelay.toMillis(), TimeUnit.MILLISECONDS);
      } else {
        source.errorStrategy(ErrorStrategy.alwaysThrow());
      }
      return start(source.build(), reconnectDelay != null, uri);
    }
  }

  private static <T> T take(BlockingQueue<T> queue, Duration timeout, String what) {
    try {
      T item = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (item == null) {
        throw new AssertionError("no " + what + " arrived within " + timeout);
      }
      return item;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
