package io.sseservice.test;

import io.sseservice.spi.Transport;
import io.sseservice.spi.WriteCallback;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A transport decorator for tests of adapters: give it to
 * {@code SseService.builder().transportDecorator(probe)} and it records what each adapter's
 * transport decided (whether the protocol allows a {@code Connection} header, the headers the
 * stream was opened with), and can make a real transport's calls fail, to check how the
 * service and the adapter handle a broken transport.
 *
 * <pre>{@code
 * TransportProbe probe = new TransportProbe();
 * SseService service = SseService.builder().transportDecorator(probe).build();
 * ... connect over HTTP/2 ...
 * assertThat(probe.last().connectionHeaderDecision()).isFalse();
 * }</pre>
 *
 * <p>Thread-safety: thread-safe.
 */
public final class TransportProbe implements UnaryOperator<Transport> {

  private final List<Probed> transports = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger completedWrites =
      new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicReference<@Nullable RuntimeException> nextOpen =
      new java.util.concurrent.atomic.AtomicReference<>();

  @Override
  public Transport apply(Transport transport) {
    Probed probed = new Probed(transport, completedWrites);
    RuntimeException failure = nextOpen.getAndSet(null);
    if (failure != null) {
      probed.failOpenAfterCommit(failure);
    }
    transports.add(probed);
    return probed;
  }

  /** Makes the next transport's {@code open} throw {@code failure} after it committed. */
  public void failNextOpen(RuntimeException failure) {
    nextOpen.set(failure);
  }

  /**
   * Returns how many writes, over every transport probed so far, reported completion to the
   * core: a test waits for it to grow to know that a write went out.
   */
  public int completedWrites() {
    return completedWrites.get();
  }

  /** Returns every transport probed so far, oldest first. */
  public List<Probed> transports() {
    return List.copyOf(transports);
  }

  /** Returns the transport probed last. */
  public Probed last() {
    if (transports.isEmpty()) {
      throw new AssertionError("no transport was made yet");
    }
    return transports.get(transports.size() - 1);
  }

  /**
   * One adapter's transport, passed through, with what it was told and decided.
   *
   * <p>Thread-safety: thread-safe.
   */
  public static final class Probed implements Transport {
    private final Transport delegate;
    private volatile @Nullable Map<String, String> openHeaders;
    private volatile @Nullable Boolean allowsConnectionHeader;
    private volatile @Nullable RuntimeException openFailure;
    private volatile @Nullable RuntimeException writeFailure;
    private final java.util.concurrent.atomic.AtomicInteger closes =
        new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger completedWrites;

    Probed(Transport delegate, java.util.concurrent.atomic.AtomicInteger completedWrites) {
      this.delegate = delegate;
      this.completedWrites = completedWrites;
    }

    /** Makes {@code open} throw {@code failure} right after the real open committed the response. */
    public Probed failOpenAfterCommit(RuntimeException failure) {
      this.openFailure = failure;
      return this;
    }

    /** Makes every later {@code write} throw {@code failure} instead of writing. */
    public Probed failWrites(RuntimeException failure) {
      this.writeFailure = failure;
      return this;
    }

    /** Returns the headers the stream was opened with, or null before open. */
    public @Nullable Map<String, String> openHeaders() {
      return openHeaders;
    }

    /**
     * Returns what the adapter's own transport answered when the service asked whether the
     * protocol allows a {@code Connection} header; null if it was never asked.
     */
    public @Nullable Boolean connectionHeaderDecision() {
      return allowsConnectionHeader;
    }

    /** Returns how often {@code close} was called. */
    public int closes() {
      return closes.get();
    }

    @Override
    public boolean allowsConnectionHeader() {
      boolean allowed = delegate.allowsConnectionHeader();
      allowsConnectionHeader = allowed;
      return allowed;
    }

    @Override
    public boolean noticesPeerGone() {
      return delegate.noticesPeerGone();
    }

    @Override
    public void open(Map<String, String> headers, Runnable onPeerGone) throws Exception {
      openHeaders = Map.copyOf(headers);
      delegate.open(headers, onPeerGone);
      RuntimeException failure = openFailure;
      if (failure != null) {
        throw failure;
      }
    }

    @Override
    public void write(byte[][] frames, int count, WriteCallback callback) {
      RuntimeException failure = writeFailure;
      if (failure != null) {
        throw failure;
      }
      delegate.write(
          frames,
          count,
          new WriteCallback() {
            @Override
            public void completed() {
              completedWrites.incrementAndGet();
              callback.completed();
            }

            @Override
            public void failed(Throwable cause) {
              callback.failed(cause);
            }
          });
    }

    @Override
    public void dispatchWrite(Runnable startWrite) {
      delegate.dispatchWrite(startWrite);
    }

    @Override
    public void close() {
      closes.incrementAndGet();
      delegate.close();
    }
  }
}
