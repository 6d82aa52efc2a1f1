package io.sseservice.netty;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.test.SseTestClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sends from a handler running on an event loop (a publish route) only queue: everything reaches
 * every stream, on every loop, in order; the chunks this transport frames itself are valid
 * HTTP/1.1 chunked encoding and end with the last chunk; and an application's outbound handler
 * behind the codec still sees the content.
 */
class NettyLoopPublishingIT {

  private static final int SENDS = 300;
  private static final int STREAMS = 6; // round-robin over two loops: three on each

  private final SseService service = SseService.create();
  private final AtomicBoolean routeOnLoop = new AtomicBoolean();
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    service.close();
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  @Test
  void sendsFromARouteOnTheLoopReachEveryStreamOnEveryLoopInOrder() throws Exception {
    NettySseServer server =
        NettySseServer.builder(service)
            .host("127.0.0.1")
            .port(0)
            .workerThreads(2)
            .route(HttpMethod.POST, "/publish", request -> publishAll())
            .start();
    closing.add(server);
    List<SseTestClient> clients = new ArrayList<>();
    for (int i = 0; i < STREAMS; i++) {
      SseTestClient client = SseTestClient.connect(uri(server.port(), "/sse"));
      closing.add(0, client);
      clients.add(client);
    }
    await().until(() -> service.stats().connections() == STREAMS);

    try (RawHttpConnection http = new RawHttpConnection(server.port())) {
      RawHttpConnection.Response published = http.exchange("POST", "/publish", "");
      assertThat(published.body()).isEqualTo("reached " + STREAMS * SENDS);
    }

    assertThat(routeOnLoop).as("the route ran on an event loop").isTrue();
    for (SseTestClient client : clients) {
      for (int i = 0; i < SENDS; i++) {
        assertThat(client.takeEvent().data()).isEqualTo("e" + i);
      }
    }
  }

  @Test
  void theStreamIsValidChunkedEncodingEndedByTheLastChunk() throws Exception {
    NettySseServer server =
        NettySseServer.builder(service).host("127.0.0.1").port(0).workerThreads(1).start();
    closing.add(server);
    assertChunkedStreamOf(server.port());
  }

  @Test
  void anOwnPipelineGetsTheSameChunks() throws Exception {
    assertChunkedStreamOf(ownPipeline(null));
  }

  @Test
  void anOutboundHandlerBehindTheCodecStillSeesTheContent() throws Exception {
    AtomicInteger contents = new AtomicInteger();
    ChannelOutboundHandlerAdapter counter =
        new ChannelOutboundHandlerAdapter() {
          @Override
          public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof HttpContent) {
              contents.incrementAndGet();
            }
            ctx.write(msg, promise);
          }

          @Override
          public boolean isSharable() {
            return true;
          }
        };
    assertChunkedStreamOf(ownPipeline(counter));
    assertThat(contents.get()).as("events and the last chunk went through it").isGreaterThan(1);
  }

  /** Opens a stream, sends 3 events, closes the service: the raw bytes decode as chunks. */
  private void assertChunkedStreamOf(int port) throws Exception {
    try (RawHttpConnection stream = new RawHttpConnection(port)) {
      stream.sendRaw("GET /sse HTTP/1.1\r\nHost: localhost\r\n\r\n");
      RawHttpConnection.Response head = stream.readHead();
      assertThat(head.headers()).containsEntry("transfer-encoding", "chunked");
      await().until(() -> service.stats().connections() == 1);
      for (int i = 0; i < 3; i++) {
        service.sendToAll("event " + i);
      }
      service.close(); // ends the stream politely: the last chunk, then the close
      String body = dechunk(stream.readToEnd().getBytes(UTF_8));
      assertThat(body).contains("data: event 0\n\n", "data: event 1\n\n", "data: event 2\n\n");
    }
  }

  /** Decodes chunked encoding, failing on anything malformed or a missing last chunk. */
  private static String dechunk(byte[] raw) throws IOException {
    InputStream in = new java.io.ByteArrayInputStream(raw);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = line(in);
      int size = Integer.parseInt(sizeLine, 16);
      if (size == 0) {
        assertThat(line(in)).as("the empty trailer after the last chunk").isEmpty();
        assertThat(in.read()).as("nothing after the last chunk").isEqualTo(-1);
        return body.toString(UTF_8);
      }
      body.write(in.readNBytes(size));
      assertThat(line(in)).as("CRLF after a chunk's data").isEmpty();
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("the stream ended inside a chunk's framing: " + line);
      }
      line.write(b);
    }
    String text = line.toString(UTF_8);
    assertThat(text).endsWith("\r");
    return text.substring(0, text.length() - 1);
  }

  private DefaultFullHttpResponse publishAll() {
    routeOnLoop.set(
        Thread.currentThread().getName().contains("nioEventLoop")
            || Thread.currentThread().getName().contains("epoll"));
    int reached = 0;
    for (int i = 0; i < SENDS; i++) {
      reached += service.sendToAll("e" + i);
    }
    DefaultFullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.OK,
            Unpooled.copiedBuffer("reached " + reached, UTF_8));
    HttpUtil.setContentLength(response, response.content().readableBytes());
    return response;
  }

  /** A pipeline of one's own: the codec, {@code behindCodec} (if any), the aggregator, a handler. */
  @SuppressWarnings("deprecation") // NioEventLoopGroup: the one event-loop API of Netty 4.1 and 4.2
  private int ownPipeline(ChannelOutboundHandlerAdapter behindCodec) {
    EventLoopGroup loops = new NioEventLoopGroup(1);
    Channel channel =
        new ServerBootstrap()
            .group(loops)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new HttpServerCodec());
                    if (behindCodec != null) {
                      ch.pipeline().addLast(behindCodec);
                    }
                    ch.pipeline()
                        .addLast(
                            new HttpObjectAggregator(8192),
                            new SimpleChannelInboundHandler<FullHttpRequest>() {
                              @Override
                              protected void channelRead0(
                                  ChannelHandlerContext ctx, FullHttpRequest request) {
                                NettySse.connect(
                                    service, ctx.channel(), request, ConnectOptions.defaults());
                              }
                            });
                  }
                })
            .bind("127.0.0.1", 0)
            .syncUninterruptibly()
            .channel();
    closing.add(
        () -> {
          channel.close().syncUninterruptibly();
          loops.shutdownGracefully().syncUninterruptibly();
        });
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  private static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }
}
