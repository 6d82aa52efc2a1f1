package io.sseservice.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpServer;
import io.sseservice.SseService;
import io.sseservice.jdk.JdkSse;
import io.sseservice.netty.NettySseServer;
import io.sseservice.redis.RedisCluster;
import io.sseservice.servlet.SseServlet;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.util.function.IntConsumer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The server process of the load tool: serves event streams on one adapter ({@code jdk},
 * {@code jetty}, {@code netty}, {@code netty-app}: see {@link NettyAppServer}, {@code vertx};
 * {@code webflux} is {@code WebFluxLoadServer} on the Spring class path) or the raw ceiling
 * ({@code raw}), then obeys commands on stdin (see {@link Commands}) and answers on stdout; the
 * jdk, jetty, netty and netty-app servers also take them as {@code POST /publish} (see {@link
 * PublishRoutes}). Every event's data is
 * {@code "<seq> <System.nanoTime()> <padding>"}: the monotonic clock is shared by the processes
 * of one machine, so the client can compute delivery latency.
 */
public final class LoadServer {

  /** The system property with the Redis URI that makes this server a node of a cluster. */
  static final String REDIS = "bench.redis";

  /** The system property with this server's node id in a cluster. */
  static final String NODE = "bench.node";

  /** The system property with the service's keep-alive interval (ISO-8601), default none. */
  static final String KEEP_ALIVE = "bench.keepAlive";

  /** The system property with the service's {@code maxGroups} (the groups scenario). */
  static final String MAX_GROUPS = "bench.maxGroups";

  /** The client id of the slow scenario's reader that never reads. */
  static final String STUCK = "stuck";

  private LoadServer() {}

  /** {@code LoadServer <adapter> <maxQueuedBytes>}: prints {@code PORT <n>}, then serves commands. */
  public static void main(String[] args) throws Exception {
    String adapter = args[0];
    long maxQueued = Long.parseLong(args[1]);
    Sender sender;
    Commands commands;
    int port;
    Runnable stop;
    if ("raw".equals(adapter)) {
      RawCeilingServer raw = RawCeilingServer.start();
      sender = raw;
      commands = new Commands(sender);
      port = raw.port();
      stop = raw::close;
    } else {
      SseService.Builder builder = BenchService.builder(maxQueued);
      String redis = System.getProperty(REDIS);
      RedisCluster cluster = null;
      if (redis != null) { // one node of a cluster: the cluster scenarios start two or more
        cluster = RedisCluster.builder().uri(redis).build();
        builder = cluster.join(builder, System.getProperty(NODE, "node"));
      }
      SseService service = builder.build();
      RedisCluster joined = cluster;
      sender = new ServiceSender(service);
      commands = new Commands(sender);
      int[] bound = new int[1];
      Runnable stopAdapter = startAdapter(adapter, service, p -> bound[0] = p, commands);
      stop =
          () -> {
            stopAdapter.run();
            service.close();
            if (joined != null) {
              joined.close();
            }
          };
      port = bound[0];
    }
    System.out.println("PORT " + port);
    System.out.flush();
    commands.run(new BufferedReader(new InputStreamReader(System.in, UTF_8)));
    stop.run();
    System.exit(0);
  }

