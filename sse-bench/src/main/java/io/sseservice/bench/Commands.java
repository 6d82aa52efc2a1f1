package io.sseservice.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.concurrent.locks.LockSupport;

/**
 * The load server's command loop, one line per command, one answer line each:
 * <ul>
 *   <li>{@code connections} → {@code CONNECTIONS <n>}
 *   <li>{@code memory} → {@code MEMORY <bytes>}: heap in use after full collections (live objects)
 *   <li>{@code stats} → {@code STATS <connections> <groups> <slowConsumerDisconnects> <eventsSent>
 *       <historyBytes>}
 *   <li>{@code broadcast <count> <bytes> <perSecond>} (0: as fast as possible; -1: as fast as the
 *       readers take it, pausing while a reader other than {@code stuck} has over 256 KiB
 *       waiting, as a publisher that respects back-pressure would; -2: calling the library's
 *       {@code awaitCapacity} before every send) → {@code DONE <nanos>}
 *   <li>{@code unicast <count> <bytes> <clients>} → {@code DONE <nanos>} (event i to client {@code c<i % clients>})
 *   <li>{@code groups <count> <bytes> <groups>} → {@code DONE <nanos>}: {@code count} rounds, each
 *       one send to every group {@code g0 … g<groups-1>} (the scaling scenario)
 *   <li>{@code history <count> <bytes>} → {@code DONE <nanos>}: {@code count} sends to everyone,
 *       each with its sequence number as event id, for the history (the reconnect storm)
 * </ul>
 * Sequence numbers go on from one command to the next (a warm-up, then the measured run), so each
 * stream's order check spans both.
 * <ul>
 *   <li>{@code quit}
 * </ul>
 */
final class Commands {

  /** With pacing by back-pressure, the backlog a reader may have before the publisher waits. */
  private static final long BACKLOG_BYTES = 256 * 1024;

  private final LoadServer.Sender sender;
  private int nextBroadcastSeq;
  private long unicastSent;

  Commands(LoadServer.Sender sender) {
    this.sender = sender;
  }

  void run(BufferedReader in) throws IOException {
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String answer = execute(line);
      if (answer == null) {
        return;
      }
      answer(answer);
    }
  }

  /**
   * Runs one command on the calling thread and returns its answer line, or null for
   * {@code quit}. Called by the stdin loop (a dedicated publishing thread) and by the servers'
   * {@code POST /publish} routes (publishing from the application's own HTTP handler, see
   * {@link PublishRoutes}); synchronized, so that the sequence numbers go on across both.
   */
  synchronized String execute(String line) {
    String[] words = line.trim().split(" ");
    switch (words[0]) {
      case "connections":
        return "CONNECTIONS " + sender.connections();
      case "memory":
        return "MEMORY " + liveHeapBytes();
      case "stats":
        return "STATS " + sender.stats();
      case "broadcast":
        return "DONE "
            + broadcast(
                Integer.parseInt(words[1]), Integer.parseInt(words[2]), Integer.parseInt(words[3]));
      case "unicast":
        return "DONE "
            + unicast(
                Integer.parseInt(words[1]), Integer.parseInt(words[2]), Integer.parseInt(words[3]));
      case "groups":
        return "DONE "
            + groups(
                Integer.parseInt(words[1]), Integer.parseInt(words[2]), Integer.parseInt(words[3]));
      case "history":
        return "DONE " + history(Integer.parseInt(words[1]), Integer.parseInt(words[2]));
      case "quit":
        return null;
      default:
        return "ERROR unknown command: " + line;
    }
  }

  /** Heap in use once collections have freed what is not reachable. */
  private static long liveHeapBytes() {
    java.lang.management.MemoryMXBean memory =
        java.lang.management.ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) { // until a collection frees nothing more
      System.gc();
      long now = memory.getHeapMemoryUsage().getUsed();
      if (now >= used) {
        break;
      }
      used = now;
    }
    return used;
  }

  private long broadcast(int count, int bytes, int perSecond) {
    long start = System.nanoTime();
    long interval = perSecond == 0 ? 0 : 1_000_000_000L / perSecond;
    for (int seq = 0; seq < count; seq++) {
      if (interval > 0) {
        long due = start + seq * interval;
        for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
          LockSupport.parkNanos(due - now);
        }
      }
      if (perSecond == -2) {
        awaitCapacity();
      } else if (perSecond < 0 && seq % 32 == 0) {
        while (sender.backlogged(BACKLOG_BYTES) > 0) {
          LockSupport.parkNanos(100_000);
        }
      }
      sender.sendToAll(data(nextBroadcastSeq++, bytes));
    }
    return System.nanoTime() - start;
  }

  private void awaitCapacity() {
    try {
      sender.awaitCapacity();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for capacity", e);
    }
  }

  private long unicast(int count, int bytes, int clients) {
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      // one counter across commands: client k % clients gets its (k / clients)-th event, so a
      // run split into many small commands (one per POST) keeps each stream's order
      long k = unicastSent++;
      sender.sendToClient("c" + (k % clients), data((int) (k / clients), bytes));
    }
    return System.nanoTime() - start;
  }

  private long groups(int count, int bytes, int groups) {
    String[] names = new String[groups];
    for (int g = 0; g < groups; g++) {
      names[g] = "g" + g;
    }
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      String data = data(nextBroadcastSeq++, bytes);
      for (String group : names) {
        sender.sendToGroup(group, data);
      }
    }
    return System.nanoTime() - start;
  }

  private long history(int count, int bytes) {
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      int seq = nextBroadcastSeq++;
      sender.sendToAllWithId(seq, data(seq, bytes));
    }
    return System.nanoTime() - start;
  }

  /** {@code "<seq> <nanoTime> xxx…"}, padded to {@code bytes} characters. */
  static String data(int seq, int bytes) {
    StringBuilder data =
        new StringBuilder(bytes + 32).append(seq).append(' ').append(System.nanoTime()).append(' ');
    while (data.length() < bytes) {
      data.append('x');
    }
    return data.toString();
  }

  private static void answer(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
