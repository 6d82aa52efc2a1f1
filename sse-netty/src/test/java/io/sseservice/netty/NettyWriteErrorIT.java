package io.sseservice.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import io.sseservice.CloseReason;
import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.test.SseTestClient;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An {@link Error} in one connection's write path (direct memory exhausted, a handler's bug) ends
 * that connection as a failed write and leaves the other streams of the same event loop
 * flowing. The streams are opened with {@link NettySse#connect} in a pipeline of the test's own,
 * where one connection (the victim) gets the fault; all share one event loop.
 */
class NettyWriteErrorIT {

  private static final int READERS = 8;

  /** Long enough to be written in several slices, so a fault can hit a later one. */
  private static final String BIG = "b".repeat(300 * 1024);

  /** What goes wrong in the victim's pipeline. */
  enum Fault {
    ALLOCATION,
    HANDLER_WRITE,
    HANDLER_FLUSH,
    ALLOCATION_AFTER_FIRST_SLICE
  }

  private final SseService service =
      SseService.builder()
          .writeTimeout(Duration.ofMinutes(5)) // a wedged stream must not be rescued by the timeout
          .build();
  private final CompletableFuture<CloseReason> victimGone = new CompletableFuture<>();
  private EventLoopGroup loop;
  private Channel server;
  private Fault fault;

  @AfterEach
  void stop() {
    service.close();
    if (server != null) {
      server.close().syncUninterruptibly();
      loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void directMemoryExhaustedForOneConnectionEndsThatConnectionOnly() throws Exception {
    assertOnlyTheVictimEnds(Fault.ALLOCATION, "small event");
  }

  @Test
  void directMemoryExhaustedMidwayThroughALargeEventEndsThatConnectionOnly() throws Exception {
    assertOnlyTheVictimEnds(Fault.ALLOCATION_AFTER_FIRST_SLICE, BIG);
  }

  @Test
  void anErrorThrownByAHandlerWhileWritingEndsThatConnectionOnly() throws Exception {
    assertOnlyTheVictimEnds(Fault.HANDLER_WRITE, BIG);
  }

  @Test
  void anErrorThrownByAHandlerWhileFlushingEndsThatConnectionOnly() throws Exception {
    assertOnlyTheVictimEnds(Fault.HANDLER_FLUSH, "small event");
  }

  private void assertOnlyTheVictimEnds(Fault fault, String event) throws Exception {
    this.fault = fault;
    int port = start();
    List<SseTestClient> readers = new ArrayList<>();
    try (SseTestClient victim = SseTestClient.connect(uri(port, "victim"))) {
      for (int i = 0; i < READERS; i++) {
        readers.add(SseTestClient.connect(uri(port, "reader" + i)));
      }
      await().until(() -> service.stats().connections() == READERS + 1);

      service.sendToAll(event);
      service.sendToAll("after");

      assertThat(victimGone.get(10, TimeUnit.SECONDS)).isEqualTo(CloseReason.PEER_GONE);
      for (SseTestClient reader : readers) {
        assertThat(reader.takeEvent().data()).isEqualTo(event);
        assertThat(reader.takeEvent().data()).isEqualTo("after");
      }
      await().until(() -> service.stats().connections() == READERS);
    } finally {
      readers.forEach(SseTestClient::close);
    }
  }

  private static URI uri(int port, String user) {
    return URI.create("http://127.0.0.1:" + port + "/sse?user=" + user);
  }

  @SuppressWarnings("deprecation") // NioEventLoopGroup: the one event-loop API of Netty 4.1 and 4.2
  private int start() {
    loop = new NioEventLoopGroup(1); // every stream on one loop: a wedge would show on all
    server =
        new ServerBootstrap()
            .group(loop)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(
                            new HttpServerCodec(),
                            new HttpObjectAggregator(64 * 1024),
                            new StreamHandler());
                  }
                })
            .bind("127.0.0.1", 0)
            .syncUninterruptibly()
            .channel();
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Opens the stream; arms the fault on the victim's channel once its head is out. */
  private final class StreamHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      String user = new QueryStringDecoder(request.uri()).parameters().get("user").get(0);
      ConnectOptions.Builder options = ConnectOptions.builder().clientId(user);
      if (user.equals("victim")) {
        options.onDisconnect((connection, reason) -> victimGone.complete(reason));
        Channel channel = ctx.channel();
        // after this read (its buffers come from the same allocator) and before any send
        channel.eventLoop().execute(() -> arm(channel));
      }
      NettySse.connect(service, ctx.channel(), request, options.build());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close(); // as OwnPipelineExample does
    }
  }

  private void arm(Channel channel) {
    switch (fault) {
      case ALLOCATION -> channel.config().setAllocator(failing(0, 0));
      case ALLOCATION_AFTER_FIRST_SLICE -> channel.config().setAllocator(failing(1024, 1));
      case HANDLER_WRITE, HANDLER_FLUSH -> channel.pipeline().addFirst(new ThrowingHandler(fault));
    }
  }

  /**
   * The pooled allocator, except that buffers of {@code minSize} bytes or more fail with
   * OutOfMemoryError after {@code allowed} of them, as when direct memory runs out.
   */
  private static ByteBufAllocator failing(int minSize, int allowed) {
    ByteBufAllocator pooled = PooledByteBufAllocator.DEFAULT;
    int[] granted = {0};
    return (ByteBufAllocator)
        Proxy.newProxyInstance(
            ByteBufAllocator.class.getClassLoader(),
            new Class<?>[] {ByteBufAllocator.class},
            (proxy, method, args) -> {
              boolean allocates =
                  method.getReturnType() == ByteBuf.class
                      || ByteBuf.class.isAssignableFrom(method.getReturnType());
              if (allocates
                  && args != null
                  && args.length > 0
                  && args[0] instanceof Integer size
                  && size >= minSize
                  && granted[0]++ >= allowed) {
                throw new OutOfMemoryError(
                    "Cannot reserve "
                        + size
                        + " bytes of direct buffer"
                        + " memory (this test's, expected in the log)");
              }
              try {
                return method.invoke(pooled, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  /** Throws an Error when an event (after the response head) is written, or flushed. */
  private static final class ThrowingHandler extends ChannelDuplexHandler {
    private final Fault fault;
    private int writes;

    ThrowingHandler(Fault fault) {
      this.fault = fault;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
        throws Exception {
      // armed once the head is out (see arm), so every write here is an event's: one buffer per
      // batch since the transport frames the chunks itself (the encoder made three of them)
      if (++writes > 0 && fault == Fault.HANDLER_WRITE) {
        ReferenceCountUtil.release(msg);
        throw new OutOfMemoryError("a handler's Error (this test's, expected in the log)");
      }
      super.write(ctx, msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) throws Exception {
      if (writes > 0 && fault == Fault.HANDLER_FLUSH) {
        throw new OutOfMemoryError("a handler's Error in flush (this test's, expected in the log)");
      }
      super.flush(ctx);
    }
  }
}
