package io.sseservice.bench;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.sseservice.SseEvent;
import io.sseservice.internal.SseEncoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The raw ceiling: what this machine can do at most. One NIO selector thread, no registry, no
 * queue bound: each send is encoded once (as an HTTP chunk), appended to every target socket's
 * pending list, and every socket with something pending gets ONE gathering write per loop turn.
 * The adapters are measured against it.
 *
 * <p>Thread-safety: sends may come from any thread; they are handed to the loop thread.
 */
final class RawCeilingServer implements LoadServer.Sender, AutoCloseable {

  private static final byte[] HEAD =
      ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
              + "Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n")
          .getBytes(US_ASCII);

  private final ServerSocketChannel server;
  private final Selector selector;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final List<Conn> all = new ArrayList<>();
  private final Map<String, Conn> byClient = new HashMap<>();
  private final List<Conn> dirty = new ArrayList<>();
  private final Map<String, List<Conn>> byGroup = new HashMap<>();

  /** What {@link #sendToAllWithId} sent, as chunks, and their ids: the ceiling's history. */
  private final List<byte[]> history = new ArrayList<>();

  private final List<Long> historyIds = new ArrayList<>();

  /** What open streams read (only to notice their end): one buffer for all, on the loop thread. */
  private final ByteBuffer discard = ByteBuffer.allocate(2048);

  private final Thread loop;
  private volatile int connections;
  private volatile boolean running = true;

  /** One client socket and what waits to be written to it. */
  private static final class Conn {
    final SocketChannel channel;

    /** The request head as it arrives; dropped once the stream is open (the ceiling keeps nothing). */
    ByteBuffer request = ByteBuffer.allocate(2048);

    final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    boolean open;
    boolean isDirty;
    String group;

    Conn(SocketChannel channel) {
      this.channel = channel;
    }
  }

  private RawCeilingServer() throws IOException {
    server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress("127.0.0.1", 0), 8192);
    server.configureBlocking(false);
    selector = Selector.open();
    server.register(selector, SelectionKey.OP_ACCEPT);
    loop = new Thread(this::run, "raw-ceiling");
  }

  static RawCeilingServer start() throws IOException {
    RawCeilingServer raw = new RawCeilingServer();
    raw.loop.start();
    return raw;
  }

  int port() {
    return server.socket().getLocalPort();
  }

  @Override
  public void sendToAll(String data) {
    byte[] chunk = chunk(data);
    submit(() -> all.forEach(conn -> append(conn, chunk)));
  }

  @Override
  public void sendToGroup(String group, String data) {
    byte[] chunk = chunk(data);
    submit(
        () -> {
          List<Conn> members = byGroup.get(group);
          if (members != null) {
            members.forEach(conn -> append(conn, chunk));
          }
        });
  }

  @Override
  public void sendToAllWithId(long id, String data) {
    byte[] chunk = chunk(SseEvent.builder().id(id).data(data).build());
    submit(
        () -> {
          history.add(chunk);
          historyIds.add(id);
          all.forEach(conn -> append(conn, chunk));
        });
  }

  @Override
  public void sendToClient(String clientId, String data) {
    byte[] chunk = chunk(data);
    submit(
        () -> {
          Conn conn = byClient.get(clientId);
          if (conn != null) {
            append(conn, chunk);
          }
        });
  }

  @Override
  public int connections() {
    return connections;
  }

  @Override
  public void awaitCapacity() throws InterruptedException {
    while (backlogged(1 << 20) > 0) { // the library's default bound, for a like-for-like pace
      Thread.sleep(0, 100_000);
    }
  }

  @Override
  public int backlogged(long bytes) {
    java.util.concurrent.CompletableFuture<Integer> count =
        new java.util.concurrent.CompletableFuture<>();
    submit(
        () -> {
          int n = 0;
          for (Conn conn : all) {
            if (conn == byClient.get(LoadServer.STUCK)) {
              continue;
            }
            long queued = 0;
            for (ByteBuffer b : conn.pending) {
              queued += b.remaining();
            }
            if (queued > bytes) {
              n++;
            }
          }
          count.complete(n);
        });
    return count.join();
  }

  @Override
  public void close() {
    running = false;
    selector.wakeup();
  }

  private void submit(Runnable task) {
    tasks.add(task);
    selector.wakeup();
  }

  /** The event as an HTTP/1.1 chunk: size line, the SSE bytes, CRLF. */
  private static byte[] chunk(String data) {
    return chunk(SseEvent.of(data));
  }

  private static byte[] chunk(SseEvent sse) {
    byte[] event = SseEncoder.encode(sse);
    byte[] size = (Integer.toHexString(event.length) + "\r\n").getBytes(US_ASCII);
    byte[] chunk = new byte[size.length + event.length + 2];
    System.arraycopy(size, 0, chunk, 0, size.length);
    System.arraycopy(event, 0, chunk, size.length, event.length);
    chunk[chunk.length - 2] = '\r';
    chunk[chunk.length - 1] = '\n';
    return chunk;
  }

  private void append(Conn conn, byte[] chunk) {
    if (!conn.open) {
      return;
    }
    conn.pending.add(ByteBuffer.wrap(chunk));
    if (!conn.isDirty) {
      conn.isDirty = true;
      dirty.add(conn);
    }
  }

  private void run() {
    try {
      while (running) {
        selector.select();
        for (SelectionKey key : selector.selectedKeys()) {
          if (!key.isValid()) {
            continue;
          }
          if (key.isAcceptable()) {
            accept();
          } else if (key.isReadable()) {
            read(key);
          } else if (key.isWritable()) {
            flush((Conn) key.attachment());
          }
        }
        selector.selectedKeys().clear();
        for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
          task.run();
        }
        for (Conn conn : dirty) {
          conn.isDirty = false;
          flush(conn);
        }
        dirty.clear();
      }
      selector.close();
      server.close();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void accept() throws IOException {
    for (SocketChannel channel = server.accept(); channel != null; channel = server.accept()) {
      channel.configureBlocking(false);
      channel.register(selector, SelectionKey.OP_READ, new Conn(channel));
    }
  }

  /** Reads the request head, then answers with the stream's head and registers the socket. */
  private void read(SelectionKey key) throws IOException {
    Conn conn = (Conn) key.attachment();
    int n;
    try {
      n = conn.channel.read(conn.open ? discard.clear() : conn.request);
    } catch (IOException e) {
      n = -1;
    }
    if (n < 0) {
      drop(conn, key);
      return;
    }
    if (conn.open) {
      return;
    }
    String head = new String(conn.request.array(), 0, conn.request.position(), UTF_8);
    if (!conn.open && head.contains("\r\n\r\n")) {
      conn.open = true;
      conn.request = null;
      int at = head.indexOf("clientId=");
      if (at >= 0) {
        byClient.put(head.substring(at + 9).split("[ &]")[0], conn);
      }
      conn.group = headValue(head, "group=", "[ &]");
      if (conn.group != null) {
        byGroup.computeIfAbsent(conn.group, g -> new ArrayList<>()).add(conn);
      }
      all.add(conn);
      connections = all.size();
      conn.pending.add(ByteBuffer.wrap(HEAD));
      String lastEventId = headValue(head, "Last-Event-ID: ", "\r");
      if (lastEventId != null) { // replay what came after it, as a history would
        long last = Long.parseLong(lastEventId);
        int from = historyIds.size();
        while (from > 0 && historyIds.get(from - 1) > last) {
          from--;
        }
        for (int i = from; i < history.size(); i++) {
          conn.pending.add(ByteBuffer.wrap(history.get(i)));
        }
      }
      flush(conn);
    }
  }

  private static String headValue(String head, String prefix, String end) {
    int at = head.indexOf(prefix);
    return at < 0 ? null : head.substring(at + prefix.length()).split(end)[0];
  }

  /** Writes everything pending in one gathering write; waits for OP_WRITE if some is left. */
  private void flush(Conn conn) {
    if (conn.pending.isEmpty() || !conn.channel.isOpen()) {
      return;
    }
    try {
      ByteBuffer[] buffers = conn.pending.toArray(new ByteBuffer[0]);
      conn.channel.write(buffers, 0, Math.min(buffers.length, 1024));
      while (!conn.pending.isEmpty() && !conn.pending.peek().hasRemaining()) {
        conn.pending.poll();
      }
      SelectionKey key = conn.channel.keyFor(selector);
      key.interestOps(
          conn.pending.isEmpty()
              ? SelectionKey.OP_READ
              : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
    } catch (IOException e) {
      drop(conn, conn.channel.keyFor(selector));
    }
  }

  private void drop(Conn conn, SelectionKey key) {
    key.cancel();
    try {
      conn.channel.close();
    } catch (IOException ignored) {
      // already gone
    }
    if (conn.open) {
      conn.open = false;
      all.remove(conn);
      byClient.values().remove(conn);
      if (conn.group != null) {
        byGroup.get(conn.group).remove(conn);
      }
      connections = all.size();
    }
    conn.pending.clear();
  }
}
