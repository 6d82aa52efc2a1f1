package io.sseservice.netty;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.sseservice.SseService;
import java.io.InputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Sends one large event to several raw-socket readers of a {@link NettySseServer} and prints how
 * many received all of it and the peak of direct memory during the write:
 * {@code received=6/6 peakDirect=2236448 millis=526}. Run by {@code NettyLargeEventIT} in a JVM with a small
 * {@code -XX:MaxDirectMemorySize}. Arguments: readers, event size in MiB.
 */
public final class LargeEventProbe {

  private LargeEventProbe() {}

  /** Runs the probe; see the class comment. */
  public static void main(String[] args) throws Exception {
    int readers = Integer.parseInt(args[0]);
    int size = Integer.parseInt(args[1]) << 20;
    SseService service =
        SseService.builder().maxQueuedBytes(4L * size).maxEventBytes(size + 64L).build();
    NettySseServer server =
        NettySseServer.builder(service).host("127.0.0.1").port(0).workerThreads(2).start();
    AtomicLongArray received = new AtomicLongArray(readers);
    CountDownLatch done = new CountDownLatch(readers);
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < readers; i++) {
      Socket socket = new Socket("127.0.0.1", server.port());
      sockets.add(socket);
      socket
          .getOutputStream()
          .write("GET /sse HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(UTF_8));
      int reader = i;
      Thread thread = new Thread(() -> read(socket, size, received, reader, done), "reader-" + i);
      thread.setDaemon(true);
      thread.start();
    }
    while (service.stats().connections() < readers) {
      Thread.onSpinWait();
    }
    AtomicLong peak = new AtomicLong();
    Thread sampler = new Thread(() -> sample(peak, done), "direct-memory-sampler");
    sampler.setDaemon(true);
    sampler.start();
    long start = System.nanoTime();
    service.sendToAll("~".repeat(size));
    done.await(120, TimeUnit.SECONDS);
    long millis = (System.nanoTime() - start) / 1_000_000;
    int complete = 0;
    for (int i = 0; i < readers; i++) {
      complete += received.get(i) == size ? 1 : 0;
    }
    System.out.println(
        "received=" + complete + "/" + readers + " peakDirect=" + peak.get() + " millis=" + millis);
    for (Socket socket : sockets) {
      socket.close();
    }
    service.close();
    server.close();
  }

  /** Counts the event's bytes ('~': nothing else in the response is one) until all came. */
  private static void read(
      Socket socket, int size, AtomicLongArray received, int reader, CountDownLatch done) {
    try (InputStream in = socket.getInputStream()) {
      byte[] buffer = new byte[64 * 1024];
      long count = 0;
      while (count < size) {
        int n = in.read(buffer);
        if (n < 0) {
          break;
        }
        for (int i = 0; i < n; i++) {
          count += buffer[i] == '~' ? 1 : 0;
        }
        received.set(reader, count);
      }
    } catch (Exception e) {
      // a reader cut off: it counts as incomplete
    } finally {
      done.countDown();
    }
  }

  /** Records the most direct memory in use (the JDK's count, and Netty's own where it keeps one). */
  private static void sample(AtomicLong peak, CountDownLatch done) {
    BufferPoolMXBean direct =
        ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(pool -> pool.getName().equals("direct"))
            .findFirst()
            .orElseThrow();
    while (done.getCount() > 0) {
      long used =
          Math.max(
              direct.getMemoryUsed(), io.netty.util.internal.PlatformDependent.usedDirectMemory());
      peak.accumulateAndGet(used, Math::max);
      Thread.onSpinWait();
    }
  }
}
