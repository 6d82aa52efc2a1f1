package io.sseservice.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;

/**
 * Netty's native epoll transport, for {@link NettySseServer} on Linux: it alone can set
 * {@code TCP_USER_TIMEOUT}, which ends a connection whose sent data has gone unacknowledged for
 * too long (a peer that vanished without a FIN or a reset). Only this class names the epoll
 * types, and it is loaded only when they are on the class path ({@link #isAvailable()}), so the
 * server runs on NIO without them.
 *
 * <p>Thread-safety: stateless.
 */
final class EpollTransport {

  private EpollTransport() {}

  /** Whether the epoll classes are there and their native library loads on this machine. */
  static boolean isAvailable() {
    try {
      Class.forName("io.netty.channel.epoll.Epoll", false, EpollTransport.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
    return Native.available();
  }

  /** Event loops of {@code threads} threads; only once {@link #isAvailable()}. */
  static EventLoopGroup group(int threads) {
    return Native.group(threads);
  }

  /** Sets the epoll server channel, and {@code TCP_USER_TIMEOUT} on accepted ones if positive. */
  static void configure(ServerBootstrap bootstrap, int userTimeoutMillis) {
    Native.configure(bootstrap, userTimeoutMillis);
  }

  /**
   * The only class that names epoll types: loaded (and verified) only once {@link #isAvailable()}
   * found them, so that the outer class links without them.
   */
  private static final class Native {
    static boolean available() {
      try {
        return Epoll.isAvailable();
      } catch (LinkageError e) { // a jar of another Netty line
        return false;
      }
    }

    @SuppressWarnings("deprecation") // EpollEventLoopGroup: the one epoll API of Netty 4.1 and 4.2
    static EventLoopGroup group(int threads) {
      return new EpollEventLoopGroup(threads);
    }

    static void configure(ServerBootstrap bootstrap, int userTimeoutMillis) {
      bootstrap.channel(EpollServerSocketChannel.class);
      if (userTimeoutMillis > 0) {
        bootstrap.childOption(EpollChannelOption.TCP_USER_TIMEOUT, userTimeoutMillis);
      }
    }
  }
}
