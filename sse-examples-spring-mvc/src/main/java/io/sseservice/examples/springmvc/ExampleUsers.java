package io.sseservice.examples.springmvc;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The example's users, {@code example.users.<name>=<encoded password>} in
 * {@code application.properties}: a stand-in for a real user store. Passwords carry Spring
 * Security's encoding prefix ({@code {noop}} here for readability; {@code {bcrypt}} in real life).
 *
 * <p>Thread-safety: immutable.
 *
 * @param users user name to encoded password
 */
@ConfigurationProperties("example")
public record ExampleUsers(Map<String, String> users) {

  /** Copies {@code users}, so the bound map cannot change afterwards. */
  public ExampleUsers {
    users = Map.copyOf(users);
  }
}
