package io.sseservice.redis;

import static java.util.Objects.requireNonNull;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.sseservice.SseService;
import io.sseservice.spi.Backplane;
import io.sseservice.spi.ClientDirectory;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * SseService nodes as one cluster on Redis: a send on any node reaches the connections of every
 * node, in one order per group; a browser may reconnect to any node with {@code Last-Event-ID}
 * and get exactly what it missed; {@code service.directory()} lists every node's clients, with
 * their metadata, and presence follows clients across nodes.
 *
 * <pre>{@code
 * RedisCluster redis = RedisCluster.builder().uri("redis://localhost:6379").build();
 * SseService service = redis.join(SseService.builder(), "node-a").build();
 * // ... on shutdown: service.close(); redis.close();
 * }</pre>
 *
 * <p>What lives in Redis: per group a stream (the log, trimmed by count and age), a position
 * counter and an epoch; a pub/sub channel announcing new positions (a doorbell: the events
 * themselves are read from the stream), one channel per node for connection targets; the
 * directory (clients, connections, metadata, node heartbeats with a TTL). Everything else stays
 * local to each node. See docs/CLUSTER.md.
 *
 * <p>One {@code RedisCluster} serves any number of nodes of one JVM (tests run three); each node
 * gets its own {@link #backplane()} and {@link #directory()}, which open their own connections.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class RedisCluster implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger("io.sseservice.redis");

  private final List<RedisURI> uris;
  private final Keys keys;
  private final int maxEvents;
  private final Duration maxAge;
  private final Duration directoryTtl;
  private final int maxPendingSends;
  private final Duration outageTimeout;
  private final ClientResources resources;

  /** One client per server; group {@code g} lives on {@code clients.get(shard(g))}. */
  private final List<RedisClient> clients;

  /** Per server, a hash of its host and port: what rendezvous hashing weighs groups against. */
  private final long[] seeds;

  /** The servers ({@code host:port}) whose last reconnect failed. */
  private final Set<String> unreachable = ConcurrentHashMap.newKeySet();

  private RedisCluster(Builder b) {
    this.uris = List.copyOf(b.uris);
    this.keys = new Keys(b.keyPrefix);
    this.maxEvents = b.maxEvents;
    this.maxAge = b.maxAge;
    this.directoryTtl = b.directoryTtl;
    this.maxPendingSends = b.maxPendingSends;
    this.outageTimeout = b.outageTimeout;
    this.resources = DefaultClientResources.create();
    ClientOptions options =
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
            // the bound on pending sends is the backplane's own (maxPendingSends): Lettuce's queue
            // bound would also refuse a burst in flight to a healthy Redis
            .timeoutOptions(TimeoutOptions.enabled(outageTimeout))
            .build();
    List<RedisClient> made = new ArrayList<>();
    for (RedisURI uri : uris) {
      RedisClient client = RedisClient.create(resources, uri);
      client.setOptions(options);
      made.add(client);
    }
    this.clients = List.copyOf(made);
    this.seeds = new long[uris.size()];
    for (int i = 0; i < seeds.length; i++) {
      seeds[i] =
          mix(
              (uris.get(i).getHost() + ":" + uris.get(i).getPort()).hashCode()
                  * 0x9E3779B97F4A7C15L);
    }
    resources
        .eventBus()
        .get()
        .subscribe(
            event -> {
              // a failed reconnect, not a disconnect: closing a connection is a disconnect too
              if (event instanceof ReconnectFailedEvent failed) {
                String server = address(failed.remoteAddress());
                if (unreachable.add(server)) {
                  LOG.log(
                      Level.WARNING,
                      "Redis "
                          + server
                          + " is unreachable; sends to its groups wait"
                          + " for it (up to "
                          + maxPendingSends
                          + " per node, for "
                          + outageTimeout
                          + "), local connections keep working");
                }
              } else if (event instanceof ConnectionActivatedEvent activated) {
                String server = address(activated.remoteAddress());
                if (unreachable.remove(server)) {
                  LOG.log(Level.INFO, "Redis " + server + " is back");
                }
              }
            });
  }

  /** {@code host:port} of a server's address, the same for a failed and an activated connection. */
  private static String address(SocketAddress address) {
    if (address instanceof InetSocketAddress inet) {
      String host =
          inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
      return host + ":" + inet.getPort();
    }
    return String.valueOf(address);
  }

  /** Returns a builder; {@link Builder#uri} is the one option without a default. */
  public static Builder builder() {
    return new Builder();
  }

  /** Makes {@code builder} a node of this cluster: its node id, backplane and directory. */
  public SseService.Builder join(SseService.Builder builder, String nodeId) {
    return builder.nodeId(nodeId).backplane(backplane()).directory(directory());
  }

  /** Returns a new node's backplane (and, through it, the cluster's history). */
  public Backplane backplane() {
    return new RedisBackplane(this);
  }

  /** Returns a new node's directory. */
  public ClientDirectory directory() {
    return new RedisDirectory(this);
  }

  /**
   * Returns whether a Redis server of this cluster is unreachable now, as far as its connections
   * know: one of them failed to reconnect, and none has connected since.
   */
  public boolean isUnreachable() {
    return !unreachable.isEmpty();
  }

  /** Shuts the Redis clients down; close the services first. */
  @Override
  public void close() {
    clients.forEach(RedisClient::shutdown);
    resources.shutdown();
  }

  @Override
  public String toString() {
    StringBuilder servers = new StringBuilder();
    for (RedisURI uri : uris) {
      servers
          .append(servers.length() == 0 ? "" : ",")
          .append(uri.getHost())
          .append(':')
          .append(uri.getPort());
    }
    return "RedisCluster{" + servers + ", prefix=" + keys.prefix() + '}';
  }

  // ---- for the backplane and the directory ----

  /** The clients of the servers, in the order given; the first also keeps the directory. */
  List<RedisClient> clients() {
    return clients;
  }

  /**
   * The server of {@code group}: highest random weight (rendezvous) hashing of the group over the
   * servers' URIs, so adding a server moves only the groups that land on it.
   */
  int shard(String group) {
    if (clients.size() == 1) {
      return 0;
    }
    int best = 0;
    long bestWeight = Long.MIN_VALUE;
    for (int i = 0; i < seeds.length; i++) {
      long weight = mix(seeds[i] ^ group.hashCode());
      if (weight > bestWeight) {
        bestWeight = weight;
        best = i;
      }
    }
    return best;
  }

  /** A 64-bit finalizer (MurmurHash3's): spreads nearby inputs over the whole range. */
  private static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  Keys keys() {
    return keys;
  }

  int maxEvents() {
    return maxEvents;
  }

  int maxPendingSends() {
    return maxPendingSends;
  }

  Duration maxAge() {
    return maxAge;
  }

  Duration directoryTtl() {
    return directoryTtl;
  }

  /**
   * A fresh epoch: 10 random letters and digits (51 bits; unguessable is not needed, unlikely to
   * repeat is, so no SecureRandom, whose lock every send would take); the publish script keeps
   * the first one set.
   */
  String newEpoch() {
    return Long.toString(ThreadLocalRandom.current().nextLong(EPOCHS) + EPOCHS, 36).substring(1);
  }

  /** 36^10: epochs are the 10 digits after a leading 1 of {@code EPOCHS + random} in base 36. */
  private static final long EPOCHS = 3_656_158_440_062_976L;

  /**
   * Builds a {@link RedisCluster}.
   *
   * <p>Thread-safety: not thread-safe.
   */
  public static final class Builder {
    /** The prefix of every key and channel: {@code "sse:"}. */
    public static final String DEFAULT_KEY_PREFIX = "sse:";

    /**
     * Events each group's stream keeps: 100,000 (about 30 MB of Redis memory for a full stream
     * of 200-byte events). It is also how far a node may fall behind a burst to one group
     * before its connections of that group are reset, so it is generous.
     */
    public static final int DEFAULT_MAX_EVENTS = 100_000;

    /** How long each group's stream keeps an event: 5 minutes. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);

    /** How long a node's connections outlive its last heartbeat: 10 seconds. */
    public static final Duration DEFAULT_DIRECTORY_TTL = Duration.ofSeconds(10);

    /** Sends a node may have waiting for Redis's answer: 100,000. */
    public static final int DEFAULT_MAX_PENDING_SENDS = 100_000;

    /** How long a command waits for an unreachable Redis before it fails: 30 seconds. */
    public static final Duration DEFAULT_OUTAGE_TIMEOUT = Duration.ofSeconds(30);

    private final List<RedisURI> uris = new ArrayList<>();
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private int maxEvents = DEFAULT_MAX_EVENTS;
    private Duration maxAge = DEFAULT_MAX_AGE;
    private Duration directoryTtl = DEFAULT_DIRECTORY_TTL;
    private int maxPendingSends = DEFAULT_MAX_PENDING_SENDS;
    private Duration outageTimeout = DEFAULT_OUTAGE_TIMEOUT;

    private Builder() {}

    /**
     * Sets the Redis server, e.g. {@code redis://user:password@host:6379/0}, {@code rediss://}
     * for TLS, or {@code redis-sentinel://host:26379#mymaster}, as Lettuce reads them.
     */
    public Builder uri(String uri) {
      return uri(RedisURI.create(requireNonNull(uri, "uri")));
    }

    /** Sets the Redis server. */
    public Builder uri(RedisURI uri) {
      uris.clear();
      uris.add(requireNonNull(uri, "uri"));
      return this;
    }

    /**
     * Spreads the groups over several Redis servers (rendezvous hashing by group): each group's
     * log, and its doorbells, live on one of them; every node subscribes to all. The client
     * directory lives on the first. Give every node the same servers in the same order.
     */
    public Builder uris(List<String> uris) {
      this.uris.clear();
      for (String uri : uris) {
        this.uris.add(RedisURI.create(requireNonNull(uri, "uri")));
      }
      return this;
    }

    /** Sets the prefix of every key and channel; default {@code "sse:"}. */
    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = requireNonNull(keyPrefix, "keyPrefix");
      return this;
    }

    /** Sets how many events each group's stream keeps (about: trimming is approximate). */
    public Builder maxEvents(int maxEvents) {
      if (maxEvents <= 0) {
        throw new IllegalArgumentException("maxEvents: " + maxEvents + " (expected: > 0)");
      }
      this.maxEvents = maxEvents;
      return this;
    }

    /** Sets how long each group's stream keeps an event ({@code ZERO}: as long as the count allows). */
    public Builder maxAge(Duration maxAge) {
      this.maxAge = nonNegative(maxAge, "maxAge");
      return this;
    }

    /**
     * Sets how long a node's connections outlive its last heartbeat (a node that died is noticed
     * within about 4/3 of it); default 10 seconds.
     */
    public Builder directoryTtl(Duration ttl) {
      this.directoryTtl = nonNegative(ttl, "directoryTtl");
      if (ttl.toMillis() < 30) {
        throw new IllegalArgumentException("directoryTtl: " + ttl + " (expected: >= 30 ms)");
      }
      return this;
    }

    /**
     * Sets how many sends a node may have waiting for Redis's answer: in flight to a healthy
     * Redis during a burst, or held while Redis is unreachable (they go out, in order, when it is
     * back). A send beyond it is refused at once with an {@code SseException} naming this bound;
     * none is dropped silently. Default 100,000 (about 50 MB of events of 200 bytes at most).
     */
    public Builder maxPendingSends(int sends) {
      if (sends <= 0) {
        throw new IllegalArgumentException("maxPendingSends: " + sends + " (expected: > 0)");
      }
      this.maxPendingSends = sends;
      return this;
    }

    /**
     * Sets how long a command waits for an unreachable Redis before it fails (a failed send is
     * told to {@code SseListener.onPublishFailed}); default 30 seconds.
     */
    public Builder outageTimeout(Duration timeout) {
      this.outageTimeout = nonNegative(timeout, "outageTimeout");
      return this;
    }

    /** Returns the cluster: a Redis client, connected when the first node starts. */
    public RedisCluster build() {
      if (uris.isEmpty()) {
        throw new IllegalStateException(
            "uri: not set (expected: the Redis server, e.g." + " redis://localhost:6379)");
      }
      return new RedisCluster(this);
    }

    private static Duration nonNegative(Duration d, String name) {
      requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + ": " + d + " (expected: >= 0)");
      }
      return d;
    }
  }
}