  private static Runnable startAdapter(
      String adapter, SseService service, IntConsumer port, Commands commands) throws Exception {
    switch (adapter) {
      case "jdk":
        {
          // the JDK server writes a response's head and body apart: without TCP_NODELAY each
          // POST /publish waits out the client's delayed ACK (45 ms per request measured)
          System.setProperty("sun.net.httpserver.nodelay", "true");
          HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8192);
          server.createContext(
              "/sse",
              JdkSse.handler(service, e -> BenchService.options(e.getRequestURI().getRawQuery())));
          server.createContext(PublishRoutes.PATH, PublishRoutes.jdk(commands));
          server.start();
          port.accept(server.getAddress().getPort());
          return () -> server.stop(0);
        }
      case "jetty":
        {
          Server server = new Server(new QueuedThreadPool(16, 4));
          ServerConnector connector = new ServerConnector(server, 1, 2);
          connector.setHost("127.0.0.1");
          connector.setAcceptQueueSize(8192);
          server.addConnector(connector);
          ServletContextHandler context = new ServletContextHandler();
          ServletHolder holder =
              new ServletHolder(
                  new SseServlet(
                      service, request -> BenchService.options(request.getQueryString())));
          holder.setAsyncSupported(true);
          context.addServlet(holder, "/sse");
          context.addServlet(
              new ServletHolder(PublishRoutes.servlet(commands)), PublishRoutes.PATH);
          server.setHandler(context);
          server.start();
          port.accept(connector.getLocalPort());
          return () -> {
            try {
              server.stop();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          };
        }
      case "netty":
        {
          NettySseServer server =
              NettySseServer.builder(service)
                  .host("127.0.0.1")
                  .port(0)
                  .workerThreads(Integer.getInteger("bench.netty.threads", 0))
                  .options(
                      request ->
                          BenchService.options(
                              request.uri().substring(request.uri().indexOf('?') + 1)))
                  .route(
                      io.netty.handler.codec.http.HttpMethod.POST,
                      PublishRoutes.PATH,
                      request -> PublishRoutes.netty(commands, request))
                  .start();
          port.accept(server.port());
          return server::close;
        }
      case "netty-app":
        {
          NettyAppServer.Started app = NettyAppServer.start(service, commands);
          port.accept(app.port());
          return app.stop();
        }
      case "vertx":
        return VertxLoadServer.start(service, port);
      default:
        throw new IllegalArgumentException(
            "adapter: "
                + adapter
                + " (expected: jdk, jetty, netty, netty-app, vertx, raw; webflux runs on"
                + " the Spring class path)");
    }
  }

  /** What the command loop needs from a server: send to all, send to one client, count. */
  interface Sender {
    void sendToAll(String data);

    void sendToClient(String clientId, String data);

    int connections();

    /** How many connections, except {@link #STUCK}, have more than {@code bytes} waiting. */
    int backlogged(long bytes);

    /**
     * Waits until the server can take more, as a publisher using the library's back-pressure
     * would ({@code SseService.awaitCapacity}); the raw ceiling waits for its own queues.
     */
    void awaitCapacity() throws InterruptedException;

    /**
     * {@code <connections> <groups> <slowConsumerDisconnects> <eventsSent> <historyBytes>} (the
     * raw ceiling knows only its connections).
     */
    default String stats() {
      return connections() + " 0 0 0 0";
    }

    /** Sends to every connection of {@code group} (the scaling scenario's groups). */
    default void sendToGroup(String group, String data) {
      throw new UnsupportedOperationException("this server has no groups");
    }

    /** Sends to every connection with event id {@code id}, which the history keeps. */
    default void sendToAllWithId(long id, String data) {
      throw new UnsupportedOperationException("this server has no history");
    }
  }

  /** Sends through an {@link SseService}. */
  static final class ServiceSender implements Sender {
    private final SseService service;

    ServiceSender(SseService service) {
      this.service = service;
    }

    @Override
    public void sendToAll(String data) {
      service.sendToAll(data);
    }

    @Override
    public void sendToClient(String clientId, String data) {
      service.sendToClient(clientId, data);
    }

    @Override
    public void sendToGroup(String group, String data) {
      service.sendToAll(data, null, group);
    }

    @Override
    public void sendToAllWithId(long id, String data) {
      service.sendToAll(data, null, null, Long.toString(id));
    }

    @Override
    public int connections() {
      return service.stats().connections();
    }

    @Override
    public void awaitCapacity() throws InterruptedException {
      service.awaitCapacity(java.time.Duration.ofSeconds(60));
    }

    @Override
    public String stats() {
      io.sseservice.SseStats stats = service.stats();
      return stats.connections()
          + " "
          + stats.groups()
          + " "
          + stats.slowConsumerDisconnects()
          + " "
          + stats.eventsSent()
          + " "
          + stats.historyBytes();
    }

    @Override
    public int backlogged(long bytes) {
      int count = 0;
      for (io.sseservice.SseClient client : service.clients()) {
        if (STUCK.equals(client.id())) {
          continue; // the client that never reads is judged by the service, not waited for
        }
        for (io.sseservice.SseConnection connection : client.connections()) {
          if (connection.queuedBytes() > bytes) {
            count++;
          }
        }
      }
      return count;
    }
  }
}
