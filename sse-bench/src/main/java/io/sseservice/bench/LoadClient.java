package io.sseservice.bench;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N event-stream clients on one selector thread, reading as fast as the loopback allows: the
 * client side of the load tool. Counts events, checks per-connection order, and can record every
 * event's delivery latency.
 *
 * <p>Thread-safety: the selector thread owns the decoders; counters are read from other threads.
 */
final class LoadClient implements AutoCloseable, StreamDecoder.Sink {

  private final Selector selector;
  private final List<SocketChannel> channels = new ArrayList<>();
  private final List<StreamDecoder> decoders = new ArrayList<>();
  private final AtomicLong events = new AtomicLong();
  private final AtomicLong heads = new AtomicLong();

  /** Channels and decoders waiting to be registered by the selector thread. */
  private final List<Object[]> pending = new ArrayList<>();

  private final Thread reader;
  private volatile boolean running = true;
  private long[] latencies = new long[0];

  /** The sequence number each stream opened next expects first (a replay starts past zero). */
  private long firstSeq;

  private int latencyCount;

  LoadClient() throws IOException {
    selector = Selector.open();
    reader = new Thread(this::run, "load-client");
    reader.setDaemon(true);
  }

  /** Connects {@code n} streams {@code /sse?clientId=c<i>} and waits until every head arrived. */
  double connect(int port, int n, int firstId) throws Exception {
    return connect(port, n, firstId, i -> "", "", 0);
  }

  /**
   * As above, each request with {@code query.apply(i)} appended to its query (e.g.
   * {@code "&group=g3"}) and {@code headers} (whole lines with their CRLF, e.g. a
   * {@code Last-Event-ID}) in its head; each stream's order check expects {@code firstSeq} first.
   */
  double connect(
      int port,
      int n,
      int firstId,
      java.util.function.IntFunction<String> query,
      String headers,
      long firstSeq)
      throws Exception {
    this.firstSeq = firstSeq;
    long start = System.nanoTime();
    List<SocketChannel> fresh = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      SocketChannel channel = SocketChannel.open();
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      channel.connect(new InetSocketAddress("127.0.0.1", port));
      channel.write(
          ByteBuffer.wrap(
              ("GET /sse?clientId=c"
                      + (firstId + i)
                      + query.apply(i)
                      + " HTTP/1.1\r\n"
                      + "Host: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                      + headers
                      + "\r\n")
                  .getBytes(US_ASCII)));
      channel.configureBlocking(false);
      fresh.add(channel);
      if (i % 256 == 255) {
        register(fresh); // keep the accept queues short while thousands connect
      }
    }
    register(fresh);
    while (heads.get() < channels.size()) {
      Thread.sleep(1);
      if (System.nanoTime() - start > 120_000_000_000L) {
        throw new IllegalStateException(
            "only " + heads.get() + " of " + channels.size() + " streams opened");
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private void register(List<SocketChannel> fresh) throws IOException {
    synchronized (this) {
      for (SocketChannel channel : fresh) {
        StreamDecoder decoder = new StreamDecoder();
        decoder.nextSeq = firstSeq;
        channels.add(channel);
        decoders.add(decoder);
        pending.add(new Object[] {channel, decoder});
      }
    }
    fresh.clear();
    if (!reader.isAlive()) {
      reader.start();
    }
    selector.wakeup();
  }

  /** Keeps every latency from now on (sized for {@code expected} events). */
  void recordLatencies(int expected) {
    latencies = new long[expected];
    latencyCount = 0;
  }

  long events() {
    return events.get();
  }

  /** Counts events from zero again (after a warm-up); each stream's order check goes on. */
  void resetEvents() {
    events.set(0);
  }

  /** Waits until {@code total} events arrived; returns the nanoTime then, or -1 on timeout. */
  long awaitEvents(long total, long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    while (events.get() < total) {
      if (System.nanoTime() > deadline) {
        return -1;
      }
      Thread.sleep(0, 200_000);
    }
    return System.nanoTime();
  }

  long outOfOrder() {
    long sum = 0;
    synchronized (this) {
      for (StreamDecoder d : decoders) {
        sum += d.outOfOrder;
      }
    }
    return sum;
  }

  /** Returns the recorded latencies in nanoseconds, sorted. */
  long[] sortedLatencies() {
    long[] copy = java.util.Arrays.copyOf(latencies, latencyCount);
    java.util.Arrays.sort(copy);
    return copy;
  }

  @Override
  public void event(StreamDecoder stream, long seq, long sentNanos) {
    events.incrementAndGet();
    if (latencyCount < latencies.length) {
      latencies[latencyCount++] = System.nanoTime() - sentNanos;
    }
  }

  private void run() {
    byte[] bytes = new byte[256 * 1024];
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    try {
      while (running) {
        selector.select(100);
        synchronized (this) {
          for (Object[] p : pending) {
            ((SocketChannel) p[0]).register(selector, SelectionKey.OP_READ, p[1]);
          }
          pending.clear();
        }
        for (SelectionKey key : selector.selectedKeys()) {
          StreamDecoder decoder = (StreamDecoder) key.attachment();
          buffer.clear();
          int n;
          try {
            n = ((SocketChannel) key.channel()).read(buffer);
          } catch (IOException e) {
            n = -1;
          }
          if (n < 0) {
            key.cancel();
            continue;
          }
          boolean wasOpen = decoder.headDone;
          decoder.feed(bytes, n, this);
          if (!wasOpen && decoder.headDone) {
            heads.incrementAndGet();
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    running = false;
    selector.wakeup();
    try {
      reader.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (SocketChannel channel : channels) {
      channel.close();
    }
    // a registered channel's descriptor is only released when its key is deregistered
    selector.close();
  }
}
