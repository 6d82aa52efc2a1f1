package io.sseservice.webflux;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.sseservice.spi.WriteCallback;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Headers, zero-copy batches and the end of a stream, on a mock response. */
class WebFluxTransportTest {

  private static final WriteCallback IGNORED =
      new WriteCallback() {
        @Override
        public void completed() {}

        @Override
        public void failed(Throwable cause) {}
      };

  private final MockServerHttpResponse response =
      new MockServerHttpResponse(new NettyDataBufferFactory(UnpooledByteBufAllocator.DEFAULT));
  private final WebFluxTransport transport = new WebFluxTransport(response, true);

  @Test
  void openSetsStatusAndReplacesOnlyTheFrameworksHeadersOfTheSameName() {
    response.getHeaders().set("Cache-Control", "private");
    response.getHeaders().set("X-Framework", "kept");

    transport.open(Map.of("Cache-Control", "no-cache", "X-Accel-Buffering", "no"), () -> {});

    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(response.getHeaders().get("Cache-Control")).containsExactly("no-cache");
    assertThat(response.getHeaders().getFirst("X-Accel-Buffering")).isEqualTo("no");
    assertThat(response.getHeaders().getFirst("X-Framework")).isEqualTo("kept");
  }

  @Test
  void aBatchIsOneBufferOverTheSharedFramesNotACopy() {
    byte[] first = "data: a\n\n".getBytes(UTF_8);
    byte[] second = "data: b\n\n".getBytes(UTF_8);
    transport.write(new byte[][] {first, second, null}, 2, IGNORED);

    DataBuffer batch = Mono.from(Flux.from(transport.body()).blockFirst()).block();

    assertThat(batch.toString(UTF_8)).isEqualTo("data: a\n\ndata: b\n\n");
    ByteBuf buffer = ((NettyDataBuffer) batch).getNativeBuffer();
    assertThat(buffer).isInstanceOf(CompositeByteBuf.class);
    CompositeByteBuf composite = (CompositeByteBuf) buffer;
    assertThat(List.of(composite.component(0).array(), composite.component(1).array()))
        .as("the very arrays the core shares among receivers")
        .containsExactly(first, second);
  }

  @Test
  void thePeerIsGoneOnlyWhenTheResponseEndsWithoutClose() {
    AtomicInteger gone = new AtomicInteger();
    transport.open(Map.of(), gone::incrementAndGet);

    transport.peerGone();
    assertThat(gone).hasValue(1);

    transport.close();
    transport.close();
    transport.peerGone();
    assertThat(gone).as("our own close is not the peer going").hasValue(1);
  }

  @Test
  void closeEndsTheBodyAfterTheCommit() {
    transport.open(Map.of(), () -> {});
    transport.close();

    List<String> batches =
        Flux.from(transport.body())
            .concatMap(
                batch -> Flux.from(batch).map(b -> b.toString(UTF_8)).defaultIfEmpty("<commit>"))
            .collectList()
            .block();

    assertThat(batches).containsExactly("<commit>");
  }

  @Test
  void aRequestWithoutAServerUnderneathMayHaveTheConnectionHeader() {
    assertThat(NativeServer.allowsConnectionHeader(MockServerHttpRequest.get("/sse").build()))
        .isTrue();
    assertThat(NativeServer.connectionOf(response)).isSameAs(ServerConnection.UNKNOWN);
  }
}
