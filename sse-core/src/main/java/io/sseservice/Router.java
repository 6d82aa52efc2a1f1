package io.sseservice;

import io.sseservice.spi.Backplane;
import io.sseservice.spi.ClientDirectory;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Decides where a send goes. Without a backplane: to this node's connections, at once
 * ({@link LocalDelivery}). With one: a group or client target is published once and comes back to
 * every node, this one too, in the group's cluster order ({@link ClusterFeed}); a connection
 * target goes to the node its id names, straight to the connection when that is this node;
 * everyone means every group the directory knows of. A publish the backplane refuses at once is
 * thrown to the sender; one that fails later is logged and told to the listeners
 * ({@link SseListener#onPublishFailed}), never dropped silently.
 *
 * <p>Thread-safety: thread-safe.
 */
final class Router {

  private final Core core;
  private final LocalDelivery local;
  private final @Nullable Backplane backplane;
  private final ClientDirectory directory;

  Router(Core core, LocalDelivery local, @Nullable Backplane backplane, ClientDirectory directory) {
    this.core = core;
    this.local = local;
    this.backplane = backplane;
    this.directory = directory;
  }

  /** Sends {@code event} to {@code target}; returns the connections of this node it queued on. */
  int send(Target target, SseEvent event) {
    if (target instanceof Target.Connection) {
      return toConnection(((Target.Connection) target).connectionId(), target, event);
    }
    Backplane cluster = backplane;
    if (target instanceof Target.Everyone) {
      if (cluster == null) {
        return local.toEveryone(event);
      }
      publishToEveryGroup(cluster, target, event);
      return 0;
    }
    String group;
    String clientId;
    if (target instanceof Target.Client) {
      Target.Client client = (Target.Client) target;
      group = client.group();
      clientId = client.clientId();
    } else {
      group = ((Target.Group) target).group();
      clientId = null;
    }
    String resolved = group == null ? core.config.defaultGroup() : group;
    if (cluster == null) {
      return local.toGroup(resolved, clientId, event);
    }
    publish(cluster, resolved, clientId, target, event);
    return 0;
  }

  private int toConnection(String connectionId, Target target, SseEvent event) {
    Backplane cluster = backplane;
    int dot = connectionId.lastIndexOf('.');
    String node = dot < 0 ? null : connectionId.substring(0, dot);
    if (cluster == null || node == null || node.equals(core.config.nodeId())) {
      return local.toConnection(connectionId, event);
    }
    call(target, event, () -> cluster.sendToConnection(node, connectionId, event));
    return 0;
  }

  private void publishToEveryGroup(Backplane cluster, Target target, SseEvent event) {
    call(
        target,
        event,
        () ->
            directory
                .groups()
                .thenAccept(
                    names -> {
                      for (String group : names) {
                        publish(cluster, group, null, target, event);
                      }
                    }));
  }

  private void publish(
      Backplane cluster, String group, @Nullable String clientId, Target target, SseEvent event) {
    call(target, event, () -> cluster.publish(group, clientId, event));
  }

  /** Calls the cluster; what it refuses at once is thrown, what fails later is reported. */
  private void call(Target target, SseEvent event, Supplier<CompletionStage<?>> call) {
    CompletionStage<?> stage;
    try {
      stage = call.get();
    } catch (RuntimeException e) {
      throw refused(target, e);
    }
    watch(stage, target, event);
  }

  /**
   * Throws a failure that is already known when the stage is returned; reports one that comes
   * later to the log and the listeners.
   */
  private void watch(CompletionStage<?> stage, Target target, SseEvent event) {
    boolean[] returned = new boolean[1];
    Throwable[] early = new Throwable[1];
    stage.whenComplete(
        (ok, failure) -> {
          if (failure == null) {
            return;
          }
          synchronized (returned) {
            if (!returned[0]) {
              early[0] = failure;
              return;
            }
          }
          core.publishFailures.increment();
          SseService.LOG.log(
              Level.WARNING, Logs.quote("publishing to " + target + " failed"), failure);
          core.listeners.publishFailed(target, event, failure);
        });
    synchronized (returned) {
      returned[0] = true;
    }
    if (early[0] != null) {
      core.publishFailures.increment();
      throw refused(target, early[0]);
    }
  }

  private static SseException refused(Target target, Throwable cause) {
    Throwable root =
        cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null
            ? cause.getCause()
            : cause;
    return new SseException("the backplane did not take the send to " + target + ": " + root, root);
  }
}
