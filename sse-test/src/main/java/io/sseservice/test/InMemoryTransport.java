package io.sseservice.test;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.sseservice.spi.Transport;
import io.sseservice.spi.WriteCallback;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Transport} that keeps what is written in memory: for tests of the core and for
 * benchmarks. Writes complete at once, unless the transport is {@linkplain #pause() paused} (a
 * peer that stopped reading) or told to {@linkplain #failWrites() fail}.
 *
 * <pre>{@code
 * InMemoryTransport transport = new InMemoryTransport();
 * SseConnection connection = service.connect(transport, ConnectOptions.defaults());
 * service.sendToAll("hi");
 * assertThat(transport.text()).isEqualTo("data: hi\n\n");
 * }</pre>
 *
 * <p>Thread-safety: thread-safe.
 */
public final class InMemoryTransport implements Transport {

  private final ByteArrayOutputStream written = new ByteArrayOutputStream();
  private final Queue<Runnable> pending = new ArrayDeque<>();
  private final boolean keep;
  private @Nullable Map<String, String> headers;
  private @Nullable Runnable onPeerGone;
  private boolean paused;
  private boolean failWrites;
  private boolean closed;
  private int writes;
  private long bytes;

  /** Returns a transport that keeps every byte written. */
  public InMemoryTransport() {
    this(true);
  }

  /** Returns a transport that keeps the written bytes only if {@code keep} (benchmarks: false). */
  public InMemoryTransport(boolean keep) {
    this.keep = keep;
  }

  @Override
  public synchronized void open(Map<String, String> headers, Runnable onPeerGone) {
    this.headers = headers;
    this.onPeerGone = onPeerGone;
  }

  @Override
  public void write(byte[][] frames, int count, WriteCallback callback) {
    boolean fail;
    synchronized (this) {
      if (paused) {
        pending.add(() -> write(frames, count, callback));
        return;
      }
      fail = failWrites || closed;
      if (!fail) {
        writes++;
        for (int i = 0; i < count; i++) {
          bytes += frames[i].length;
          if (keep) {
            written.write(frames[i], 0, frames[i].length);
          }
        }
      }
    }
    if (fail) {
      callback.failed(new IOException("write failed (InMemoryTransport)"));
    } else {
      callback.completed();
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  /** Holds every write from now on, as a peer that stopped reading would. */
  public synchronized void pause() {
    paused = true;
  }

  /** Lets held writes complete, in order. */
  public void resume() {
    Queue<Runnable> held;
    synchronized (this) {
      paused = false;
      held = new ArrayDeque<>(pending);
      pending.clear();
    }
    held.forEach(Runnable::run);
  }

  /** Makes every write from now on fail, as a socket reset would. */
  public synchronized void failWrites() {
    failWrites = true;
  }

  /** Tells the service that the peer went away, as an adapter would. */
  public void peerGone() {
    Runnable r;
    synchronized (this) {
      r = onPeerGone;
    }
    if (r != null) {
      r.run();
    }
  }

  /** Returns everything written so far, as UTF-8 text (empty if not keeping bytes). */
  public synchronized String text() {
    return written.toString(UTF_8);
  }

  /**
   * Returns the events written so far, parsed as an SSE client would (comments skipped; an
   * event's {@code lastEventId} is the stream's last id after it).
   */
  public List<ReceivedEvent> events() {
    return SseParser.parse(text());
  }

  /** Returns the data of each event written so far, in order. */
  public List<String> data() {
    List<String> data = new ArrayList<>();
    events().forEach(e -> data.add(e.data()));
    return data;
  }

  /** Returns whether {@link #open} was called. */
  public synchronized boolean isOpened() {
    return headers != null;
  }

  /** Returns the headers given to {@link #open}, or null before it. */
  public synchronized @Nullable Map<String, String> headers() {
    return headers;
  }

  /** Returns whether {@link #close()} was called. */
  public synchronized boolean isClosed() {
    return closed;
  }

  /** Returns how many write calls completed. */
  public synchronized int writes() {
    return writes;
  }

  /** Returns how many bytes were written. */
  public synchronized long bytes() {
    return bytes;
  }
}
