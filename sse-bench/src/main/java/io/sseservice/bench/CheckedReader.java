package io.sseservice.bench;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A well-behaved event-stream client on one blocking socket and its own thread, that checks every
 * event of the load server's broadcast sequence: each {@code "<seq> <nanoTime>"} payload must come
 * exactly once and in order. Optionally it leaves and comes back (closing its socket after a few
 * seconds online, staying away a short or a long time) with the {@code Last-Event-ID} of the last
 * event it got, as a browser's {@code EventSource} does; a gap is then either replayed or
 * announced by the {@code sse-reset} event, which resynchronizes it. It counts events lost without
 * a reset (the guarantee broken), duplicates, resets (and those after a short absence, which the
 * history should have covered), connects and how long each took to the response's head, and
 * records every delivery's latency into a shared {@link Latencies}.
 *
 * <p>Thread-safety: its thread owns the parser; counters are volatile, written by that thread only
 * and read by others; {@link #stop} may be called from any thread.
 */
final class CheckedReader implements Runnable {

  /** The history's reset event (SseService.RESET_EVENT). */
  private static final String RESET = "sse-reset";

  private final int port;
  private final String clientId;
  private final Latencies latencies;
  private final boolean reconnects;
  private final long shortAwayMillis;
  private final long longAwayMillis;
  private final Thread thread;
  private volatile boolean stopping;
  private volatile boolean catchUp;
  private volatile Socket socket;
  private volatile boolean closedByUs;

  // the parser's state: the thread's own
  private String lastId = "";
  private boolean longAbsence;
  private long connectedAt;
  private String sentLastId = "";
  private long awayNanos;
  private String eventType = "";
  private String eventId = "";
  private String data = "";
  private boolean hasData;

  volatile long events;
  volatile long lost;
  volatile long duplicates;
  volatile long resets;
  volatile long resetsAfterShortAbsence;

  /** Resets whose gap (from the id sent to the one the reset names) the history could hold. */
  volatile long resetsWithinHistory;

  /** How many events the server's history holds per group; 0: unknown. */
  volatile long historyEvents;

  volatile long longAbsences;
  volatile long connects;
  volatile long refused;
  volatile long serverClosed;
  volatile long lastSeq = -1;

  /** Whether its last news was a reset (or nothing yet): it waits for the next event to resync. */
  volatile boolean resync = true;

  volatile long slowestConnectNanos;
  volatile long lastConnectNanos;
  volatile boolean online;

  /**
   * A reader of {@code /sse?clientId=<clientId>}; with {@code reconnects}, it leaves after 4 to 12
   * s and comes back after {@code shortAwayMillis} (random, up to that), every fourth time after
   * {@code longAwayMillis}.
   */
  CheckedReader(
      int port,
      String clientId,
      Latencies latencies,
      boolean reconnects,
      long shortAwayMillis,
      long longAwayMillis) {
    this.port = port;
    this.clientId = clientId;
    this.latencies = latencies;
    this.reconnects = reconnects;
    this.shortAwayMillis = shortAwayMillis;
    this.longAwayMillis = longAwayMillis;
    this.thread = new Thread(this, "reader-" + clientId);
    thread.setDaemon(true);
  }

  @Override
  public String toString() {
    return clientId
        + "{events="
        + events
        + ", lost="
        + lost
        + ", duplicates="
        + duplicates
        + ", resets="
        + resets
        + " (after a short absence: "
        + resetsAfterShortAbsence
        + "), longAbsences="
        + longAbsences
        + ", connects="
        + connects
        + ", refused="
        + refused
        + ", serverClosed="
        + serverClosed
        + ", lastSeq="
        + lastSeq
        + ", online="
        + online
        + '}';
  }

  /** A reader that stays connected. */
  static CheckedReader staying(int port, String clientId, Latencies latencies) {
    return new CheckedReader(port, clientId, latencies, false, 0, 0);
  }

  CheckedReader start() {
    thread.start();
    return this;
  }

  /** Stops leaving: a reader that is away comes back at once and stays. */
  void catchUp() {
    catchUp = true;
    thread.interrupt(); // ends an absence's sleep, not a read
  }

  /** Ends the reader: closes its socket and waits for its thread. */
  void stop() throws InterruptedException {
    stopping = true;
    closeSocket();
    thread.interrupt();
    thread.join(5_000);
  }

  @Override
  public void run() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int absences = 0;
    while (!stopping) {
      long onlineMillis = 4_000 + random.nextLong(8_000);
      long openedAt = System.nanoTime();
      closedByUs = false;
      try (Socket s = new Socket()) {
        socket = s;
        if (stopping) {
          break;
        }
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        read(s, openedAt, reconnects ? onlineMillis : -1);
        if (!closedByUs && !stopping) {
          serverClosed++;
        }
      } catch (IOException e) {
        if (!closedByUs && !stopping) {
          serverClosed++;
        }
      } finally {
        online = false;
      }
      if (stopping) {
        break;
      }
      long away = 200;
      if (closedByUs && !catchUp) {
        away = ++absences % 4 == 0 ? longAwayMillis : 100 + random.nextLong(shortAwayMillis);
      }
      long leftAt = System.nanoTime();
      try {
        Thread.sleep(away); // the absence itself: what the scenario is made of
      } catch (InterruptedException e) {
        if (stopping) {
          break;
        }
      }
      // long: past what the history holds (the caller's longAwayMillis is past it, the short
      // ones well within); measured, since catchUp may end an absence early
      awayNanos = System.nanoTime() - leftAt;
      longAbsence = longAwayMillis > 0 && awayNanos > longAwayMillis * 1_000_000 / 2;
      if (longAbsence) {
        longAbsences++;
      }
    }
  }

  private void read(Socket s, long openedAt, long onlineMillis) throws IOException {
    OutputStream out = s.getOutputStream();
    String request =
        "GET /sse?clientId="
            + clientId
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
            + (lastId.isEmpty() ? "" : "Last-Event-ID: " + lastId + "\r\n")
            + "\r\n";
    out.write(request.getBytes(US_ASCII));
    out.flush();
    sentLastId = lastId;
    InputStream in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
    String head = head(in);
    long connected = System.nanoTime() - openedAt;
    if (!head.startsWith("HTTP/1.1 200")) {
      refused++;
      return;
    }
    connects++;
    connectedAt = System.nanoTime();
    lastConnectNanos = connected;
    slowestConnectNanos = Math.max(slowestConnectNanos, connected);
    online = true;
    long leaveAt = onlineMillis < 0 ? Long.MAX_VALUE : System.nanoTime() + onlineMillis * 1_000_000;
    boolean chunked = head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked");
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    while (true) {
      long chunk = chunked ? chunkSize(in) : Long.MAX_VALUE;
      if (chunk == 0) {
        return; // the last chunk: the server ended the stream
      }
      for (long i = 0; i < chunk; i++) {
        int b = in.read();
        if (b < 0) {
          return;
        }
        if (b == '\n') {
          line(line);
          line.reset();
          if (!catchUp && System.nanoTime() > leaveAt) {
            closedByUs = true;
            return; // leaving between two lines, as a page that is closed
          }
        } else {
          line.write(b);
        }
      }
      if (chunked) {
        in.read(); // CR
        in.read(); // LF
      }
    }
  }

  private void line(ByteArrayOutputStream bytes) {
    String line = bytes.toString(UTF_8);
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    if (line.isEmpty()) {
      dispatch();
      return;
    }
    int colon = line.indexOf(':');
    if (colon == 0) {
      return; // a comment: the keep-alive
    }
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "event":
        eventType = value;
        break;
      case "id":
        eventId = value;
        break;
      case "data":
        data = hasData ? data + "\n" + value : value;
        hasData = true;
        break;
      default: // retry and unknown fields
    }
  }

  private void dispatch() {
    if (!hasData) {
      eventType = "";
      eventId = "";
      return;
    }
    if (!eventId.isEmpty()) {
      lastId = eventId;
    }
    if (RESET.equals(eventType)) {
      resets++;
      long gap = position(data) - position(sentLastId);
      if (historyEvents > 0 && !sentLastId.isEmpty() && gap <= historyEvents) {
        resetsWithinHistory++; // the history held every missed event: a replay was due
      }
      if (!longAbsence) {
        resetsAfterShortAbsence++;
        System.err.printf(
            Locale.ROOT,
            "reader %s: reset after %d ms away (it may have been behind); sent Last-Event-ID %s,"
                + " the reset names %s, the last event's seq was %d%n",
            clientId,
            awayNanos / 1_000_000,
            sentLastId,
            data,
            lastSeq);
      }
      resync = true; // the next event starts the sequence again
    } else {
      String[] words = data.split(" ", 3);
      long seq = Long.parseLong(words[0]);
      long sent = Long.parseLong(words[1]);
      if (sent - connectedAt > 0) {
        latencies.record(System.nanoTime() - sent); // live; a replayed event waited for us
      }
      events++;
      if (resync) {
        resync = false;
      } else if (seq > lastSeq + 1) {
        lost += seq - lastSeq - 1;
      } else if (seq <= lastSeq) {
        duplicates++;
      }
      lastSeq = Math.max(lastSeq, seq);
    }
    eventType = "";
    eventId = "";
    data = "";
    hasData = false;
  }

  /** The group position at the end of an in-memory history's id ({@code <epoch>-<seq>}). */
  private static long position(String id) {
    try {
      return Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void closeSocket() {
    Socket s = socket;
    if (s != null) {
      closedByUs = true;
      try {
        s.close();
      } catch (IOException e) {
        // closing: nothing to do
      }
    }
  }

  /** Reads the response head up to its blank line. */
  private static String head(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int matched = 0;
    for (int b = in.read(); b >= 0; b = in.read()) {
      head.append((char) b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == 4) {
        return head.toString();
      }
    }
    return head.toString();
  }

  private static long chunkSize(InputStream in) throws IOException {
    long size = 0;
    boolean extension = false;
    for (int b = in.read(); b >= 0; b = in.read()) {
      if (b == '\n') {
        return size;
      }
      if (b == ';') {
        extension = true;
      } else if (b != '\r' && !extension) {
        size = size * 16 + Character.digit(b, 16);
      }
    }
    return 0;
  }

  /**
   * Delivery latencies in logarithmic buckets 1% wide, from 10 µs to about 30 s, recorded from any
   * thread: a run of hours fits in a few kilobytes.
   *
   * <p>Thread-safety: {@link #record} and {@link #percentileMillis} are safe from any thread.
   */
  static class Latencies {
    private static final double BASE = Math.log(1.01);
    private static final long FLOOR_NANOS = 10_000;
    private final AtomicLongArray counts = new AtomicLongArray(1_500);

    void record(long nanos) {
      int bucket =
          nanos <= FLOOR_NANOS ? 0 : (int) (Math.log(nanos / (double) FLOOR_NANOS) / BASE) + 1;
      counts.incrementAndGet(Math.min(bucket, counts.length() - 1));
    }

    long count() {
      long sum = 0;
      for (int i = 0; i < counts.length(); i++) {
        sum += counts.get(i);
      }
      return sum;
    }

    /** The upper bound of the bucket holding the {@code p} quantile, in milliseconds. */
    double percentileMillis(double p) {
      long total = count();
      if (total == 0) {
        return Double.NaN;
      }
      long rank = (long) Math.ceil(p * total);
      long seen = 0;
      for (int i = 0; i < counts.length(); i++) {
        seen += counts.get(i);
        if (seen >= rank) {
          return FLOOR_NANOS * Math.pow(1.01, i) / 1e6;
        }
      }
      return Double.POSITIVE_INFINITY;
    }
  }
}
